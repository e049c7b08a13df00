using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>A user mailbox.</summary>
    public sealed class Mailbox
    {
        public string Address { get; set; }
        public string DisplayName { get; set; }
        public string Department { get; set; }
        public string JobTitle { get; set; }
        public string Mobile { get; set; }
        public MailRole Role { get; set; }
        public bool Enabled { get; set; } = true;
        public string[] Aliases { get; set; } = new string[0];
        public long? QuotaMB { get; set; }
        /// <summary>Space the mail takes on the server in MB, as the mail server last reported it (null: not reported).</summary>
        public double? UsedMB { get; set; }
        /// <summary>UsedMB as a percentage of QuotaMB (null without a quota or a usage figure).</summary>
        public double? QuotaUsedPercent => QuotaMB.HasValue && QuotaMB.Value > 0 && UsedMB.HasValue ? Math.Round(100.0 * UsedMB.Value / QuotaMB.Value, 1)
            : (double?)null;
        /// <summary>False until a password has been set (a mailbox created without one cannot log in).</summary>
        public bool HasPassword { get; set; }
        public DateTime? PasswordLastSet { get; set; }
        public DateTime CreatedAt { get; set; }
        public string Domain { get; set; }
        public string Provider { get; set; }
        public string Id { get; set; }
        /// <summary>The directory's own name for the person where it differs from the address (WeCom's UserID); null elsewhere.</summary>
        public string UserId { get; set; }
        /// <summary>Holds a paid advanced-feature seat (WeCom's 高级功能 account); null where the provider has no such seats.</summary>
        public bool? AdvancedFeatures { get; set; }
        /// <summary>User, or Shared: a mailbox nobody signs in to, used by the people who hold permissions on it.</summary>
        public MailboxType Type { get; set; }
        public bool IsShared => Type == MailboxType.Shared;
        public override string ToString() => Address;
    }
}
