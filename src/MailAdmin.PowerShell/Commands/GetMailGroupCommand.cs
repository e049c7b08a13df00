using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Gets mail groups.</summary>
    /// <remarks>Lists groups with their members and sender policy; -Identity takes an address or a wildcard pattern.
    /// WeCom lists every group through exmail/group/search (fuzzy=0). Exmail: its doc index lists a full group search whose path
    /// is not confirmed, so MailAdmin asks for it in WeCom's shape (GET group/search?fuzzy=0); when the service refuses it, name
    /// each group there (comma-separated addresses, or pipe them in): a pattern then fails with a NotSupported error that says so.
    /// On WeCom, departments appear among members and allowed senders as "department:Sales/East".</remarks>
    /// <example>
    /// <code>Get-MailGroup</code>
    /// <para>Lists every group.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailGroup | Where-Object WhoCanSend -eq Anyone</code>
    /// <para>Finds the groups that outside senders can write to.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailGroup")]
    [OutputType(typeof(MailGroup))]
    public sealed class GetMailGroupCommand : MailAdminConnectedCmdlet
    {
        /// <summary>A group address or wildcard pattern.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress", "Group")]
        [SupportsWildcards]
        public string Identity { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IGroupStore>("mail groups");
            if (!string.IsNullOrEmpty(Identity) && !WildcardPattern.ContainsWildcardCharacters(Identity))
            {
                WriteObject(Await(store.GetGroupAsync(Identity, StopToken)));
            }
            else
            {
                WriteStream(store.ListGroups(Identity));
            }
        }
    }
}
