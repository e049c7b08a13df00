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

    /// <summary>A mailbox's automatic reply (Set-MailAutoReply).</summary>
    public sealed class MailAutoReply
    {
        public string Mailbox { get; set; }
        public bool Enabled { get; set; }
        public string Subject { get; set; }
        public string Body { get; set; }
        /// <summary>From when it replies (UTC); none: at once.</summary>
        public DateTime? StartTime { get; set; }
        /// <summary>Until when it replies (UTC); none: until switched off.</summary>
        public DateTime? EndTime { get; set; }
        /// <summary>Replies only to senders outside the organisation's domains.</summary>
        public bool ExternalOnly { get; set; }
        /// <summary>Replies at most once per sender in this many days.</summary>
        public int DaysBetweenReplies { get; set; } = 7;
        public string Provider { get; set; }
    }

    /// <summary>Changes to an automatic reply; what is null stays.</summary>
    public sealed class MailAutoReplyUpdate
    {
        public bool? Enabled { get; set; }
        public string Subject { get; set; }
        public string Body { get; set; }
        public DateTime? StartTime { get; set; }
        public DateTime? EndTime { get; set; }
        public bool ClearStartTime { get; set; }
        public bool ClearEndTime { get; set; }
        public bool? ExternalOnly { get; set; }
        public int? DaysBetweenReplies { get; set; }
    }

    /// <summary>An app password's record (the secret itself is shown once, by New-MailAppPassword).</summary>
    public sealed class MailAppPassword
    {
        public string Mailbox { get; set; }
        public string Name { get; set; }
        public DateTime CreatedAt { get; set; }
        /// <summary>When a mail client last signed in with it, where the provider says (WeCom); null: never, or not reported.</summary>
        public DateTime? LastUsedAt { get; set; }
        /// <summary>The provider's id for it where names need not be unique (WeCom's auth_code_id); null elsewhere.</summary>
        public string Id { get; set; }
        public string Provider { get; set; }
        public override string ToString() => Name;
    }

    /// <summary>How eagerly mail the spam filter scored is filed in Junk.</summary>
    public enum SpamFilterLevel
    {
        /// <summary>Nothing is filed in Junk.</summary>
        Off,
        /// <summary>Only what the filter flags as spam, or scores 10 or more.</summary>
        Low,
        /// <summary>Flagged, or a score of 5 or more (SpamAssassin's default threshold).</summary>
        Medium,
        /// <summary>Flagged, or a score of 3 or more.</summary>
        High,
    }
}
