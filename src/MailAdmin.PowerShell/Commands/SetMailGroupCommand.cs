using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Changes a group's name or who may send to it.</summary>
    /// <remarks>Only the parameters given change. -AllowedSenders replaces the list.</remarks>
    /// <example>
    /// <code>Set-MailGroup sales@contoso.com -WhoCanSend Anyone</code>
    /// <para>Lets customers write to the sales group.</para>
    /// </example>
    /// <example>
    /// <code>Set-MailGroup board@contoso.com -WhoCanSend Listed -AllowedSenders ceo@contoso.com,cfo@contoso.com -PassThru</code>
    /// <para>Lets only two people write to the board.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "MailGroup", SupportsShouldProcess = true)]
    [OutputType(typeof(MailGroup))]
    public sealed class SetMailGroupCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The group's address.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress", "Group")]
        public string Identity { get; set; }

        /// <summary>The new display name.</summary>
        [Parameter]
        public string DisplayName { get; set; }

        /// <summary>Who may send: Anyone, Organization, Members or Listed.</summary>
        [Parameter]
        public MailGroupSenderPolicy? WhoCanSend { get; set; }

        /// <summary>The senders allowed with WhoCanSend Listed (replaces the list).</summary>
        [Parameter]
        public string[] AllowedSenders { get; set; }

        /// <summary>Writes the group.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IGroupStore>("mail groups");
            if (!ShouldProcess(Identity, "Set mail group"))
            {
                return;
            }

            var g = Await(
                store.UpdateGroupAsync(
                Identity, new MailGroupUpdate { DisplayName = DisplayName, WhoCanSend = WhoCanSend, AllowedSenders = AllowedSenders }, StopToken));
            if (PassThru)
            {
                WriteObject(g);
            }
        }
    }
}
