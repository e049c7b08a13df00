using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.DnsHosting;
using MailAdmin.Errors;

namespace MailAdmin.Dns.Propagation
{
    /// <summary>A record whose publication is awaited.</summary>
    public sealed class PropagationRecord
    {
        public string Zone { get; set; }
        public string Name { get; set; }
        public string Type { get; set; }
        public string Value { get; set; }
        public int? Priority { get; set; }
        /// <summary>The record was removed: it is awaited until the servers no longer serve it.</summary>
        public bool Absent { get; set; }
        public override string ToString() => $"{Name} {Type} {(Priority.HasValue ? Priority + " " : "")}{Value}";
    }
}
