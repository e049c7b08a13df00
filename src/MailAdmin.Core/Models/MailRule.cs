using System;

namespace MailAdmin.Models
{
    /// <summary>
    /// A mail rule of one mailbox (New-MailRule): every condition that is set must hold (several values of one condition: any
    /// of them); the actions run in a fixed order (flags, copy, forward, then move or delete), and StopProcessing ends the
    /// rules with a lower priority. Rules run by Priority, lowest first.
    /// </summary>
    public sealed class MailRule
    {
        public string Mailbox { get; set; }
        public string Name { get; set; }
        public int Priority { get; set; }
        public bool Enabled { get; set; } = true;
        // conditions
        /// <summary>Sender addresses (a@b.com), domains (b.com) or wildcards (*@b.com).</summary>
        public string[] From { get; set; }
        /// <summary>Recipient addresses, domains or wildcards, matched in To and Cc.</summary>
        public string[] To { get; set; }
        public string[] SubjectContains { get; set; }
        /// <summary>"Header-Name: text" pairs: the header contains the text.</summary>
        public string[] HeaderContains { get; set; }
        public string[] BodyContains { get; set; }
        /// <summary>The message is larger than this many bytes.</summary>
        public long? SizeAbove { get; set; }
        /// <summary>The spam filter marked the message (X-Spam-Flag / X-Spam: yes).</summary>
        public bool IsSpam { get; set; }
        // actions
        /// <summary>Files the message in this folder (created when missing) instead of the Inbox.</summary>
        public string MoveToFolder { get; set; }
        /// <summary>Files a copy in this folder (created when missing).</summary>
        public string CopyToFolder { get; set; }
        public bool MarkRead { get; set; }
        public bool Flag { get; set; }
        /// <summary>Forwards a copy to these addresses (external ones only when the mailbox's SendScope allows it).</summary>
        public string[] ForwardTo { get; set; }
        /// <summary>Moves the message to Trash (recoverable) instead of the Inbox.</summary>
        public bool Delete { get; set; }
        public bool StopProcessing { get; set; }
        public string Provider { get; set; }
        public override string ToString() => Name;
    }
}
