using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Revokes an app password: the client that used it can no longer sign in.</summary>
    /// <remarks>Takes effect at the next login; sessions already open stay open until they end.</remarks>
    /// <example>
    /// <code>Remove-MailAppPassword li.lei@contoso.com -Name 'Phone'</code>
    /// <para>Revokes the lost phone's password.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailAppPassword li.lei@contoso.com | Remove-MailAppPassword -Confirm:$false</code>
    /// <para>Revokes all of them.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "MailAppPassword", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveMailAppPasswordCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Identity", "Address")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Mailbox { get; set; }

        /// <summary>The app password's name.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; }

        /// <summary>WeCom: the id Get-MailAppPassword shows (its names need not be unique); piped rows bind it, so the right one goes.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Id { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IAppPasswordStore>("app passwords");
            if (!ShouldProcess(Mailbox, $"Revoke app password '{Name}'{(string.IsNullOrEmpty(Id) ? "" : $" ({Id})")}"))
            {
                return;
            }

            Await(store.RemoveAppPasswordAsync(Mailbox, string.IsNullOrEmpty(Id) ? Name : Id, StopToken));
        }
    }
}
