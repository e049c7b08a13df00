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
    /// <summary>One record as one server answered it.</summary>
    public sealed class MailDnsPropagationCheck
    {
        public string Zone { get; set; }
        public string Name { get; set; }
        public string Type { get; set; }
        public string Expected { get; set; }
        /// <summary>The server asked (address:port) and what it is: Authoritative or Resolver.</summary>
        public string Server { get; set; }
        public string ServerRole { get; set; }
        public bool Seen { get; set; }
        /// <summary>What the server answered last (the record's values at that name and type, or the DNS status).</summary>
        public string[] Answer { get; set; } = new string[0];
        public DateTime? SeenAt { get; set; }
    }
}
