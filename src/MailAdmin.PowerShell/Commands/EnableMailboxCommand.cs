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
    /// <summary>Enables mailboxes (login and mail delivery).</summary>
    /// <remarks>An enabled mailbox can log in and receive mail.</remarks>
    /// <example>
    /// <code>Enable-Mailbox li.lei@contoso.com</code>
    /// <para>Enables one mailbox.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Enabled $false -Department Sales | Enable-Mailbox -PassThru</code>
    /// <para>Enables every disabled Sales mailbox and shows them.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Enable, "Mailbox", SupportsShouldProcess = true)]
    [OutputType(typeof(Mailbox))]
    public sealed class EnableMailboxCommand : MailAdminConnectedCmdlet
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
            if (!ShouldProcess(Identity, "Enable mailbox"))
            {
                return;
            }

            var m = Await(store.SetMailboxEnabledAsync(Identity, true, StopToken));
            if (PassThru)
            {
                WriteObject(m);
            }
        }
    }
}
