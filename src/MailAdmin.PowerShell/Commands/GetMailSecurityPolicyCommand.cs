using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Gets the security policy: the store's, or the one in effect for a mailbox.</summary>
    /// <remarks>
    /// With -Mailbox the result merges the mailbox's own settings over the store's; Overrides names the mailbox's own ones.
    /// </remarks>
    /// <example>
    /// <code>Get-MailSecurityPolicy</code>
    /// <para>Shows the store's policy: password rules and expiry, spam filing, blocked and allowed senders.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Department Finance | Get-MailSecurityPolicy | Format-Table Mailbox, PasswordMaxAgeDays, SpamFilterLevel, Overrides</code>
    /// <para>What is in effect for each Finance mailbox.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailSecurityPolicy")]
    [OutputType(typeof(MailSecurityPolicy))]
    public sealed class GetMailSecurityPolicyCommand : MailAdminConnectedCmdlet
    {
        /// <summary>A mailbox: the policy in effect for it.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Identity", "Address")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Mailbox { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<ISecurityPolicyStore>("a security policy");
            WriteObject(Await(store.GetSecurityPolicyAsync(string.IsNullOrEmpty(Mailbox) ? null : Mailbox, StopToken)));
        }
    }
}
