using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>Zone infrastructure: name servers (2, 3), SOA timers (6), DNSSEC delegation (7) and per-lookup validation (9).</summary>
    internal static class ZoneChecks
    {
        private const string Area = "Zone";

        public static async Task NameServersAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct)
        {
            var ns = await dns.QueryAsync(domain, "NS", ct).ConfigureAwait(false);
            if (ns.IsError || ns.Records.Count == 0) return; // a subdomain that is not a zone apex has no NS of its own
            var problems = new List<string>();
            var subnets = new HashSet<string>();
            foreach (var host in ns.Records.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (IPAddress.TryParse(host, out _)) { problems.Add($"{host} is an IP address, not a host name"); continue; }
                var a = await dns.AddressAsync(host, false, ct).ConfigureAwait(false);
                if (a.Aliases.Count > 0) problems.Add($"{host} is an alias (CNAME); NS must name a host directly (RFC 2181 10.3)");
                var aaaa = await dns.AddressAsync(host, true, ct).ConfigureAwait(false);
                if (a.Records.Count + aaaa.Records.Count == 0 && !a.IsError) problems.Add($"{host} has no address");
                foreach (var ip in a.Records) { var b = ip.GetAddressBytes(); subnets.Add($"{b[0]}.{b[1]}.{b[2]}"); }
                foreach (var ip in aaaa.Records) { var b = ip.GetAddressBytes(); subnets.Add(BitConverter.ToString(b, 0, 6)); }
            }
            if (ns.Records.Count < 2)
                sink.Add(MailCheckId.NameServers, "Name servers", MailCheckStatus.Fail, $"{domain} has a single name server ({ns.Records[0]}); when it is down the domain, and its mail, disappear. Use at least two.", "RFC 1034 4.1, RFC 2182 5", ns.Records);
            else if (problems.Count > 0)
                sink.Add(MailCheckId.NameServers, "Name servers", MailCheckStatus.Fail, "Name server problems: " + string.Join("; ", problems) + ".", "RFC 1035 3.3.11, RFC 2181 10.3", ns.Records);
            else
                sink.Add(MailCheckId.NameServers, "Name servers", MailCheckStatus.Pass, $"{domain} has {ns.Records.Count} name servers.", "RFC 2182 5", ns.Records);
            if (ns.Records.Count >= 2 && subnets.Count == 1)
                sink.Add(MailCheckId.NameServerDiversity, "Name server diversity", MailCheckStatus.Warning, "All name servers sit in one network (/24 or /48); one outage takes them all.", "RFC 2182 3.1", ns.Records);
        }

        public static void Soa(string domain, IReadOnlyList<string> soa, CheckSink sink)
        {
            if (soa.Count == 0) return;
            var f = soa[0].Split(' ');
            if (f.Length < 7) return;
            long N(int i) => long.TryParse(f[i], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
            var (refresh, retry, expire, minimum) = (N(3), N(4), N(5), N(6));
            var notes = new List<string>();
            if (refresh < 1200 || refresh > 43200) notes.Add($"refresh {refresh} s is outside 1200-43200");
            if (retry >= refresh) notes.Add($"retry {retry} s is not shorter than refresh {refresh} s");
            if (expire < 1209600 || expire > 2419200) notes.Add($"expire {expire} s is outside 2-4 weeks");
            if (minimum < 300 || minimum > 86400) notes.Add($"negative-caching TTL {minimum} s is outside 300-86400");
            sink.Add(MailCheckId.SoaFields, "SOA timers", notes.Count == 0 ? MailCheckStatus.Pass : MailCheckStatus.Info,
                notes.Count == 0 ? "The SOA timers are in the usual ranges." : "SOA: " + string.Join("; ", notes) + ".", "RFC 1912 2.2, RFC 2308 5", soa);
        }

        /// <summary>The domain's answers fail DNSSEC validation (SERVFAIL with an extended error saying so).</summary>
        public static void Bogus(string domain, DnsAnswer<string> soa, CheckSink sink)
        {
            sink.Add(MailCheckId.Dnssec, "DNSSEC", MailCheckStatus.Fail, $"DNSSEC validation of {domain} fails (bogus: {soa.ExtendedError}): validating resolvers answer SERVFAIL for every name in it, so mail to it stops. Fix the DS at the parent or the zone's signatures.", "RFC 4035 5.5, RFC 8914", new[] { soa.ExtendedError });
        }

        public static async Task DnssecAsync(IDnsResolver dns, string domain, DnsAnswer<string> soa, CheckSink sink, CancellationToken ct)
        {
            var ds = await dns.QueryAsync(domain, "DS", ct).ConfigureAwait(false);
            // 9: which of the mail answers the resolver authenticated (AD); only a validating resolver sets it
            var names = new List<(string label, Task<DnsAnswerFlags> ad)>
            {
                ("MX", Flags(dns.MxAsync(domain, ct))), ("SPF", Flags(dns.TxtAsync(domain, ct))), ("DMARC", Flags(dns.TxtAsync("_dmarc." + domain, ct))),
                ("MTA-STS", Flags(dns.TxtAsync("_mta-sts." + domain, ct))), ("TLS-RPT", Flags(dns.TxtAsync("_smtp._tls." + domain, ct))),
            };
            var results = new List<string>();
            var bogus = new List<string>();
            if (soa.IsBogus) bogus.Add($"SOA: {soa.ExtendedError}");
            foreach (var (label, t) in names)
            {
                var f = await t.ConfigureAwait(false);
                results.Add($"{label}: {(f.Authenticated ? "authenticated" : f.Bogus != null ? "bogus (" + f.Bogus + ")" : "not authenticated")}");
                if (f.Bogus != null) bogus.Add($"{label}: {f.Bogus}");
            }
            if (bogus.Count > 0)
                sink.Add(MailCheckId.Dnssec, "DNSSEC", MailCheckStatus.Fail, $"DNSSEC validation of {domain} fails (bogus): validating resolvers answer SERVFAIL, so senders that validate cannot find its MX and mail to it stops. Fix the DS at the parent or the zone's signatures.", "RFC 4035 5.5, RFC 8914", bogus);
            else if (ds.IsError) sink.Add(MailCheckId.Dnssec, "DNSSEC", MailCheckStatus.Info, $"The DS lookup for {domain} failed ({ds.Status}).", "RFC 4035");
            else if (ds.Records.Count == 0)
                sink.Add(MailCheckId.Dnssec, "DNSSEC", MailCheckStatus.Warning, $"{domain} is not DNSSEC-signed (no DS record at its parent): its MX and policy records can be forged on the way, and DANE cannot work.", "RFC 4033, RFC 7672");
            else if (soa.Authenticated)
                sink.Add(MailCheckId.Dnssec, "DNSSEC", MailCheckStatus.Pass, $"{domain} is signed (DS at its parent) and the resolver validated its answers up the chain of trust.", "RFC 4035 5", ds.Records);
            else
                sink.Add(MailCheckId.Dnssec, "DNSSEC", MailCheckStatus.Pass, $"{domain} has a DS record at its parent: it is a signed delegation (the resolver asked does not validate, so the signatures were not checked).", "RFC 4035 5", ds.Records);
            var any = results.Any(r => r.EndsWith(": authenticated", StringComparison.Ordinal));
            sink.Add(MailCheckId.AuthenticatedAnswers, "DNSSEC validation", MailCheckStatus.Info,
                any ? "The resolver validated these answers with DNSSEC (AD flag)." : "No answer carried the AD flag: the zone is unsigned, or the resolver asked does not validate DNSSEC.", "RFC 4035 3.2.3", results);
        }

        /// <summary>DNSSEC of the MX hosts' zones (8): each host's address answer authenticated, or bogus.</summary>
        public static void MxHostsDnssec(IReadOnlyList<(string host, DnsAnswer<IPAddress> a, DnsAnswer<IPAddress> aaaa)> hosts, CheckSink sink)
        {
            if (hosts.Count == 0) return;
            var bogus = hosts.Where(h => h.a.IsBogus || h.aaaa.IsBogus).Select(h => $"{h.host}: {h.a.ExtendedError ?? h.aaaa.ExtendedError}").ToList();
            var signed = hosts.Where(h => h.a.Authenticated || h.aaaa.Authenticated).Select(h => h.host).ToList();
            var records = hosts.Select(h => $"{h.host}: {(h.a.IsBogus || h.aaaa.IsBogus ? "bogus" : h.a.Authenticated || h.aaaa.Authenticated ? "authenticated" : "not authenticated")}");
            if (bogus.Count > 0)
                sink.Add(MailCheckId.MxDnssec, "DNSSEC of MX hosts", MailCheckStatus.Fail, "DNSSEC validation of MX host addresses fails (bogus): " + string.Join("; ", bogus) + ". Validating senders cannot reach these hosts.", "RFC 4035 5.5, RFC 7672 2.2", records);
            else if (signed.Count == hosts.Count)
                sink.Add(MailCheckId.MxDnssec, "DNSSEC of MX hosts", MailCheckStatus.Pass, "Every MX host's address is DNSSEC-authenticated, so DANE can apply.", "RFC 7672 2.2", records);
            else
                sink.Add(MailCheckId.MxDnssec, "DNSSEC of MX hosts", MailCheckStatus.Info, signed.Count == 0
                    ? "No MX host address came back DNSSEC-authenticated: their zones are unsigned, or the resolver asked does not validate."
                    : $"Only {signed.Count} of {hosts.Count} MX hosts have DNSSEC-authenticated addresses; DANE applies only to those.", "RFC 7672 2.2", records);
        }

        private struct DnsAnswerFlags { public bool Authenticated; public string Bogus; }

        /// <summary>CAA for one MX host (11): the closest CAA RRset up the tree (RFC 8659 3) must be valid and allow issuance.</summary>
        public static async Task CaaAsync(IDnsResolver dns, string host, CheckSink sink, CancellationToken ct)
        {
            var labels = host.TrimEnd('.').Split('.');
            IReadOnlyList<string> found = null; string at = null;
            for (var i = 0; i < labels.Length - 1 && found == null; i++)
            {
                var name = string.Join(".", labels, i, labels.Length - i);
                var r = await dns.QueryAsync(name, "CAA", ct).ConfigureAwait(false);
                if (r.IsError) return;
                if (r.Records.Count > 0) { found = r.Records; at = name; }
            }
            if (found == null)
            {
                sink.Add(MailCheckId.Caa, $"CAA for {host}", MailCheckStatus.Warning, $"No CAA record at {host} or above: any certificate authority may issue certificates for the mail host.", "RFC 8659 4");
                return;
            }
            var problems = new List<string>();
            var issue = 0;
            foreach (var rec in found)
            {
                var parts = rec.Split(new[] { ' ' }, 3);
                if (parts.Length < 3) { problems.Add($"'{rec}' is not 'flags tag value'"); continue; }
                int.TryParse(parts[0], out var flags);
                var tag = parts[1].ToLowerInvariant();
                var value = parts[2].Trim('"');
                switch (tag)
                {
                    case "issue": case "issuewild": case "issuemail": case "issuevmc":
                        if (tag == "issue") issue++;
                        break;
                    case "iodef":
                        if (!value.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                            problems.Add($"iodef '{value}' is not a mailto: or https: URL");
                        break;
                    default:
                        if ((flags & 128) != 0) problems.Add($"the critical tag '{parts[1]}' is unknown, so no CA may issue a certificate");
                        break;
                }
            }
            if (issue == 0) problems.Add("there is no 'issue' tag naming a CA");
            sink.Add(MailCheckId.Caa, $"CAA for {host}", problems.Count == 0 ? MailCheckStatus.Pass : MailCheckStatus.Warning,
                problems.Count == 0 ? $"CAA at {at} names the CAs that may issue for {host}." : $"CAA at {at} (applies to {host}): " + string.Join("; ", problems) + ".", "RFC 8659 4", found);
        }

        private static async Task<DnsAnswerFlags> Flags<T>(Task<DnsAnswer<T>> t)
        {
            var a = await t.ConfigureAwait(false);
            return new DnsAnswerFlags { Authenticated = a.Authenticated, Bogus = a.IsBogus ? a.ExtendedError : null };
        }
    }
}
