using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>One MX host and the answers to its address questions, as the MX check found them.</summary>
    public sealed class MxHost
    {
        /// <summary>Records one host.</summary>
        public MxHost(string host, DnsAnswer<IPAddress> a, DnsAnswer<IPAddress> aaaa)
        {
            Host = host;
            A = a;
            Aaaa = aaaa;
        }

        /// <summary>The MX host name.</summary>
        public string Host { get; }

        /// <summary>Its A answer.</summary>
        public DnsAnswer<IPAddress> A { get; }

        /// <summary>Its AAAA answer.</summary>
        public DnsAnswer<IPAddress> Aaaa { get; }
    }
}
