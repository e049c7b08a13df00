using System;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Removes a mail rule.</summary>
    /// <remarks>The mailbox's script is rewritten at once; when no rule, auto-reply or own policy is left, the store's default applies.</remarks>
    /// <example>
    /// <code>Remove-MailRule li.lei@contoso.com 'Invoices'</code>
    /// <para>Removes one rule.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailRule | Where-Object ForwardTo -like '*@gmail.com' | Remove-MailRule -Confirm:$false</code>
    /// <para>Removes every rule that forwards to Gmail.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "MailRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveMailRuleCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Identity", "Address")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Mailbox { get; set; }

        /// <summary>The rule's name.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailRuleStore>("mail rules");
            if (!ShouldProcess(Mailbox, $"Remove mail rule '{Name}'"))
            {
                return;
            }

            Await(store.RemoveRuleAsync(Mailbox, Name, StopToken));
        }
    }
}
