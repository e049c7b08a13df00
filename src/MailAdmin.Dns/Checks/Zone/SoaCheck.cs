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
    /// <summary>SOA timers (6).</summary>
    internal sealed class SoaCheck : IMailDomainCheck
    {
        public Task RunAsync(CheckContext context)
        {
            Soa(context.Domain, context.Soa.Records, context.Sink);
            return Task.CompletedTask;
        }

        public static void Soa(string domain, IReadOnlyList<string> soa, CheckSink sink)
        {
            if (soa.Count == 0)
            {
                return;
            }

            var f = soa[0].Split(' ');
            if (f.Length < 7)
            {
                return;
            }

            long N(int i) => long.TryParse(f[i], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
            var (refresh, retry, expire, minimum) = (N(3), N(4), N(5), N(6));
            var notes = new List<string>();
            if (refresh < 1200 || refresh > 43200)
            {
                notes.Add($"refresh {refresh} s is outside 1200-43200");
            }

            if (retry >= refresh)
            {
                notes.Add($"retry {retry} s is not shorter than refresh {refresh} s");
            }

            if (expire < 1209600 || expire > 2419200)
            {
                notes.Add($"expire {expire} s is outside 2-4 weeks");
            }

            if (minimum < 300 || minimum > 86400)
            {
                notes.Add($"negative-caching TTL {minimum} s is outside 300-86400");
            }

            sink.Add(MailCheckId.SoaFields, "SOA timers", notes.Count == 0 ? MailCheckStatus.Pass : MailCheckStatus.Info,
                notes.Count == 0 ? "The SOA timers are in the usual ranges." : "SOA: " + string.Join("; ", notes) + ".", "RFC 1912 2.2, RFC 2308 5", soa);
        }
    }
}
