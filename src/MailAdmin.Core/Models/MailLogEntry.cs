using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>One entry of a provider's logs (Get-MailLog); which fields are set depends on the Kind.</summary>
    public sealed class MailLogEntry
    {
        public MailLogKind Kind { get; set; }
        public DateTime? Time { get; set; }
        /// <summary>The mailbox the entry is about (login log, mail log filter).</summary>
        public string Mailbox { get; set; }
        public MailDirection? Direction { get; set; }
        public string Sender { get; set; }
        public string Recipient { get; set; }
        public string Subject { get; set; }
        /// <summary>The outcome or kind of the entry as a name (e.g. Delivered, Bounced, Web, AddUser).</summary>
        public string Status { get; set; }
        public string Type { get; set; }
        public string ClientAddress { get; set; }
        public string Operator { get; set; }
        public string Operand { get; set; }
        public string Remark { get; set; }
        /// <summary>Summary: messages sent and received in the period.</summary>
        public long? SentCount { get; set; }
        public long? ReceivedCount { get; set; }
        public string Domain { get; set; }
        public string Provider { get; set; }
    }
}
