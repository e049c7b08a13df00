using System;

namespace MailAdmin.Models
{
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
}
