using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Removes members from a mail group.</summary>
    /// <remarks>Removing an address that is not a member is an ObjectNotFound error.</remarks>
    /// <example>
    /// <code>Remove-MailGroupMember sales@contoso.com -Member li.lei@contoso.com</code>
    /// <para>Removes one member.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailGroupMember sales@contoso.com | Where-Object { -not $_.IsInternal } | Remove-MailGroupMember sales@contoso.com -Confirm:$false</code>
    /// <para>Removes every outside address from the group.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "MailGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(MailGroup))]
    public sealed class RemoveMailGroupMemberCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The group's address.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Group")]
        public string Identity { get; set; }

        /// <summary>The addresses to remove.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "Members", "PrimarySmtpAddress")]
        public string[] Member { get; set; }

        /// <summary>Writes the group.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IGroupStore>("mail groups");
            if (!ShouldProcess(Identity, "Remove " + string.Join(", ", Member) + " from group"))
            {
                return;
            }

            var g = Await(store.RemoveMembersAsync(Identity, Member, StopToken));
            if (PassThru)
            {
                WriteObject(g);
            }
        }
    }
}
