using System.Management.Automation;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Disables mailboxes: they can no longer log in or receive mail; nothing is deleted.</summary>
    /// <remarks>A disabled mailbox keeps its mail, aliases and settings; Enable-Mailbox turns it back on.</remarks>
    /// <example>
    /// <code>Disable-Mailbox li.lei@contoso.com</code>
    /// <para>Disables one mailbox.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv leavers.csv | Disable-Mailbox</code>
    /// <para>Disables every mailbox listed in the Address column of leavers.csv.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Disable, "Mailbox", SupportsShouldProcess = true)]
    [OutputType(typeof(Mailbox))]
    public sealed class DisableMailboxCommand : MailboxSwitchCmdlet
    {
        public DisableMailboxCommand()
            : base(false)
        {
        }
    }
}
