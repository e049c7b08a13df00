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
}
