using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Gets the rights on mailboxes, with each mailbox's role and send scope.</summary>
    /// <remarks>
    /// One row per right held (Identity, Trustee, AccessRights, Role, SendScope). A mailbox named with -Identity that no one
    /// holds a right on still gets one row, with no Trustee, showing its Role and SendScope. -Trustee lists the rights one
    /// mailbox holds on others.
    /// </remarks>
    /// <example>
    /// <code>Get-MailPermission boss@contoso.com</code>
    /// <para>Shows who has access to the boss's mailbox.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailPermission -Trustee assistant@contoso.com | Export-Csv access.csv</code>
    /// <para>Exports every right the assistant holds.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailPermission")]
    [OutputType(typeof(MailPermission))]
    public sealed class GetMailPermissionCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox; default: every mailbox.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress", "Mailbox")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>Only the rights this mailbox holds.</summary>
        [Parameter]
        [Alias("User")]
        public string Trustee { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IPermissionStore>("permissions");
            WriteStream(store.ListPermissions(Identity, Trustee));
        }
    }
}
