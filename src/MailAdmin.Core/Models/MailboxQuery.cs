using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>Filters of Get-Mailbox.</summary>
    public sealed class MailboxQuery
    {
        /// <summary>An address, or a wildcard pattern (* ? [..]).</summary>
        public string Identity { get; set; }
        public string Domain { get; set; }
        public string Department { get; set; }
        public MailRole? Role { get; set; }
        public bool? Enabled { get; set; }
        public MailboxType? Type { get; set; }
        public int PageSize { get; set; } = 1000;
    }
}
