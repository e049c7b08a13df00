using System;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Creates a mail rule that files, flags, forwards or deletes a mailbox's incoming mail.</summary>
    /// <remarks>
    /// Every condition given must hold; several values of one condition mean any of them. With no condition the rule applies
    /// to every message. On the Local provider the mailbox's rules become one Sieve script that Dovecot runs at delivery.
    /// A rule set moves between mailboxes as objects: Get-MailRule | Export-Clixml, then Import-Clixml | New-MailRule -Mailbox.
    /// </remarks>
    /// <example>
    /// <code>New-MailRule li.lei@contoso.com 'Invoices' -From billing@supplier.com, '*@invoices.example' -MoveToFolder 'Finance/Invoices'</code>
    /// <para>Files supplier invoices in a folder, created when missing.</para>
    /// </example>
    /// <example>
    /// <code>New-MailRule li.lei@contoso.com 'Big' -SizeAbove 10MB -Flag -StopProcessing -Priority 1</code>
    /// <para>Flags large messages first and runs no later rule on them.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailRule boss@contoso.com | Export-Clixml rules.xml; Import-Clixml rules.xml | New-MailRule -Mailbox deputy@contoso.com</code>
    /// <para>Copies one mailbox's rules to another.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "MailRule", SupportsShouldProcess = true)]
    [OutputType(typeof(MailRule))]
    public sealed class NewMailRuleCommand : MailRuleCmdlet
    {
        protected override void ProcessItem()
        {
            var store = Require<IMailRuleStore>("mail rules");
            if (!ShouldProcess(Mailbox, $"Create mail rule '{Name}'"))
            {
                return;
            }

            WriteObject(Await(store.AddRuleAsync(Build(null), StopToken)));
        }
    }
}
