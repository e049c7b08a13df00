using System;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>The conditions and actions New-MailRule and Set-MailRule share.</summary>
    public abstract class MailRuleCmdlet : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox the rule belongs to.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Identity", "Address")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Mailbox { get; set; }

        /// <summary>The rule's name, unique in the mailbox.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; }

        /// <summary>Rules run by priority, lowest first (default: after the others).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public int Priority { get; set; }
        /// <summary>Whether the rule runs (default $true).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public bool Enabled { get; set; } = true;
        /// <summary>Sender addresses, domains or wildcards (a@b.com, b.com, *@b.com).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string[] From { get; set; }
        /// <summary>Recipient addresses, domains or wildcards, in To or Cc.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string[] To { get; set; }
        /// <summary>Words in the subject (any of them).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string[] SubjectContains { get; set; }
        /// <summary>'Header-Name: text' pairs (any of them).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string[] HeaderContains { get; set; }
        /// <summary>Words in the text of the body (any of them).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string[] BodyContains { get; set; }
        /// <summary>Messages larger than this many bytes (e.g. 5MB).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public long? SizeAbove { get; set; }
        /// <summary>Messages the spam filter marked.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public SwitchParameter IsSpam { get; set; }
        /// <summary>Files the message in this folder (created when missing).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string MoveToFolder { get; set; }
        /// <summary>Files a copy in this folder (created when missing).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string CopyToFolder { get; set; }
        /// <summary>Marks the message read.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public SwitchParameter MarkRead { get; set; }
        /// <summary>Flags the message.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public SwitchParameter Flag { get; set; }
        /// <summary>Forwards a copy to these addresses (outside ones only when the mailbox may send outside).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string[] ForwardTo { get; set; }
        /// <summary>Moves the message to Trash.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public SwitchParameter Delete { get; set; }
        /// <summary>No rule after this one runs for a message it matched (-StopProcessing works too; the rule's property is StopProcessing).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("StopProcessing")] public SwitchParameter StopProcessingRules { get; set; }

        /// <summary>The rule from the parameters, over a starting rule for Set-MailRule (only given parameters change).</summary>
        protected MailRule Build(MailRule start)
        {
            var r = start ?? new MailRule();
            var b = MyInvocation.BoundParameters;
            r.Mailbox = Mailbox; r.Name = Name;
            if (start == null || b.ContainsKey(nameof(Priority))) r.Priority = Priority;
            if (start == null || b.ContainsKey(nameof(Enabled))) r.Enabled = Enabled;
            if (start == null || b.ContainsKey(nameof(From))) r.From = From;
            if (start == null || b.ContainsKey(nameof(To))) r.To = To;
            if (start == null || b.ContainsKey(nameof(SubjectContains))) r.SubjectContains = SubjectContains;
            if (start == null || b.ContainsKey(nameof(HeaderContains))) r.HeaderContains = HeaderContains;
            if (start == null || b.ContainsKey(nameof(BodyContains))) r.BodyContains = BodyContains;
            if (start == null || b.ContainsKey(nameof(SizeAbove))) r.SizeAbove = SizeAbove;
            if (start == null || b.ContainsKey(nameof(IsSpam))) r.IsSpam = IsSpam;
            if (start == null || b.ContainsKey(nameof(MoveToFolder))) r.MoveToFolder = string.IsNullOrEmpty(MoveToFolder) ? null : MoveToFolder;
            if (start == null || b.ContainsKey(nameof(CopyToFolder))) r.CopyToFolder = string.IsNullOrEmpty(CopyToFolder) ? null : CopyToFolder;
            if (start == null || b.ContainsKey(nameof(MarkRead))) r.MarkRead = MarkRead;
            if (start == null || b.ContainsKey(nameof(Flag))) r.Flag = Flag;
            if (start == null || b.ContainsKey(nameof(ForwardTo))) r.ForwardTo = ForwardTo;
            if (start == null || b.ContainsKey(nameof(Delete))) r.Delete = Delete;
            if (start == null || b.ContainsKey(nameof(StopProcessingRules))) r.StopProcessing = StopProcessingRules;
            return r;
        }
    }

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
            if (!ShouldProcess(Mailbox, $"Create mail rule '{Name}'")) return;
            WriteObject(Await(store.AddRuleAsync(Build(null), StopToken)));
        }
    }

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
                throw new MailAdmin.Errors.MailAdminException(MailAdmin.Errors.MailErrorKind.ObjectNotFound, "MailRuleNotFound", $"{Mailbox} has no rule named '{Name}'.", Name) { Provider = Provider.Name };
            if (!ShouldProcess(Mailbox, $"Change mail rule '{Name}'")) return;
            var saved = Await(store.SetRuleAsync(Build(current), StopToken));
            if (PassThru) WriteObject(saved);
        }
    }

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
                if (pattern == null || pattern.IsMatch(r.Name)) WriteObject(r);
        }
    }

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
            if (!ShouldProcess(Mailbox, $"Remove mail rule '{Name}'")) return;
            Await(store.RemoveRuleAsync(Mailbox, Name, StopToken));
        }
    }

    /// <summary>Gets a mailbox's automatic reply.</summary>
    /// <remarks>A mailbox that never had one shows Enabled $false. Times are in UTC.</remarks>
    /// <example>
    /// <code>Get-MailAutoReply li.lei@contoso.com</code>
    /// <para>Shows whether it is on, its text and its dates.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox | Get-MailAutoReply | Where-Object Enabled</code>
    /// <para>Everyone who is away.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailAutoReply")]
    [OutputType(typeof(MailAutoReply))]
    public sealed class GetMailAutoReplyCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mailbox", "Address")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        protected override void ProcessItem()
            => WriteObject(Await(Require<IAutoReplyStore>("automatic replies").GetAutoReplyAsync(Identity, StopToken)));
    }

    /// <summary>Switches a mailbox's automatic reply on or off and sets its text and dates.</summary>
    /// <remarks>
    /// A sender gets at most one reply per -DaysBetweenReplies (default 7); mailing lists, bulk and automatic mail (Auto-Submitted,
    /// Precedence bulk/list, List-Id) and mail the spam filter marked get none. Times are local unless they carry a zone; they are
    /// kept in UTC. On the Local provider this is a Sieve vacation action that Dovecot runs at delivery.
    /// </remarks>
    /// <example>
    /// <code>Set-MailAutoReply li.lei@contoso.com -Enabled $true -Subject 'Away' -Body 'Back on Monday.' -StartTime '2026-12-20' -EndTime '2027-01-04'</code>
    /// <para>Replies only over the holidays.</para>
    /// </example>
    /// <example>
    /// <code>Set-MailAutoReply li.lei@contoso.com -Enabled $false</code>
    /// <para>Switches it off (the text is kept for next time).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "MailAutoReply", SupportsShouldProcess = true)]
    [OutputType(typeof(MailAutoReply))]
    public sealed class SetMailAutoReplyCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mailbox", "Address")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }
        /// <summary>On or off.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public bool? Enabled { get; set; }
        /// <summary>The reply's subject (default: "Auto: " and the original subject).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string Subject { get; set; }
        /// <summary>The reply's text.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string Body { get; set; }
        /// <summary>From when it replies; $null clears it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public DateTime? StartTime { get; set; }
        /// <summary>Until when it replies; $null clears it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public DateTime? EndTime { get; set; }
        /// <summary>Replies only to senders outside the organisation.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public bool? ExternalOnly { get; set; }
        /// <summary>Days before the same sender gets another reply (1-365).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public int? DaysBetweenReplies { get; set; }
        /// <summary>Writes the auto-reply afterwards.</summary>
        [Parameter] public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IAutoReplyStore>("automatic replies");
            var b = MyInvocation.BoundParameters;
            var u = new MailAutoReplyUpdate
            {
                Enabled = Enabled, Subject = Subject, Body = Body, StartTime = StartTime, EndTime = EndTime, ExternalOnly = ExternalOnly, DaysBetweenReplies = DaysBetweenReplies,
                ClearStartTime = b.ContainsKey(nameof(StartTime)) && StartTime == null, ClearEndTime = b.ContainsKey(nameof(EndTime)) && EndTime == null,
            };
            if (!ShouldProcess(Identity, Enabled == false ? "Switch the automatic reply off" : "Set the automatic reply")) return;
            var saved = Await(store.SetAutoReplyAsync(Identity, u, StopToken));
            if (PassThru) WriteObject(saved);
        }
    }
}
