using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>A DNS record a domain needs at its DNS host.</summary>
    public sealed class MailDnsRecord
    {
        public string Zone { get; set; }
        /// <summary>Fully qualified owner name, without the trailing dot.</summary>
        public string Name { get; set; }
        public string Type { get; set; }
        public string Value { get; set; }
        public int? Priority { get; set; }
        public int Ttl { get; set; } = 3600;
        public MailDnsPurpose Purpose { get; set; }
        public bool Required { get; set; } = true;
        public string Note { get; set; }
        public override string ToString() => $"{Name} {Ttl} IN {Type} {(Priority.HasValue ? Priority + " " : "")}{Value}";
    }
}
