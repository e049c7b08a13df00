using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;

namespace MailAdmin.Dns
{
    /// <summary>One target looked up in one DNS blocklist zone (RFC 5782).</summary>
    public sealed class MailBlocklistResult
    {
        public string Target { get; set; }
        public string Zone { get; set; }
        public BlocklistStatus Status { get; set; }
        public bool Listed => Status == BlocklistStatus.Listed;
        /// <summary>The A records returned (return codes).</summary>
        public string[] Codes { get; set; } = new string[0];
        /// <summary>What the codes mean (per zone), or why the answer is not a listing.</summary>
        public string Meaning { get; set; }
        /// <summary>The zone's TXT reason, when listed.</summary>
        public string Reason { get; set; }
        /// <summary>The name asked.</summary>
        public string Query { get; set; }
        public override string ToString() => $"{Target} {Zone}: {Status}";
    }
}
