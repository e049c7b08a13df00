using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Lists the members of a mail group.</summary>
    /// <remarks>Each member with its display name and whether it is a mailbox or group of this provider (IsInternal).</remarks>
    /// <example>
    /// <code>Get-MailGroupMember sales@contoso.com</code>
    /// <para>Lists the members.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailGroup | Get-MailGroupMember | Group-Object Address | Sort-Object Count -Descending</code>
    /// <para>Shows who is in the most groups.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailGroupMember")]
    [OutputType(typeof(MailGroupMember))]
    public sealed class GetMailGroupMemberCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The group's address.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress", "Group")]
        public string Identity { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IGroupStore>("mail groups");
            foreach (var m in Await(store.GetMembersAsync(Identity, StopToken)))
            {
                WriteObject(m);
            }
        }
    }
}
