using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>A mail domain bound to a provider.</summary>
    public sealed class MailDomain
    {
        /// <summary>The domain in Unicode form (IDN shown as people write it).</summary>
        public string Name { get; set; }
        /// <summary>The ASCII (punycode) form, as stored and as DNS sees it.</summary>
        public string AsciiName { get; set; }
        public MailDomainStatus Status { get; set; }
        public bool IsPrimary { get; set; }
        public bool Enabled { get; set; } = true;
        /// <summary>The host that receives mail for the domain (target of its MX record).</summary>
        public string MailHost { get; set; }
        public int MailboxCount { get; set; }
        public int GroupCount { get; set; }
        /// <summary>Whether the provider has seen the domain's MX pointing to it (null where the provider does not say).</summary>
        public bool? IsMxVerified { get; set; }
        /// <summary>Other names that receive the same mail (domain aliases), where the provider keeps them.</summary>
        public string[] Aliases { get; set; } = new string[0];
        public DateTime CreatedAt { get; set; }
        public string Provider { get; set; }
        public override string ToString() => Name;
    }
}
