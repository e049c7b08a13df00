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
    /// <summary>
    /// Asks each of a zone's authoritative name servers (found from its NS records, or named) and any public resolvers
    /// directly, in rounds, until each server gives every record or the time runs out. Never uses another resolver than
    /// the ones it is given (PITFALLS 4).
    /// </summary>
    public sealed class PropagationWatcher
    {
        private readonly IDnsResolver _lookup;
        private readonly TimeSpan _answerTimeout;

        /// <param name="lookup">Finds the zone's NS names and their addresses (when no name servers are named).</param>
        public PropagationWatcher(IDnsResolver lookup, TimeSpan answerTimeout)
        {
            _lookup = lookup;
            _answerTimeout = answerTimeout;
        }

        /// <summary>The zone's authoritative servers as address:53, from its NS records.</summary>
        public async Task<List<IPEndPoint>> FindNameServersAsync(string zone, CancellationToken ct)
        {
            var ns = await _lookup.QueryAsync(zone, "NS", ct).ConfigureAwait(false);
            if (ns.Records.Count == 0)
            {
                throw MailAdminException.NotFound(
                    "DnsZoneNameServersNotFound",
                    $"No NS records found for {zone} ({ns.Status}); name the servers with -NameServer.",
                    zone);
            }

            var list = new List<IPEndPoint>();
            foreach (var host in ns.Records)
            {
                foreach (var v6 in new[] { false, true })
                {
                    var a = await _lookup.AddressAsync(host, v6, ct).ConfigureAwait(false);
                    list.AddRange(a.Records.Select(ip => new IPEndPoint(ip, 53)));
                }
            }
            if (list.Count == 0)
            {
                throw MailAdminException.NotFound(
                    "DnsZoneNameServersNotFound",
                    $"The name servers of {zone} ({string.Join(", ", ns.Records)}) have no addresses.",
                    zone);
            }

            return list.Distinct().ToList();
        }

        public async Task<MailDnsPropagationResult> WaitAsync(string zone, IReadOnlyList<PropagationRecord> records, IReadOnlyList<IPEndPoint> authoritative,
            IReadOnlyList<IPEndPoint> resolvers, TimeSpan wait, TimeSpan interval, Action<PropagationProgress> progress, CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            var servers = authoritative.Select(s => (ep: s, role: "Authoritative")).Concat(resolvers.Select(s => (ep: s, role: "Resolver"))).ToList();
            var checks = new List<(MailDnsPropagationCheck check, PropagationRecord record, IDnsResolver via)>();
            foreach (var (ep, role) in servers)
            {
                var via = new DnsResolver(new[] { ep }, _answerTimeout, 1);
                foreach (var r in records)
                {
                    var check = new MailDnsPropagationCheck
                    {
                        Zone = zone,
                        Name = r.Name,
                        Type = r.Type.ToUpperInvariant(),
                        Expected = Expected(r),
                        Server = ep.ToString(),
                        ServerRole = role,
                    };
                    checks.Add((check, r, via));
                }
            }
            for (var round = 1; ; round++)
            {
                var pending = checks.Where(c => !c.check.Seen).ToList();
                await Task.WhenAll(pending.Select(async c =>
                {
                    var answer = await AskAsync(c.via, c.record, ct).ConfigureAwait(false);
                    c.check.Answer = answer.values;
                    if (Settled(c.record, answer))
                    {
                        c.check.Seen = true;
                        c.check.SeenAt = DateTime.UtcNow;
                    }
                })).ConfigureAwait(false);
                var seen = checks.Count(c => c.check.Seen);
                progress?.Invoke(new PropagationProgress { Zone = zone, Seen = seen, Total = checks.Count, Round = round, Elapsed = watch.Elapsed });
                if (seen == checks.Count || watch.Elapsed + interval > wait)
                {
                    break;
                }

                await Task.Delay(interval, ct).ConfigureAwait(false);
            }
            var missing = checks.Count(c => !c.check.Seen);
            return new MailDnsPropagationResult
            {
                Domain = zone,
                Propagated = missing == 0,
                Servers = servers.Select(s => s.ep.ToString()).ToArray(),
                Records = records.Count,
                Missing = missing,
                Elapsed = watch.Elapsed,
                Checks = checks.Select(c => c.check).ToList(),
            };
        }

        /// <summary>
        /// Whether a server's answer is what publishing asked for: the record served, or for a removed record (Absent) a
        /// clean answer without it (a failed or timed-out lookup proves nothing).
        /// </summary>
        internal static bool Settled(PropagationRecord r, (bool seen, string[] values, DnsStatus status) answer)
            => r.Absent ? !answer.seen && (answer.status == DnsStatus.NoError || answer.status == DnsStatus.NxDomain) : answer.seen;

        private static string Expected(PropagationRecord r)
        {
            var type = r.Type.ToUpperInvariant();
            var value = (type == "MX" || type == "SRV") && r.Priority.HasValue
                ? r.Priority + " " + DnsPublishPlanner.Canon(type, r.Value)
                : DnsPublishPlanner.Canon(type, r.Value);
            return r.Absent ? "absent: " + value : value;
        }

        /// <summary>Whether one server holds the record now, and what it answered.</summary>
        internal static async Task<(bool seen, string[] values, DnsStatus status)> AskAsync(IDnsResolver via, PropagationRecord r, CancellationToken ct)
        {
            var name = r.Name.TrimEnd('.');
            var type = r.Type.ToUpperInvariant();
            var expected = new PropagationRecord { Name = r.Name, Type = r.Type, Value = r.Value, Priority = r.Priority };
            var want = Expected(expected);
            switch (type)
            {
                case "TXT":
                    {
                        var a = await via.TxtAsync(name, ct).ConfigureAwait(false);
                        return (a.Records.Any(v => DnsPublishPlanner.TxtEquals(v, r.Value)), Values(a.Status, a.Records), a.Status);
                    }
                case "MX":
                    {
                        var a = await via.MxAsync(name, ct).ConfigureAwait(false);
                        var vals = a.Records.Select(m => m.Preference + " " + DnsPublishPlanner.Canon("MX", m.Exchange)).ToList();
                        return (vals.Contains(want), Values(a.Status, vals), a.Status);
                    }
                case "CNAME":
                    {
                        var a = await via.CnameAsync(name, ct).ConfigureAwait(false);
                        var vals = a.Records.Select(v => DnsPublishPlanner.Canon("CNAME", v)).ToList();
                        return (vals.Contains(want), Values(a.Status, vals), a.Status);
                    }
                case "SRV":
                    {
                        var a = await via.QueryAsync(name, "SRV", ct).ConfigureAwait(false);
                        var vals = a.Records.Select(v => DnsPublishPlanner.Canon("SRV", v)).ToList();
                        return (vals.Contains(want), Values(a.Status, vals), a.Status);
                    }
                case "A":
                case "AAAA":
                    {
                        var a = await via.AddressAsync(name, type == "AAAA", ct).ConfigureAwait(false);
                        var vals = a.Records.Select(ip => ip.ToString()).ToList();
                        return (vals.Any(v => IPAddress.TryParse(r.Value, out var ip) && ip.ToString() == v), Values(a.Status, vals), a.Status);
                    }
                default:
                    throw MailAdminException.Invalid("DnsTypeNotWatched", $"{name} {type}: only TXT, MX, CNAME, SRV, A and AAAA records can be awaited.", r);
            }
        }

        private static string[] Values(DnsStatus status, IEnumerable<string> values)
        {
            var v = values.ToArray();
            return v.Length > 0 || status == DnsStatus.NoError ? v : new[] { status.ToString() };
        }
    }
}
