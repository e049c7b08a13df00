using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>What Get-MailLog asks for.</summary>
    public sealed class MailLogQuery
    {
        public MailLogKind Kind { get; set; }
        public DateTime Start { get; set; }
        public DateTime End { get; set; }
        public string Mailbox { get; set; }
        public string Domain { get; set; }
        public string Subject { get; set; }
        public MailDirection Direction { get; set; }
        /// <summary>Operation log category (provider-specific number; 1 = all).</summary>
        public int? Category { get; set; }
    }
}
