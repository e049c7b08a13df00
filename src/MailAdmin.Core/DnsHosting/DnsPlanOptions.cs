using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MailAdmin.Models;

namespace MailAdmin.DnsHosting
{
    /// <summary>What the planner asks of the host and of DNS.</summary>
    public sealed class DnsPlanOptions
    {
        /// <summary>The TTL the host keeps for a requested one (a host with a minimum raises it); null: as requested.</summary>
        public Func<int, int> EffectiveTtl { get; set; }

        /// <summary>
        /// The DNS lookups an SPF record published at a name costs, following include: and redirect= through DNS, with a
        /// line per term; null: only the record's own terms are counted.
        /// </summary>
        public Func<string, string, (int Count, string Detail)> CountSpfLookups { get; set; }
    }
}
