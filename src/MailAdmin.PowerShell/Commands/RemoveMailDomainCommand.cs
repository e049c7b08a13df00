using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Removes a mail domain.</summary>
    /// <remarks>Refuses while the domain still has mailboxes or groups, unless -Force, which removes the domain with all its mailboxes, aliases, groups and
    /// permissions.
    /// On Local, what the mail server holds for each of those mailboxes goes too (as Remove-Mailbox does): their mail is kept aside
    /// for -RetainMailDays, or deleted with -PurgeMail.</remarks>
    /// <example>
    /// <code>Remove-MailDomain old.example.com</code>
    /// <para>Removes an empty domain (asks for confirmation).</para>
    /// </example>
    /// <example>
    /// <code>Remove-MailDomain old.example.com -Force -Confirm:$false</code>
    /// <para>Removes the domain and everything in it without asking.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "MailDomain", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveMailDomainCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Domain", "DomainName")]
        [ArgumentCompleter(typeof(DomainNameCompleter))]
        public string Name { get; set; }

        /// <summary>Also removes every mailbox, alias and group of the domain.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Days the mail of the domain's mailboxes is kept aside on the server before Sync-MailServerState purges it (Local; default 30).</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int RetainMailDays { get; set; } = MailRemovalOptions.DefaultRetainDays;

        /// <summary>Deletes the mail of the domain's mailboxes on the server at once (Local).</summary>
        [Parameter]
        public SwitchParameter PurgeMail { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IDomainStore>("domains");
            if (!ShouldProcess(Name, Force ? "Remove mail domain with all its mailboxes and groups" : "Remove mail domain"))
            {
                return;
            }

            if (Provider is IMailServerStateStore server)
            {
                Await(server.RemoveDomainAsync(Name, Force, new MailRemovalOptions { RetainDays = RetainMailDays, Purge = PurgeMail }, StopToken));
            }
            else
            {
                Await(store.RemoveDomainAsync(Name, Force, StopToken));
            }
        }
    }
}
