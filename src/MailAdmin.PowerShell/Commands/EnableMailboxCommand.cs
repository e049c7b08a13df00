using System.Management.Automation;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Enables mailboxes (login and mail delivery).</summary>
    /// <remarks>An enabled mailbox can log in and receive mail.</remarks>
    /// <example>
    /// <code>Enable-Mailbox li.lei@contoso.com</code>
    /// <para>Enables one mailbox.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Enabled $false -Department Sales | Enable-Mailbox -PassThru</code>
    /// <para>Enables every disabled Sales mailbox and shows them.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Enable, "Mailbox", SupportsShouldProcess = true)]
    [OutputType(typeof(Mailbox))]
    public sealed class EnableMailboxCommand : MailboxSwitchCmdlet
    {
        public EnableMailboxCommand()
            : base(true)
        {
        }
    }
}
