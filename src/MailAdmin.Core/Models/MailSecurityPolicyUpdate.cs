using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>Changes to a security policy; what is null stays. For a mailbox, Reset names overrides to drop (back to the store's).</summary>
    public sealed class MailSecurityPolicyUpdate
    {
        public int? MinPasswordLength { get; set; }
        public bool? RequireComplexity { get; set; }
        public int? PasswordMaxAgeDays { get; set; }
        public int? PasswordHashCost { get; set; }
        public SpamFilterLevel? SpamFilterLevel { get; set; }
        public bool? ForceSecureLogin { get; set; }
        public bool? RequireTls { get; set; }
        public string[] BlockedSenders { get; set; }
        public string[] AllowedSenders { get; set; }
        public string[] Reset { get; set; }
    }
}
