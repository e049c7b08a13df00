using System;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Gets mail rules: of one mailbox, or of every mailbox.</summary>
    /// <remarks>Rules come by mailbox, then by priority (the order they run in). The objects carry every condition and action, so they
    /// export (Export-Clixml, ConvertTo-Json) and import into another mailbox with New-MailRule -Mailbox.</remarks>
    /// <example>
    /// <code>Get-MailRule li.lei@contoso.com</code>
    /// <para>One mailbox's rules, by priority.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailRule | Where-Object ForwardTo | Format-Table Mailbox, Name, ForwardTo</code>
    /// <para>Every rule in the directory that forwards mail.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailRule li.lei@contoso.com | ConvertTo-Json -Depth 3 | Set-Content rules.json</code>
    /// <para>Saves a rule set as JSON; ConvertFrom-Json | New-MailRule -Mailbox brings it back.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailRule")]
    [OutputType(typeof(MailRule))]
    public sealed class GetMailRuleCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox; none: every mailbox.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Identity", "Address")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Mailbox { get; set; }

        /// <summary>The rule's name (wildcards allowed).</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        public string Name { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailRuleStore>("mail rules");
            var pattern = string.IsNullOrEmpty(Name) ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
            foreach (var r in Await(store.GetRulesAsync(Mailbox, StopToken)))
            {
                if (pattern == null || pattern.IsMatch(r.Name))
                {
                    WriteObject(r);
                }
            }
        }
    }
}
