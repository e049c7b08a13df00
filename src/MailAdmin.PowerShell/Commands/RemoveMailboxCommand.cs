using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Removes mailboxes.</summary>
    /// <remarks>Removes the mailbox with its aliases, the rights it holds and grants, its group memberships, rules, auto-reply,
    /// policy and app passwords. On Local it also removes what the mail server holds for it: its Sieve script, the folder rights
    /// it gives and holds (IMAP ACLs and the shared-mailbox list), its open sessions and its login records; its mail is moved
    /// aside, out of every user's reach, for -RetainMailDays (default 30; Sync-MailServerState purges it then), or deleted at once
    /// with -PurgeMail. A mailbox made again at the same address starts empty. When a mail-server step fails after the store
    /// change, the error says so: run Sync-MailServerState to finish. Asks for confirmation unless -Confirm:$false.</remarks>
    /// <example>
    /// <code>Remove-Mailbox li.lei@contoso.com</code>
    /// <para>Removes one mailbox after confirmation; its mail is kept aside for 30 days.</para>
    /// </example>
    /// <example>
    /// <code>Remove-Mailbox temp01@contoso.com -PurgeMail -Confirm:$false</code>
    /// <para>Removes a mailbox and deletes its mail at once.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Enabled $false -Department Temp | Remove-Mailbox -Confirm:$false</code>
    /// <para>Removes every disabled mailbox of the Temp department without asking.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "Mailbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveMailboxCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox (address or alias).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>Days the removed mailbox's mail is kept aside on the server before Sync-MailServerState purges it (Local; default 30).</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int RetainMailDays { get; set; } = MailRemovalOptions.DefaultRetainDays;

        /// <summary>Deletes the mailbox's mail on the server at once instead of keeping it aside (Local).</summary>
        [Parameter]
        public SwitchParameter PurgeMail { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxStore>("mailboxes");
            if (!ShouldProcess(Identity, PurgeMail ? "Remove mailbox and delete its mail" : "Remove mailbox"))
            {
                return;
            }

            if (Provider is IMailServerStateStore server)
            {
                Await(server.RemoveMailboxAsync(Identity, new MailRemovalOptions { RetainDays = RetainMailDays, Purge = PurgeMail }, StopToken));
            }
            else
            {
                Await(store.RemoveMailboxAsync(Identity, StopToken));
            }
        }
    }
}
