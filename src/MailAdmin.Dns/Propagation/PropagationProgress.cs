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
    /// <summary>Progress of a wait: pairs seen so far of all pairs, and the round.</summary>
    public sealed class PropagationProgress
    {
        public string Zone; public int Seen; public int Total; public int Round; public TimeSpan Elapsed;
    }
}
