using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>Changes Set-Mailbox asks for; null leaves a field as it is.</summary>
    public sealed class MailboxUpdate
    {
        public string DisplayName { get; set; }
        public string Department { get; set; }
        public string JobTitle { get; set; }
        public string Mobile { get; set; }
        public long? QuotaMB { get; set; }
        public bool ClearQuota { get; set; }
        public string[] AddAliases { get; set; }
        public string[] RemoveAliases { get; set; }
        /// <summary>Converts the mailbox: to Shared its password and app passwords are removed; to User it has none until one is set.</summary>
        public MailboxType? Type { get; set; }
    }
}
