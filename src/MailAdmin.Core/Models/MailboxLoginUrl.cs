using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>A one-time sign-in link for a mailbox (Get-MailboxLoginUrl). The link is a credential: hand it over, do not log it.</summary>
    public sealed class MailboxLoginUrl
    {
        public string Identity { get; set; }
        public string Url { get; set; }
        public DateTime ExpiresAt { get; set; }
        public string Provider { get; set; }
        public override string ToString() => Identity;
    }
}
