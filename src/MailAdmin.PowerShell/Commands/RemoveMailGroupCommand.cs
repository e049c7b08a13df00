using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Removes mail groups.</summary>
    /// <remarks>Removes the group and its membership in other groups; the member mailboxes stay.</remarks>
    /// <example>
    /// <code>Remove-MailGroup old-team@contoso.com</code>
    /// <para>Removes a group after confirmation.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailGroup temp-* | Remove-MailGroup -Confirm:$false</code>
    /// <para>Removes every group whose address starts with temp-.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "MailGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveMailGroupCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The group's address.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress", "Group")]
        public string Identity { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IGroupStore>("mail groups");
            if (!ShouldProcess(Identity, "Remove mail group"))
            {
                return;
            }

            Await(store.RemoveGroupAsync(Identity, StopToken));
        }
    }
}
