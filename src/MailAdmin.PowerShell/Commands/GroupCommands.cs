using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Creates a mail group (distribution list).</summary>
    /// <remarks>
    /// Mail to the group's address goes to every member. Members may be mailboxes, other groups or outside addresses.
    /// -WhoCanSend: Anyone (also outside senders), Organization (default: senders of this provider's domains), Members,
    /// or Listed (only -AllowedSenders).
    /// </remarks>
    /// <example>
    /// <code>New-MailGroup sales@contoso.com -DisplayName 'Sales team' -Members (Get-Mailbox -Department Sales | ForEach-Object Address)</code>
    /// <para>Creates a group with every Sales mailbox in it.</para>
    /// </example>
    /// <example>
    /// <code>New-MailGroup board@contoso.com -WhoCanSend Listed -AllowedSenders ceo@contoso.com -Members a@contoso.com,b@contoso.com</code>
    /// <para>Creates a group only the CEO may write to.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "MailGroup", SupportsShouldProcess = true)]
    [OutputType(typeof(MailGroup))]
    public sealed class NewMailGroupCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The group's address.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("PrimarySmtpAddress")]
        public string Address { get; set; }

        /// <summary>The name shown to people.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        public string DisplayName { get; set; }

        /// <summary>The first members.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[] Members { get; set; }

        /// <summary>Who may send to the group: Anyone, Organization (default), Members or Listed.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public MailGroupSenderPolicy WhoCanSend { get; set; } = MailGroupSenderPolicy.Organization;

        /// <summary>With -WhoCanSend Listed: the addresses that may send.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[] AllowedSenders { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IGroupStore>("mail groups");
            if (!ShouldProcess(Address, "Create mail group")) return;
            WriteObject(Await(store.CreateGroupAsync(new MailGroup
            {
                Address = Address, DisplayName = DisplayName, Members = Members ?? new string[0], WhoCanSend = WhoCanSend,
                AllowedSenders = AllowedSenders ?? new string[0],
            }, StopToken)));
        }
    }

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
                WriteObject(Await(store.GetGroupAsync(Identity, StopToken)));
            else
                WriteCursor(store.ListGroups(Identity));
        }
    }

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
            if (!ShouldProcess(Identity, "Set mail group")) return;
            var g = Await(store.UpdateGroupAsync(Identity, new MailGroupUpdate { DisplayName = DisplayName, WhoCanSend = WhoCanSend, AllowedSenders = AllowedSenders }, StopToken));
            if (PassThru) WriteObject(g);
        }
    }

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
            if (!ShouldProcess(Identity, "Remove mail group")) return;
            Await(store.RemoveGroupAsync(Identity, StopToken));
        }
    }

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
            if (!ShouldProcess(Identity, "Add " + string.Join(", ", Member) + " to group")) return;
            var g = Await(store.AddMembersAsync(Identity, Member, StopToken));
            if (PassThru) WriteObject(g);
        }
    }

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
            if (!ShouldProcess(Identity, "Remove " + string.Join(", ", Member) + " from group")) return;
            var g = Await(store.RemoveMembersAsync(Identity, Member, StopToken));
            if (PassThru) WriteObject(g);
        }
    }

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
            foreach (var m in Await(store.GetMembersAsync(Identity, StopToken))) WriteObject(m);
        }
    }
}
