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
        [Parameter(ValueFromPipelineByPropertyName = true)][Alias("StopProcessing")] public SwitchParameter StopProcessingRules { get; set; }

        /// <summary>The rule from the parameters, over a starting rule for Set-MailRule (only given parameters change).</summary>
        protected MailRule Build(MailRule start)
        {
            var r = start ?? new MailRule();
            var b = MyInvocation.BoundParameters;
            r.Mailbox = Mailbox;
            r.Name = Name;
            if (start == null || b.ContainsKey(nameof(Priority)))
            {
                r.Priority = Priority;
            }

            if (start == null || b.ContainsKey(nameof(Enabled)))
            {
                r.Enabled = Enabled;
            }

            if (start == null || b.ContainsKey(nameof(From)))
            {
                r.From = From;
            }

            if (start == null || b.ContainsKey(nameof(To)))
            {
                r.To = To;
            }

            if (start == null || b.ContainsKey(nameof(SubjectContains)))
            {
                r.SubjectContains = SubjectContains;
            }

            if (start == null || b.ContainsKey(nameof(HeaderContains)))
            {
                r.HeaderContains = HeaderContains;
            }

            if (start == null || b.ContainsKey(nameof(BodyContains)))
            {
                r.BodyContains = BodyContains;
            }

            if (start == null || b.ContainsKey(nameof(SizeAbove)))
            {
                r.SizeAbove = SizeAbove;
            }

            if (start == null || b.ContainsKey(nameof(IsSpam)))
            {
                r.IsSpam = IsSpam;
            }

            if (start == null || b.ContainsKey(nameof(MoveToFolder)))
            {
                r.MoveToFolder = string.IsNullOrEmpty(MoveToFolder) ? null : MoveToFolder;
            }

            if (start == null || b.ContainsKey(nameof(CopyToFolder)))
            {
                r.CopyToFolder = string.IsNullOrEmpty(CopyToFolder) ? null : CopyToFolder;
            }

            if (start == null || b.ContainsKey(nameof(MarkRead)))
            {
                r.MarkRead = MarkRead;
            }

            if (start == null || b.ContainsKey(nameof(Flag)))
            {
                r.Flag = Flag;
            }

            if (start == null || b.ContainsKey(nameof(ForwardTo)))
            {
                r.ForwardTo = ForwardTo;
            }

            if (start == null || b.ContainsKey(nameof(Delete)))
            {
                r.Delete = Delete;
            }

            if (start == null || b.ContainsKey(nameof(StopProcessingRules)))
            {
                r.StopProcessing = StopProcessingRules;
            }

            return r;
        }
    }
}
