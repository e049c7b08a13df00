using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.DnsHosting
{
    /// <summary>One record as a DNS host holds it. Names have no trailing dot; a TXT value is the joined text, unquoted.</summary>
    public sealed class DnsHostRecord
    {
        public string Zone { get; set; }
        /// <summary>Fully qualified owner name, lower case, without the trailing dot.</summary>
        public string Name { get; set; }
        public string Type { get; set; }
        public int Ttl { get; set; }
        /// <summary>MX and CNAME: the target host; SRV: "weight port target"; TXT: the text (character-strings joined).</summary>
        public string Value { get; set; }
        /// <summary>MX preference or SRV priority.</summary>
        public int? Priority { get; set; }
        /// <summary>The host's own id of the record (PowerDNS has none: its presentation content stands in).</summary>
        public string Id { get; set; }
        public bool Disabled { get; set; }
        /// <summary>The DNS host (provider name) that holds it.</summary>
        public string DnsHost { get; set; }
        public override string ToString() => $"{Name} {Ttl} IN {Type} {(Priority.HasValue ? Priority + " " : "")}{Value}";
    }
}
