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
    /// <summary>A zone's outcome: every record on every server, and whether all were seen before the time ran out.</summary>
    public sealed class MailDnsPropagationResult
    {
        public string Domain { get; set; }
        public bool Propagated { get; set; }
        public string[] Servers { get; set; } = new string[0];
        public int Records { get; set; }
        /// <summary>Record-and-server pairs not seen yet.</summary>
        public int Missing { get; set; }
        public TimeSpan Elapsed { get; set; }
        public List<MailDnsPropagationCheck> Checks { get; set; } = new List<MailDnsPropagationCheck>();
        public override string ToString() => $"{Domain}: {(Propagated ? "propagated" : Missing + " missing")}";
    }
}
