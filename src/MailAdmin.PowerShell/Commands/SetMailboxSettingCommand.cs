using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
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
                ImapEnabled = ImapEnabled,
                PopEnabled = PopEnabled,
                SmtpEnabled = SmtpEnabled,
                ExternalSendEnabled = ExternalSendEnabled,
                ArchiveEnabled = ArchiveEnabled,
                ForceSecureLogin = ForceSecureLogin,
            };
            if (update.IsEmpty)
            {
                WriteWarning($"No setting was given for '{Identity}'; nothing changed.");
                return;
            }
            if (!ShouldProcess(Identity, "Set mailbox settings"))
            {
                return;
            }

            var s = Await(store.SetSettingsAsync(Identity, update, StopToken));
            if (PassThru)
            {
                WriteObject(s);
            }
        }
    }
}
