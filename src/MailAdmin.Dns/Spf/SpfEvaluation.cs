using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Dns.Spf
{
    /// <summary>The result of evaluating a sender, with why.</summary>
    public sealed class SpfEvaluation
    {
        public SpfResult Result { get; internal set; }
        /// <summary>The domain whose policy gave the result.</summary>
        public string Domain { get; internal set; }
        /// <summary>The term that decided it (null for a default result).</summary>
        public string MatchedTerm { get; internal set; }
        /// <summary>For Fail: the domain's explanation (exp=), when it published one.</summary>
        public string Explanation { get; internal set; }
        /// <summary>Why there is an error (PermError/TempError), or how the result came about.</summary>
        public string Reason { get; internal set; }
        public int DnsLookups { get; internal set; }
        public int VoidLookups { get; internal set; }
        public override string ToString() => $"{Result}: {Reason}";
    }
}
