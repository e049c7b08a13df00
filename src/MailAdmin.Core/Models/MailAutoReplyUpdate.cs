using System;

namespace MailAdmin.Models
{
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
}
