using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Adds members to a mail group.</summary>
    /// <remarks>Adding someone who is already a member changes nothing.</remarks>
    /// <example>
    /// <code>Add-MailGroupMember sales@contoso.com -Member li.lei@contoso.com</code>
    /// <para>Adds one member.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Department Sales | Add-MailGroupMember sales@contoso.com</code>
    /// <para>Adds every Sales mailbox (bound by their Address).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Add, "MailGroupMember", SupportsShouldProcess = true)]
    [OutputType(typeof(MailGroup))]
    public sealed class AddMailGroupMemberCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The group's address.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Group")]
        public string Identity { get; set; }

        /// <summary>The addresses to add.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "Members", "PrimarySmtpAddress")]
        public string[] Member { get; set; }

        /// <summary>Writes the group.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IGroupStore>("mail groups");
            if (!ShouldProcess(Identity, "Add " + string.Join(", ", Member) + " to group"))
            {
                return;
            }

            var g = Await(store.AddMembersAsync(Identity, Member, StopToken));
            if (PassThru)
            {
                WriteObject(g);
            }
        }
    }
}
