using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>
    /// Asks a zone's authoritative name servers directly, the way a resolver would (no recursion): delegation
    /// consistency and lame servers (4), open recursion and zone transfer (5), TTLs (10), EDNS and TCP (13).
    /// The names and addresses of the servers come from the run's resolver; the questions go straight to them.
    /// </summary>
    internal sealed class NameServerProbe : IMailDomainCheck
    {
        public Task RunAsync(CheckContext context)
        {
            Port = context.Options.NameServerPort;
            Timeout = context.Options.NameServerTimeout;
            return RunAsync(context.Dns, context.Domain, context.Sink, context.Ct);
        }

        /// <summary>The port the name servers listen on (53; another for lab servers).</summary>
        public int Port { get; set; } = 53;
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

        private LookupClient Client(IPAddress ip, bool tcp)
        {
            var o = new LookupClientOptions(new NameServer(ip, Port))
            {
                UseCache = false,
                Recursion = false,
                Retries = 1,
                Timeout = Timeout,
                ThrowDnsErrors = false,
                ContinueOnDnsError = false,
                ContinueOnEmptyResponse = false,
                UseTcpOnly = tcp,
                UseTcpFallback = true,
                EnableAuditTrail = false,
            };
            return new LookupClient(o);
        }

        private sealed class ServerView
        {
            public string Host; public IPAddress Ip;
            public string Failure;          // no usable answer: timeout, refused, not authoritative
            public long? Serial; public List<string> NsSet; public bool Edns; public bool? Tcp;
            public bool OpenRecursion; public bool OpenTransfer;
            public override string ToString() => $"{Host} ({Ip})";
        }

        private static async Task<IDnsQueryResponse> Ask(LookupClient c, string name, QueryType type, CancellationToken ct, QueryOptions opts = null)
        {
            try
            {
                return opts == null ? await c.QueryAsync(name, type, QueryClass.IN, ct).ConfigureAwait(false)
                                    : await c.QueryAsync(new DnsQuestion(name, type), opts.Apply(c), ct).ConfigureAwait(false);
            }
            catch (DnsResponseException)
            {
                return null;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return null;
            }
        }

        /// <summary>Per-query settings other than the client's (recursion desired for the open-resolver test).</summary>
        private sealed class QueryOptions
        {
            public bool Recursion;
            public DnsQueryAndServerOptions Apply(LookupClient c)
                => new DnsQueryAndServerOptions(c.NameServers.ToArray())
                {
                    Recursion = Recursion,
                    UseCache = false,
                    Retries = 0,
                    Timeout = c.Settings.Timeout,
                    ThrowDnsErrors = false,
                    ContinueOnDnsError = false,
                    ContinueOnEmptyResponse = false
                };
        }

        private async Task<ServerView> ProbeServer(string zone, string host, IPAddress ip, CancellationToken ct)
        {
            var v = new ServerView { Host = host, Ip = ip };
            var udp = Client(ip, false);
            var soa = await Ask(udp, zone, QueryType.SOA, ct).ConfigureAwait(false);
            if (soa == null)
            {
                v.Failure = "does not answer";
                return v;
            }
            if (soa.Header.ResponseCode != DnsHeaderResponseCode.NoError)
            {
                v.Failure = $"answers {soa.Header.ResponseCode} for {zone}";
                return v;
            }
            if (!soa.Header.HasAuthorityAnswer)
            {
                v.Failure = $"is not authoritative for {zone} (no AA flag: a lame delegation)";
                return v;
            }
            var s = soa.Answers.SoaRecords().FirstOrDefault();
            v.Serial = s?.Serial;
            v.Edns = soa.Additionals.OfType<DnsClient.Protocol.Options.OptRecord>().Any();
            var ns = await Ask(udp, zone, QueryType.NS, ct).ConfigureAwait(false);
            v.NsSet = ns?.Answers.NsRecords().Select(n => n.NSDName.Value.TrimEnd('.').ToLowerInvariant()).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var tcp = await Ask(Client(ip, true), zone, QueryType.SOA, ct).ConfigureAwait(false);
            v.Tcp = tcp != null && tcp.Header.ResponseCode == DnsHeaderResponseCode.NoError && tcp.Answers.SoaRecords().Any();
            // open recursion: a name outside the zone, recursion desired; an authoritative-only server refuses or refers
            var outside = await Ask(udp, "example.com", QueryType.A, ct, new QueryOptions { Recursion = true }).ConfigureAwait(false);
            v.OpenRecursion = outside != null && outside.Header.RecursionAvailable && outside.Header.ResponseCode == DnsHeaderResponseCode.NoError
                && outside.Answers.Count > 0;
            var axfr = await AxfrAllowed(ip, zone, ct).ConfigureAwait(false);
            v.OpenTransfer = axfr;
            return v;
        }

        /// <summary>Sends an AXFR question over TCP and reads the first message's header: NOERROR with answers means the zone is handed out.</summary>
        private async Task<bool> AxfrAllowed(IPAddress ip, string zone, CancellationToken ct)
        {
            try
            {
                var r = await Client(ip, true).QueryAsync(zone, QueryType.AXFR, QueryClass.IN, ct).ConfigureAwait(false);
                return r.Header.ResponseCode == DnsHeaderResponseCode.NoError && r.Answers.Count > 0;
            }
            catch (Exception e) when (e is DnsResponseException || e is System.Net.Sockets.SocketException || e is System.IO.IOException
                || e is InvalidOperationException || e is ArgumentException)
            {
                return false;
            }
        }

        public async Task RunAsync(IDnsResolver dns, string zone, CheckSink sink, CancellationToken ct)
        {
            var ns = await dns.QueryAsync(zone, "NS", ct).ConfigureAwait(false);
            if (ns.Records.Count == 0)
            {
                return; // not a zone apex: the delegation checks belong to the zone it lives in
            }

            var childSet = ns.Records.Select(n => n.ToLowerInvariant()).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
            var targets = new List<(string host, IPAddress ip)>();
            var childAddresses = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var host in childSet)
            {
                var a = await dns.AddressAsync(host, false, ct).ConfigureAwait(false);
                var aaaa = await dns.AddressAsync(host, true, ct).ConfigureAwait(false);
                childAddresses[host] = new HashSet<string>(a.Records.Concat(aaaa.Records).Select(i => i.ToString()));
                foreach (var ip in a.Records.Concat(aaaa.Records))
                {
                    targets.Add((host, ip));
                }
            }
            if (targets.Count == 0)
            {
                return; // check 2 already says the servers have no address
            }

            var views = await Task.WhenAll(targets.Select(t => ProbeServer(zone, t.host, t.ip, ct))).ConfigureAwait(false);
            var good = views.Where(v => v.Failure == null).ToList();

            // 4: delegation consistency
            var problems = new List<string>();
            foreach (var v in views.Where(v => v.Failure != null))
            {
                problems.Add($"{v} {v.Failure}");
            }

            var serials = good.Where(v => v.Serial.HasValue).GroupBy(v => v.Serial.Value).ToList();
            if (serials.Count > 1)
            {
                problems.Add(
                    "the servers give different SOA serials (" + string.Join(", ", serials.Select(g => $"{g.Key} at {string.Join(", ", g)}")) + "): some "
                    + "have not picked up the latest zone");
            }

            foreach (var v in good.Where(v => v.NsSet != null && !v.NsSet.SequenceEqual(childSet)))
            {
                problems.Add($"{v} lists NS {string.Join(", ", v.NsSet)} instead of {string.Join(", ", childSet)}");
            }

            var parent = await ParentDelegation(dns, zone, ct).ConfigureAwait(false);
            var records = views.Select(v => $"{v}: {(v.Failure ?? "authoritative, serial " + v.Serial)}").ToList();
            if (parent.set != null)
            {
                records.Add($"parent {parent.zone}: NS {string.Join(", ", parent.set)}");
                if (!parent.set.SequenceEqual(childSet))
                {
                    problems.Add(
                        $"the parent zone {parent.zone} delegates to {string.Join(", ", parent.set)}, but the zone itself lists {string.Join(", ", childSet)}");
                }

                foreach (var g in parent.glue)
                    if (childAddresses.TryGetValue(g.Key, out var child) && !child.SetEquals(g.Value))
                    {
                        problems.Add(
                            $"the glue for {g.Key} at the parent ({string.Join(", ", g.Value)}) differs from its address in the zone "
                            + $"({string.Join(", ", child)})");
                    }
            }
            else if (parent.note != null) records.Add(parent.note);
            if (good.Count == 0)
            {
                sink.Add(
                    MailCheckId.DelegationConsistency,
                    "Delegation",
                    MailCheckStatus.Fail,
                    $"No name server of {zone} answers authoritatively: " + string.Join("; ", problems) + ".",
                    "RFC 1034 4.2.2, RFC 8499",
                    records);
            }
            else if (problems.Count > 0)
            {
                sink.Add(
                    MailCheckId.DelegationConsistency,
                    "Delegation",
                    MailCheckStatus.Warning,
                    "Delegation problems: " + string.Join("; ", problems) + ".",
                    "RFC 1034 4.2.2, RFC 1912 2.8",
                    records);
            }
            else
            {
                sink.Add(
                    MailCheckId.DelegationConsistency,
                    "Delegation",
                    MailCheckStatus.Pass,
                    $"All {views.Length} name server addresses answer authoritatively with the same NS set and serial "
                    + $"{good[0].Serial}{(parent.set != null ? ", matching the parent's delegation" : "")}.",
                    "RFC 1034 4.2.2",
                    records);
            }

            // 5: open recursion and zone transfer
            var open = new List<string>();
            foreach (var v in good.Where(v => v.OpenRecursion))
            {
                open.Add($"{v} answers recursive questions for anyone (an open resolver: cache poisoning and amplification attacks)");
            }

            foreach (var v in good.Where(v => v.OpenTransfer))
            {
                open.Add($"{v} hands the whole zone to anyone (AXFR allowed)");
            }

            if (good.Count > 0)
                sink.Add(MailCheckId.OpenRecursionOrTransfer, "Recursion and zone transfer", open.Count == 0 ? MailCheckStatus.Pass : MailCheckStatus.Warning,
                    open.Count == 0
                        ? "No name server offers recursion or zone transfers to the public."
                        : string.Join("; ", open) + ".", "RFC 5358, RFC 5936 6");

            // 13: EDNS and TCP
            var noTcp = good.Where(v => v.Tcp == false).ToList();
            var noEdns = good.Where(v => !v.Edns).ToList();
            if (good.Count > 0)
            {
                if (noTcp.Count > 0)
                {
                    sink.Add(
                        MailCheckId.EdnsAndTcp,
                        "EDNS and TCP",
                        MailCheckStatus.Warning,
                        $"{string.Join(", ", noTcp)} do(es) not answer over TCP: large answers (long TXT, DNSKEY) cannot be fetched.",
                        "RFC 7766 5");
                }
                else if (noEdns.Count > 0)
                {
                    sink.Add(
                        MailCheckId.EdnsAndTcp,
                        "EDNS and TCP",
                        MailCheckStatus.Info,
                        $"{string.Join(", ", noEdns)} do(es) not answer with EDNS(0): answers over 512 octets need TCP and DNSSEC cannot work.",
                        "RFC 6891 7");
                }
                else
                {
                    sink.Add(
                        MailCheckId.EdnsAndTcp,
                        "EDNS and TCP",
                        MailCheckStatus.Pass,
                        "Every name server answers with EDNS(0) and over TCP.",
                        "RFC 6891, RFC 7766");
                }
            }

            // 10: TTLs, from the first authoritative server (resolver caches count TTLs down)
            if (good.Count > 0)
            {
                await Ttls(zone, good[0], sink, ct).ConfigureAwait(false);
            }
        }

        private async Task Ttls(string zone, ServerView v, CheckSink sink, CancellationToken ct)
        {
            var c = Client(v.Ip, false);
            var found = new List<(string label, long ttl)>();
            foreach (
                var (type, label) in new[] { (QueryType.SOA, "SOA"), (QueryType.NS, "NS"), (QueryType.MX, "MX"), (QueryType.A, "A"), (QueryType.AAAA, "AAAA") })
            {
                var r = await Ask(c, zone, type, ct).ConfigureAwait(false);
                var rec = r?.Answers.FirstOrDefault(x => x.RecordType == (ResourceRecordType)type);
                if (rec != null)
                {
                    found.Add((label, rec.InitialTimeToLive));
                }
            }
            foreach (var mx in (await Ask(c, zone, QueryType.MX, ct).ConfigureAwait(false))?.Answers.MxRecords().Take(3)
                ?? Enumerable.Empty<DnsClient.Protocol.MxRecord>())
            {
                var host = mx.Exchange.Value.TrimEnd('.');
                if (!host.EndsWith("." + zone, StringComparison.OrdinalIgnoreCase))
                {
                    continue; // another zone's servers answer for it
                }

                var r = await Ask(c, host, QueryType.A, ct).ConfigureAwait(false);
                var rec = r?.Answers.ARecords().FirstOrDefault();
                if (rec != null)
                {
                    found.Add(($"A {host}", rec.InitialTimeToLive));
                }
            }
            if (found.Count == 0)
            {
                return;
            }

            var notes = found.Where(f => f.ttl < 300 || f.ttl > 86400).Select(f => $"{f.label} TTL {f.ttl} s is outside 300-86400 s").ToList();
            var a = found.FirstOrDefault(f => f.label == "A");
            var aaaa = found.FirstOrDefault(f => f.label == "AAAA");
            if (a.label != null && aaaa.label != null && a.ttl > 0 && aaaa.ttl > 0 && Math.Max(a.ttl, aaaa.ttl) >= 2 * Math.Min(a.ttl, aaaa.ttl))
            {
                notes.Add($"the A ({a.ttl} s) and AAAA ({aaaa.ttl} s) TTLs differ by a factor of 2 or more, so caches can hold one family without the other");
            }

            sink.Add(MailCheckId.TtlSanity, "TTLs", notes.Count == 0 ? MailCheckStatus.Pass : MailCheckStatus.Info,
                notes.Count == 0 ? "The TTLs of the zone's mail records are in the usual range (300 s to 1 day)." : string.Join("; ", notes) + ".",
                "RFC 1912 2.2, RFC 2308", found.Select(f => $"{f.label} {f.ttl.ToString(CultureInfo.InvariantCulture)}"));
        }

        /// <summary>The parent zone's NS for the zone (the referral), and the glue addresses it gives.</summary>
        private async Task<(
            string zone,
            List<string> set,
            Dictionary<string,
            HashSet<string>> glue,
            string note)> ParentDelegation(IDnsResolver dns, string zone, CancellationToken ct)
        {
            var labels = zone.Split('.');
            for (var i = 1; i < labels.Length; i++)
            {
                var parent = string.Join(".", labels, i, labels.Length - i);
                var soa = await dns.SoaAsync(parent, ct).ConfigureAwait(false);
                if (soa.IsError)
                {
                    return (parent, null, null, $"parent {parent}: SOA lookup failed ({soa.Status})");
                }

                if (soa.Records.Count == 0)
                {
                    continue;
                }

                var ns = await dns.QueryAsync(parent, "NS", ct).ConfigureAwait(false);
                foreach (var host in ns.Records)
                {
                    var addrs = (await dns.AddressAsync(host, false, ct).ConfigureAwait(false)).Records
                        .Concat((await dns.AddressAsync(host, true, ct).ConfigureAwait(false)).Records);
                    foreach (var ip in addrs)
                    {
                        var r = await Ask(Client(ip, false), zone, QueryType.NS, ct).ConfigureAwait(false);
                        if (r == null || r.Header.ResponseCode != DnsHeaderResponseCode.NoError)
                        {
                            continue;
                        }
                        // a referral carries the NS in the authority section; a server that also hosts the child answers from it
                        var set = r.Authorities.NsRecords().Concat(r.Answers.NsRecords())
                            .Where(n => string.Equals(n.DomainName.Value.TrimEnd('.'), zone, StringComparison.OrdinalIgnoreCase))
                            .Select(n => n.NSDName.Value.TrimEnd('.').ToLowerInvariant()).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
                        if (set.Count == 0)
                        {
                            continue;
                        }

                        var glue = r.Additionals.OfType<AddressRecord>()
                            .GroupBy(x => x.DomainName.Value.TrimEnd('.'), StringComparer.OrdinalIgnoreCase)
                            .ToDictionary(g => g.Key, g => new HashSet<string>(g.Select(x => x.Address.ToString())), StringComparer.OrdinalIgnoreCase);
                        return (parent, set, glue, null);
                    }
                }
                return (parent, null, null, $"parent {parent}: no server of it answered for the delegation");
            }
            return (null, null, null, null);
        }
    }
}
