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
    /// <summary>Disables mailboxes: they can no longer log in or receive mail; nothing is deleted.</summary>
    /// <remarks>A disabled mailbox keeps its mail, aliases and settings; Enable-Mailbox turns it back on.</remarks>
    /// <example>
    /// <code>Disable-Mailbox li.lei@contoso.com</code>
    /// <para>Disables one mailbox.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv leavers.csv | Disable-Mailbox</code>
    /// <para>Disables every mailbox listed in the Address column of leavers.csv.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Disable, "Mailbox", SupportsShouldProcess = true)]
    [OutputType(typeof(Mailbox))]
    public sealed class DisableMailboxCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox (address or alias).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>Writes the mailbox.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxStore>("mailboxes");
            if (!ShouldProcess(Identity, "Disable mailbox"))
            {
                return;
            }

            var m = Await(store.SetMailboxEnabledAsync(Identity, false, StopToken));
            if (PassThru)
            {
                WriteObject(m);
            }
        }
    }
}
