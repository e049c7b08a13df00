using System;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Changes a mail rule; only the parameters given change.</summary>
    /// <remarks>Give a switch as -Name:$false to turn it off (e.g. -MarkRead:$false); an empty string clears a folder.</remarks>
    /// <example>
    /// <code>Set-MailRule li.lei@contoso.com 'Invoices' -MarkRead</code>
    /// <para>Also marks filed invoices read.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailRule -Mailbox li.lei@contoso.com | Set-MailRule -Enabled $false</code>
    /// <para>Switches every rule of a mailbox off.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "MailRule", SupportsShouldProcess = true)]
    [OutputType(typeof(MailRule))]
    public sealed class SetMailRuleCommand : MailRuleCmdlet
    {
        /// <summary>Writes the rule afterwards.</summary>
        [Parameter] public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailRuleStore>("mail rules");
            var current = Await(store.GetRulesAsync(Mailbox, StopToken)).FirstOrDefault(r => string.Equals(r.Name, Name?.Trim(), StringComparison.Ordinal));
            if (current == null)
            {
                throw new MailAdmin.Errors.MailAdminException(
                    MailAdmin.Errors.MailErrorKind.ObjectNotFound, "MailRuleNotFound", $"{Mailbox} has no rule named '{Name}'.",
                    Name) { Provider = Provider.Name };
            }

            if (!ShouldProcess(Mailbox, $"Change mail rule '{Name}'"))
            {
                return;
            }

            var saved = Await(store.SetRuleAsync(Build(current), StopToken));
            if (PassThru)
            {
                WriteObject(saved);
            }
        }
    }
}
