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
            if (!ShouldProcess(Address, "Create mail group"))
            {
                return;
            }

            WriteObject(Await(store.CreateGroupAsync(new MailGroup
            {
                Address = Address,
                DisplayName = DisplayName,
                Members = Members ?? new string[0],
                WhoCanSend = WhoCanSend,
                AllowedSenders = AllowedSenders ?? new string[0],
            }, StopToken)));
        }
    }
}
