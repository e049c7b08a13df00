using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Sets the security policy of the store, or a mailbox's own overrides of it.</summary>
    /// <remarks>
    /// Password rules (-MinPasswordLength, -RequireComplexity) apply to every new password. -PasswordMaxAgeDays makes Dovecot
    /// (and so SMTP AUTH) refuse a password older than that until it is reset (0: no expiry). -PasswordHashCost is the bcrypt
    /// cost of new hashes, store-wide only. -SpamFilterLevel files what the spam filter marked in Junk (Off, Low: flagged or score
    /// 10+, Medium: flagged or 5+, High: flagged or 3+). -BlockedSenders (addresses or domains) are refused by Postfix for the
    /// store, or discarded for one mailbox; -AllowedSenders override a blocked domain and never go to Junk. -ForceSecureLogin lets
    /// IMAP, POP3 and SMTP accept only app passwords (New-MailAppPassword). -RequireTls: Local always refuses passwords on
    /// unencrypted connections from other hosts, so only $true is accepted there. Lists replace the
    /// old ones. With -Mailbox, -Reset drops the mailbox's own value of a setting so the store's applies again.
    /// </remarks>
    /// <example>
    /// <code>Set-MailSecurityPolicy -MinPasswordLength 12 -RequireComplexity $true -PasswordMaxAgeDays 180</code>
    /// <para>Stronger passwords for everyone, renewed twice a year.</para>
    /// </example>
    /// <example>
    /// <code>Set-MailSecurityPolicy -BlockedSenders spam-house.example, bad@elsewhere.example -AllowedSenders friend@spam-house.example</code>
    /// <para>Refuses a domain except one address, and one address elsewhere.</para>
    /// </example>
    /// <example>
    /// <code>Set-MailSecurityPolicy -Mailbox ceo@contoso.com -SpamFilterLevel High; Set-MailSecurityPolicy -Mailbox ceo@contoso.com -Reset SpamFilterLevel</code>
    /// <para>A stricter spam filing for one mailbox, then back to the store's.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "MailSecurityPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(MailSecurityPolicy))]
    public sealed class SetMailSecurityPolicyCommand : MailAdminConnectedCmdlet
    {
        /// <summary>A mailbox: set its own overrides instead of the store's policy.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Identity", "Address")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Mailbox { get; set; }
        /// <summary>The minimum length of a new password.</summary>
        [Parameter] public int? MinPasswordLength { get; set; }
        /// <summary>New passwords need three of lower case, upper case, digits and other characters.</summary>
        [Parameter] public bool? RequireComplexity { get; set; }
        /// <summary>Days a password is accepted for logins after it was set (0: no expiry).</summary>
        [Parameter] public int? PasswordMaxAgeDays { get; set; }
        /// <summary>The bcrypt cost of new password hashes (4-16), store-wide.</summary>
        [Parameter] public int? PasswordHashCost { get; set; }
        /// <summary>How eagerly mail the spam filter scored goes to Junk.</summary>
        [Parameter] public SpamFilterLevel? SpamFilterLevel { get; set; }
        /// <summary>Protocol logins only with app passwords (New-MailAppPassword): for the store, or for the mailbox.</summary>
        [Parameter] public bool? ForceSecureLogin { get; set; }
        /// <summary>Client logins need TLS (on Local always true: $false is refused).</summary>
        [Parameter] public bool? RequireTls { get; set; }
        /// <summary>Senders (addresses or domains) to refuse; replaces the list. @() empties it.</summary>
        [Parameter][AllowEmptyCollection] public string[] BlockedSenders { get; set; }
        /// <summary>Senders (addresses or domains) never blocked by a domain entry nor filed in Junk; replaces the list.</summary>
        [Parameter][AllowEmptyCollection] public string[] AllowedSenders { get; set; }
        /// <summary>With -Mailbox: settings to take back from the store (e.g. SpamFilterLevel, BlockedSenders).</summary>
        [Parameter] public string[] Reset { get; set; }
        /// <summary>Writes the policy afterwards.</summary>
        [Parameter] public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<ISecurityPolicyStore>("a security policy");
            var target = string.IsNullOrEmpty(Mailbox) ? Provider.Target : Mailbox;
            if (!ShouldProcess(target, "Set security policy"))
            {
                return;
            }

            var u = new MailSecurityPolicyUpdate
            {
                MinPasswordLength = MinPasswordLength,
                RequireComplexity = RequireComplexity,
                PasswordMaxAgeDays = PasswordMaxAgeDays,
                PasswordHashCost = PasswordHashCost,
                SpamFilterLevel = SpamFilterLevel,
                ForceSecureLogin = ForceSecureLogin,
                RequireTls = RequireTls,
                BlockedSenders = BlockedSenders,
                AllowedSenders = AllowedSenders,
                Reset = Reset,
            };
            var p = Await(store.SetSecurityPolicyAsync(string.IsNullOrEmpty(Mailbox) ? null : Mailbox, u, StopToken));
            if (PassThru)
            {
                WriteObject(p);
            }
        }
    }
}
