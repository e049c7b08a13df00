using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Gets a mailbox's protocol, feature and security switches.</summary>
    /// <remarks>ImapEnabled, PopEnabled, SmtpEnabled, ExternalSendEnabled (SendScope Any), ArchiveEnabled and ForceSecureLogin.</remarks>
    /// <example>
    /// <code>Get-MailboxSetting li.lei@contoso.com</code>
    /// <para>Shows one mailbox's switches.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox | Get-MailboxSetting | Where-Object PopEnabled | Export-Csv pop-users.csv</code>
    /// <para>Lists every mailbox that can still use POP3.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailboxSetting")]
    [OutputType(typeof(MailboxSettings))]
    public sealed class GetMailboxSettingCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxSettingsStore>("mailbox settings");
            WriteObject(Await(store.GetSettingsAsync(Identity, StopToken)));
        }
    }

    /// <summary>Switches a mailbox's protocols, features and security on or off.</summary>
    /// <remarks>
    /// Only the switches given change. ExternalSendEnabled $false limits sending to this provider's domains (SendScope Internal);
    /// $true allows any recipient (SendScope Any). ForceSecureLogin requires secure (app password) logins for the mail protocols.
    /// </remarks>
    /// <example>
    /// <code>Set-MailboxSetting li.lei@contoso.com -PopEnabled $false -ImapEnabled $true</code>
    /// <para>Turns POP3 off and IMAP on for one mailbox.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Department Finance | Set-MailboxSetting -ExternalSendEnabled $false -ArchiveEnabled $true</code>
    /// <para>Keeps Finance mail inside the company and archives it.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "MailboxSetting", SupportsShouldProcess = true)]
    [OutputType(typeof(MailboxSettings))]
    public sealed class SetMailboxSettingCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>IMAP access.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public bool? ImapEnabled { get; set; }
        /// <summary>POP3 access.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public bool? PopEnabled { get; set; }
        /// <summary>Sending through SMTP submission.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public bool? SmtpEnabled { get; set; }
        /// <summary>Sending to outside recipients.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public bool? ExternalSendEnabled { get; set; }
        /// <summary>A copy of every sent and received message kept in the archive.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public bool? ArchiveEnabled { get; set; }
        /// <summary>Only secure (app password) logins for mail protocols.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public bool? ForceSecureLogin { get; set; }

        /// <summary>Writes the settings afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxSettingsStore>("mailbox settings");
            var update = new MailboxSettingsUpdate
            {
                ImapEnabled = ImapEnabled, PopEnabled = PopEnabled, SmtpEnabled = SmtpEnabled,
                ExternalSendEnabled = ExternalSendEnabled, ArchiveEnabled = ArchiveEnabled, ForceSecureLogin = ForceSecureLogin,
            };
            if (update.IsEmpty) { WriteWarning($"No setting was given for '{Identity}'; nothing changed."); return; }
            if (!ShouldProcess(Identity, "Set mailbox settings")) return;
            var s = Await(store.SetSettingsAsync(Identity, update, StopToken));
            if (PassThru) WriteObject(s);
        }
    }

    /// <summary>Gets the store-wide security policy (password rules).</summary>
    /// <remarks>Shows the minimum password length, the hash scheme and its cost.</remarks>
    /// <example>
    /// <code>Get-MailSecurityPolicy</code>
    /// <para>Shows the policy of the current connection.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailSecurityPolicy -Connection $other | Format-List</code>
    /// <para>Shows another store's policy.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailSecurityPolicy")]
    [OutputType(typeof(MailSecurityPolicy))]
    public sealed class GetMailSecurityPolicyCommand : MailAdminConnectedCmdlet
    {
        protected override void ProcessItem()
        {
            var store = Require<ISecurityPolicyStore>("a security policy");
            WriteObject(Await(store.GetSecurityPolicyAsync(StopToken)));
        }
    }

    /// <summary>Sets the store-wide security policy (password rules).</summary>
    /// <remarks>
    /// -MinPasswordLength applies to every new password (default 8). -PasswordHashCost is the bcrypt cost of new password
    /// hashes (default 10; each step doubles the work of a guess and of a login).
    /// </remarks>
    /// <example>
    /// <code>Set-MailSecurityPolicy -MinPasswordLength 12</code>
    /// <para>Requires 12 characters for every new password.</para>
    /// </example>
    /// <example>
    /// <code>Set-MailSecurityPolicy -PasswordHashCost 12 -PassThru</code>
    /// <para>Makes new hashes four times as costly to guess.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "MailSecurityPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(MailSecurityPolicy))]
    public sealed class SetMailSecurityPolicyCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The minimum length of a new password.</summary>
        [Parameter] public int? MinPasswordLength { get; set; }
        /// <summary>The bcrypt cost of new password hashes (4-16).</summary>
        [Parameter] public int? PasswordHashCost { get; set; }
        /// <summary>Writes the policy afterwards.</summary>
        [Parameter] public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<ISecurityPolicyStore>("a security policy");
            if (!ShouldProcess(Provider.Target, "Set security policy")) return;
            var p = Await(store.SetSecurityPolicyAsync(MinPasswordLength, PasswordHashCost, StopToken));
            if (PassThru) WriteObject(p);
        }
    }
}
