using System.Management.Automation;
using MailAdmin.Abstractions;

namespace MailAdmin.PowerShell
{
    /// <summary>Enable-Mailbox and Disable-Mailbox: the same parameters and the same call, with the state each sets.</summary>
    public abstract class MailboxSwitchCmdlet : MailAdminConnectedCmdlet
    {
        private readonly bool _enable;

        protected MailboxSwitchCmdlet(bool enable)
        {
            _enable = enable;
        }

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
            if (!ShouldProcess(Identity, _enable ? "Enable mailbox" : "Disable mailbox"))
            {
                return;
            }

            var m = Await(store.SetMailboxEnabledAsync(Identity, _enable, StopToken));
            if (PassThru)
            {
                WriteObject(m);
            }
        }
    }
}
