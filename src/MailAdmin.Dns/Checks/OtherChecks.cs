using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>MX (14-21, 24, 25), zone existence (1) and wildcard leakage (12).</summary>
    internal static class MxChecks
    {
        private const string Area = "MX";

        public static bool IsRoutable(IPAddress ip)
        {
            if (ip.AddressFamily == AddressFamily.InterNetworkV6)
            {
                if (ip.IsIPv4MappedToIPv6 || ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || IPAddress.IPv6Loopback.Equals(ip) || IPAddress.IPv6None.Equals(ip)) return false;
                var b6 = ip.GetAddressBytes();
                if ((b6[0] & 0xFE) == 0xFC) return false; // fc00::/7 unique local
                if (b6[0] == 0x20 && b6[1] == 0x01 && b6[2] == 0x0d && b6[3] == 0xb8) return false; // 2001:db8::/32 documentation
                return true;
            }
            var b = ip.GetAddressBytes();
            if (b[0] == 10 || b[0] == 127 || b[0] == 0 || b[0] >= 224) return false;
            if (b[0] == 172 && b[1] >= 16 && b[1] <= 31) return false;
            if (b[0] == 192 && b[1] == 168) return false;
            if (b[0] == 169 && b[1] == 254) return false;
            if (b[0] == 100 && b[1] >= 64 && b[1] <= 127) return false; // CGNAT
            if (b[0] == 192 && b[1] == 0 && b[2] == 2) return false;
            if (b[0] == 198 && b[1] == 51 && b[2] == 100) return false;
            if (b[0] == 203 && b[1] == 0 && b[2] == 113) return false;
            if (b[0] == 198 && (b[1] == 18 || b[1] == 19)) return false;
            return true;
        }

        /// <summary>DANE TLSA records of one MX host (92, 94, 95). DNSSEC validation is not done here: without it DANE is only advisory.</summary>
        private static async Task Dane(IDnsResolver dns, string host, CheckSink sink, CancellationToken ct)
        {
            var name = "_25._tcp." + host;
            var t = await dns.TlsaAsync(name, ct).ConfigureAwait(false);
            if (t.IsBogus)
            {
                sink.Add(MailCheckId.DaneDenialOfExistence, $"TLSA {host}", MailCheckStatus.Fail, $"The TLSA lookup at {name} fails DNSSEC validation ({t.ExtendedError}): DANE senders cannot prove whether TLSA exists and defer mail to {host}.", "RFC 7672 2.2, RFC 4035 5.5");
                return;
            }
            if (t.Records.Count == 0) return; // DANE is optional; nothing to say when it is not published
            var usable = 0;
            foreach (var rec in t.Records)
            {
                var f = rec.Split(' ');
                int.TryParse(f[0], out var usage); int.TryParse(f[1], out var selector); int.TryParse(f[2], out var matching);
                var hex = f.Length > 3 ? f[3] : "";
                if (usage > 3 || selector > 1 || matching > 2)
                { sink.Add(MailCheckId.DaneFields, $"TLSA {host}", MailCheckStatus.Fail, $"'{rec}' at {name} has a usage, selector or matching type out of range (0-3, 0-1, 0-2).", "RFC 6698 2.1", new[] { rec }); continue; }
                if ((matching == 1 && hex.Length != 64) || (matching == 2 && hex.Length != 128))
                { sink.Add(MailCheckId.DaneFields, $"TLSA {host}", MailCheckStatus.Fail, $"'{rec}' at {name}: a SHA-{(matching == 1 ? 256 : 512)} digest is {(matching == 1 ? 64 : 128)} hex digits, not {hex.Length}.", "RFC 6698 2.1.4", new[] { rec }); continue; }
                if (usage == 0 || usage == 1)
                { sink.Add(MailCheckId.DaneUsage, $"TLSA {host}", MailCheckStatus.Warning, $"'{rec}' at {name} uses PKIX-{(usage == 0 ? "TA" : "EE")}, which SMTP senders ignore; publish DANE-EE (3 1 1) or DANE-TA (2 1 1).", "RFC 7672 3.1.3", new[] { rec }); continue; }
                if (matching == 0) sink.Add(MailCheckId.DaneUsage, $"TLSA {host}", MailCheckStatus.Warning, $"'{rec}' at {name} carries the full certificate or key (matching 0); publish a SHA-256 digest.", "RFC 7671 5.2.1", new[] { rec });
                usable++;
            }
            if (usable > 0)
            {
                if (t.Authenticated)
                    sink.Add(MailCheckId.DaneTlsa, $"TLSA {host}", MailCheckStatus.Pass, $"{host} publishes {usable} usable TLSA record(s) at {name}, DNSSEC-authenticated: DANE is in effect for it.", "RFC 7672 2.2", t.Records);
                else
                    sink.Add(MailCheckId.DaneTlsa, $"TLSA {host}", MailCheckStatus.Info, $"{host} publishes {usable} usable TLSA record(s) at {name}, but the answer was not DNSSEC-authenticated (unsigned zone, or a resolver that does not validate): DANE is in effect only when it is.", "RFC 7672 2.2", t.Records);
                sink.Add(MailCheckId.DaneRollover, $"TLSA rollover {host}", MailCheckStatus.Info, usable >= 2
                    ? $"{host} has {usable} usable TLSA records, so a key or certificate can be replaced without a gap (current + next, or 3 1 1 + 2 1 1)."
                    : $"{host} has one usable TLSA record: publish the next key's record (or a 2 1 1 for the issuing CA) before every certificate change, or DANE senders will defer mail.", "RFC 7671 8.1", t.Records);
            }
        }

        /// <summary>PTR (115) and forward-confirmed reverse DNS (116) of one MX address.</summary>
        private static async Task ReverseDns(IDnsResolver dns, string host, IPAddress ip, CheckSink sink, CancellationToken ct)
        {
            var ptr = await dns.PtrAsync(ip, ct).ConfigureAwait(false);
            if (ptr.IsError) { sink.Add(MailCheckId.MxPtr, $"PTR of {ip}", MailCheckStatus.Info, $"The PTR lookup for {ip} ({host}) failed ({ptr.Status}).", "RFC 1912 2.1"); return; }
            if (ptr.Records.Count == 0) { sink.Add(MailCheckId.MxPtr, $"PTR of {ip}", MailCheckStatus.Warning, $"{ip} ({host}) has no PTR record; many receivers distrust mail from addresses without reverse DNS.", "RFC 1912 2.1"); return; }
            var confirmed = new List<string>();
            foreach (var name in ptr.Records.Take(10))
            {
                var fwd = await dns.AddressAsync(name, ip.AddressFamily == AddressFamily.InterNetworkV6, ct).ConfigureAwait(false);
                if (fwd.Records.Any(x => x.Equals(ip))) confirmed.Add(name);
            }
            if (confirmed.Count == 0)
                sink.Add(MailCheckId.MxForwardConfirmedPtr, $"FCrDNS of {ip}", MailCheckStatus.Warning, $"{ip} ({host}) has PTR {string.Join(", ", ptr.Records)}, which does not resolve back to {ip} (no forward-confirmed reverse DNS).", "RFC 8601 3, M3AAWG", ptr.Records);
            else
                sink.Add(MailCheckId.MxForwardConfirmedPtr, $"FCrDNS of {ip}", MailCheckStatus.Pass, $"{ip} ({host}) has PTR {confirmed[0]}, which resolves back to it.", "RFC 1912 2.1", ptr.Records);
        }

        /// <summary>Returns the MX records (null when the lookup failed) and whether the domain has a null MX.</summary>
        public static async Task<(IReadOnlyList<MxRecord> mx, bool nullMx)> RunAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct, bool allowPrivateAddresses, bool alwaysAskTlsa = false)
        {
            var r = await dns.MxAsync(domain, ct).ConfigureAwait(false);
            if (r.IsError) { sink.Add(MailCheckId.MxLookup, "MX records", MailCheckStatus.Fail, $"The MX lookup for {domain} failed ({r.Status}); senders will retry and then bounce.", "RFC 5321 5.1"); return (null, false); }
            var records = r.Records.OrderBy(m => m.Preference).ToList();
            var shown = records.Select(m => m.ToString()).ToList();
            if (records.Count == 0)
            {
                var a = await dns.AddressAsync(domain, false, ct).ConfigureAwait(false);
                var aaaa = await dns.AddressAsync(domain, true, ct).ConfigureAwait(false);
                if (a.Records.Count + aaaa.Records.Count > 0)
                    sink.Add(MailCheckId.MxLookup, "MX records", MailCheckStatus.Warning, $"{domain} has no MX record, so mail goes to its A/AAAA address (implicit MX). Publish an MX record, or a null MX (\"0 .\") if it takes no mail.", "RFC 5321 5.1");
                else
                    sink.Add(MailCheckId.MxLookup, "MX records", MailCheckStatus.Info, $"{domain} has no MX and no address: it receives no mail. Publish a null MX (\"0 .\") to say so.", "RFC 7505");
                return (records, false);
            }
            var nulls = records.Where(m => m.Exchange == "" || m.Exchange == ".").ToList();
            if (nulls.Count > 0)
            {
                if (records.Count > 1)
                    sink.Add(MailCheckId.NullMx, "Null MX", MailCheckStatus.Fail, "A null MX (\"0 .\") must be the only MX record; with others beside it senders cannot tell whether mail is accepted.", "RFC 7505 3", shown);
                else
                {
                    sink.Add(MailCheckId.NullMx, "Null MX", nulls[0].Preference == 0 ? MailCheckStatus.Pass : MailCheckStatus.Fail,
                        nulls[0].Preference == 0 ? $"{domain} publishes a null MX: it accepts no mail." : "A null MX must have preference 0.", "RFC 7505 3", shown);
                    return (records, true);
                }
            }
            sink.Add(MailCheckId.MxLookup, "MX records", MailCheckStatus.Pass, $"{domain} has {records.Count} MX record(s).", "RFC 5321 5.1", shown);
            var hosts = records.Where(m => m.Exchange != "" && m.Exchange != ".").ToList();
            if (hosts.Select(h => h.Exchange.ToLowerInvariant()).Distinct().Count() < hosts.Count)
                sink.Add(MailCheckId.DuplicateMx, "Duplicate MX", MailCheckStatus.Warning, "The same MX host is listed more than once.", "RFC 5321 5.1", shown);
            if (hosts.Count > 10)
                sink.Add(MailCheckId.TooManyMx, "MX count", MailCheckStatus.Warning, $"{hosts.Count} MX hosts: an SPF 'mx' term for this domain gives permerror (at most 10).", "RFC 7208 4.6.4", shown);
            if (hosts.Select(h => h.Exchange.ToLowerInvariant()).Distinct().Count() == 1)
                sink.Add(MailCheckId.MxRedundancy, "MX redundancy", MailCheckStatus.Info, "A single MX host: while it is down, senders queue mail (up to days) instead of using a backup.", "RFC 5321 5.1");
            var seenIps = new Dictionary<string, string>();
            var anyV6 = false;
            var hostAnswers = new List<(string, DnsAnswer<IPAddress>, DnsAnswer<IPAddress>)>();
            foreach (var h in hosts.Select(m => m.Exchange).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (IPAddress.TryParse(h.Trim('[', ']'), out _))
                {
                    sink.Add(MailCheckId.MxNotIpLiteral, $"MX host {h}", MailCheckStatus.Fail, $"The MX target '{h}' is an IP address; it must be a host name.", "RFC 5321 5.1", shown);
                    continue;
                }
                if (!MailAdmin.Validation.MailNames.IsHostName(h))
                {
                    sink.Add(MailCheckId.MxNotIpLiteral, "MX host name", MailCheckStatus.Fail, $"The MX target '{h}' is not a valid host name (letters, digits and hyphens in dot-separated labels); senders cannot use it, and it is not probed.", "RFC 5321 2.3.5, RFC 1123 2.1", shown);
                    continue;
                }
                if (h.EndsWith(".msv1.invalid", StringComparison.OrdinalIgnoreCase))
                {
                    sink.Add(MailCheckId.MxResolves, $"MX host {h}", MailCheckStatus.Fail, $"'{h}' is a leftover Microsoft 365 verification MX; remove it and verify with a TXT record.", "RFC 5321 5.1");
                    continue;
                }
                var a = await dns.AddressAsync(h, false, ct).ConfigureAwait(false);
                if (a.Aliases.Count > 0)
                    sink.Add(MailCheckId.MxNotCname, $"MX host {h}", MailCheckStatus.Fail, $"The MX target {h} is an alias (CNAME to {a.Aliases[0]}); MX must name a host directly.", "RFC 2181 10.3, RFC 5321 5.1", a.Aliases);
                var aaaa = await dns.AddressAsync(h, true, ct).ConfigureAwait(false);
                var ips = a.Records.Concat(aaaa.Records).ToList();
                hostAnswers.Add((h, a, aaaa));
                if (ips.Count == 0)
                {
                    sink.Add(MailCheckId.MxResolves, $"MX host {h}", MailCheckStatus.Fail, a.IsBogus ? $"The address of the MX host {h} fails DNSSEC validation ({a.ExtendedError}); validating senders cannot reach it." : a.Status == DnsStatus.NxDomain ? $"The MX host {h} does not exist (NXDOMAIN)." : $"The MX host {h} has no A or AAAA record.", "RFC 5321 5.1");
                    continue;
                }
                anyV6 |= aaaa.Records.Count > 0;
                var bad = ips.Where(ip => !IsRoutable(ip)).ToList();
                if (bad.Count > 0 && !allowPrivateAddresses)
                    sink.Add(MailCheckId.MxAddressesRoutable, $"MX host {h}", MailCheckStatus.Fail, $"{h} resolves to address(es) the internet cannot reach: {string.Join(", ", bad)}.", "RFC 5321 5.1", ips.Select(i => i.ToString()));
                else
                    sink.Add(MailCheckId.MxResolves, $"MX host {h}", MailCheckStatus.Pass, $"{h} resolves to {string.Join(", ", ips)}.", "RFC 5321 5.1", ips.Select(i => i.ToString()));
                if (alwaysAskTlsa || a.Signed || aaaa.Signed || a.Authenticated || aaaa.Authenticated)
                {
                    await Dane(dns, h, sink, ct).ConfigureAwait(false);
                }
                else
                {
                    // DANE needs a signed zone (RFC 7672 2.2): TLSA records in an unsigned one do nothing, so they are not asked for
                    sink.Add(MailCheckId.DaneTlsa, $"TLSA {h}", MailCheckStatus.Info,
                        $"The zone of {h} is not DNSSEC-signed, so DANE cannot apply to it (TLSA not asked).", "RFC 7672 2.2");
                }
                await ZoneChecks.CaaAsync(dns, h, sink, ct).ConfigureAwait(false);
                foreach (var ip in ips)
                {
                    await ReverseDns(dns, h, ip, sink, ct).ConfigureAwait(false);
                    if (seenIps.TryGetValue(ip.ToString(), out var other) && !string.Equals(other, h, StringComparison.OrdinalIgnoreCase))
                        sink.Add(MailCheckId.DuplicateMx, "MX addresses", MailCheckStatus.Info, $"{h} and {other} share the address {ip}: they are not independent backups.", "RFC 5321 5.1");
                    seenIps[ip.ToString()] = h;
                }
            }
            ZoneChecks.MxHostsDnssec(hostAnswers, sink);
            if (!anyV6 && hosts.Count > 0)
                sink.Add(MailCheckId.MxIpv6, "MX IPv6", MailCheckStatus.Info, "No MX host has an IPv6 (AAAA) address.", "RFC 3974");
            return (records, false);
        }
    }

    /// <summary>MTA-STS TXT (81, 82), TLS-RPT (90, 91), BIMI (98, 99), wildcard leakage (12), client autoconfig aliases (121).</summary>
    internal static class PolicyChecks
    {
        private static readonly Regex StsId = new Regex("^[A-Za-z0-9]{1,32}$", RegexOptions.CultureInvariant);

        /// <summary>Checks the _mta-sts TXT record text (no DNS); never throws.</summary>
        public static void CheckMtaStsTxt(string record, CheckSink sink)
        {
            var tags = TagList.Parse(record);
            if (tags.Tags.Count == 0 || tags.Tags[0].Key != "v" || tags.Tags[0].Value != "STSv1")
                sink.Add(MailCheckId.MtaStsRecordSyntax, "MTA-STS record syntax", MailCheckStatus.Fail, "The record must begin with exactly 'v=STSv1'.", "RFC 8461 3.1");
            var id = tags["id"];
            if (id == null) sink.Add(MailCheckId.MtaStsRecordSyntax, "MTA-STS id", MailCheckStatus.Fail, "The record has no id=; senders cannot tell when the policy changes.", "RFC 8461 3.1");
            else if (!StsId.IsMatch(id)) sink.Add(MailCheckId.MtaStsRecordSyntax, "MTA-STS id", MailCheckStatus.Fail, $"id={id} must be 1-32 letters and digits.", "RFC 8461 3.1");
            foreach (var d in tags.Duplicates.Distinct()) sink.Add(MailCheckId.MtaStsRecordSyntax, "MTA-STS record syntax", MailCheckStatus.Fail, $"The tag '{d}' appears more than once.", "RFC 8461 3.1");
            foreach (var e in tags.Errors) sink.Add(MailCheckId.MtaStsRecordSyntax, "MTA-STS record syntax", MailCheckStatus.Fail, $"Syntax error: {e}.", "RFC 8461 3.1");
        }

        /// <summary>Checks a TLS-RPT record's text (no DNS); never throws.</summary>
        public static void CheckTlsRpt(string record, CheckSink sink)
        {
            var tags = TagList.Parse(record);
            if (tags.Tags.Count == 0 || tags.Tags[0].Key != "v" || tags.Tags[0].Value != "TLSRPTv1")
                sink.Add(MailCheckId.TlsRptRecord, "TLS-RPT record syntax", MailCheckStatus.Fail, "The record must begin with exactly 'v=TLSRPTv1'.", "RFC 8460 3");
            else
                sink.Add(MailCheckId.TlsRptRecord, "TLS-RPT record", MailCheckStatus.Pass, "One TLS-RPT record, starting v=TLSRPTv1.", "RFC 8460 3", new[] { record });
            var rua = tags["rua"];
            if (rua == null) { sink.Add(MailCheckId.TlsRptRua, "TLS-RPT rua", MailCheckStatus.Fail, "The record has no rua=; reports have nowhere to go.", "RFC 8460 3"); return; }
            var bad = rua.Split(',').Select(u => u.Trim()).Where(u => !(u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && u.IndexOf('@') > 7) && !u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)).ToList();
            if (bad.Count > 0) sink.Add(MailCheckId.TlsRptRua, "TLS-RPT rua", MailCheckStatus.Fail, $"rua may only hold mailto: addresses and https: URLs; not '{string.Join("', '", bad)}'.", "RFC 8460 3");
            else sink.Add(MailCheckId.TlsRptRua, "TLS-RPT rua", MailCheckStatus.Pass, $"TLS reports go to {rua}.", "RFC 8460 3", new[] { record });
        }

        public static async Task<bool> MtaStsAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct)
        {
            var t = await dns.TxtAsync("_mta-sts." + domain, ct).ConfigureAwait(false);
            var recs = t.Records.Where(r => r.StartsWith("v=STSv1", StringComparison.Ordinal)).ToList();
            var other = t.Records.Where(r => !r.StartsWith("v=STSv1", StringComparison.Ordinal)).ToList();
            if (other.Count > 0) sink.Add(MailCheckId.MtaStsRecord, "MTA-STS unrelated TXT", MailCheckStatus.Warning, $"_mta-sts.{domain} holds TXT records that are not MTA-STS.", "RFC 8461 3.1", other);
            if (recs.Count == 0) { sink.Add(MailCheckId.MtaStsRecord, "MTA-STS record", MailCheckStatus.Info, $"No MTA-STS record at _mta-sts.{domain}: senders may deliver without TLS when attacked.", "RFC 8461 3.1"); return false; }
            if (recs.Count > 1) { sink.Add(MailCheckId.MtaStsRecord, "MTA-STS record", MailCheckStatus.Fail, $"_mta-sts.{domain} has {recs.Count} MTA-STS records; senders then treat the domain as having no policy.", "RFC 8461 3.1", recs); return false; }
            sink.Add(MailCheckId.MtaStsRecord, "MTA-STS record", MailCheckStatus.Pass, $"MTA-STS record found at _mta-sts.{domain}.", "RFC 8461 3.1", recs);
            CheckMtaStsTxt(recs[0], sink);
            return true;
        }

        public static async Task<bool> TlsRptAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct, bool needed)
        {
            var t = await dns.TxtAsync("_smtp._tls." + domain, ct).ConfigureAwait(false);
            var recs = t.Records.Where(r => r.StartsWith("v=TLSRPTv1", StringComparison.Ordinal)).ToList();
            var other = t.Records.Where(r => !r.StartsWith("v=TLSRPTv1", StringComparison.Ordinal)).ToList();
            if (other.Count > 0) sink.Add(MailCheckId.TlsRptRecord, "TLS-RPT unrelated TXT", MailCheckStatus.Warning, $"_smtp._tls.{domain} holds TXT records that are not TLS-RPT.", "RFC 8460 3", other);
            if (recs.Count == 0)
            {
                sink.Add(needed ? MailCheckId.TlsRptCompanion : MailCheckId.TlsRptRecord, "TLS-RPT record", needed ? MailCheckStatus.Warning : MailCheckStatus.Info,
                    needed ? $"MTA-STS is published but no TLS-RPT record at _smtp._tls.{domain}: you will not hear when senders fail TLS." : $"No TLS-RPT record at _smtp._tls.{domain}.", "RFC 8460 3");
                return false;
            }
            if (recs.Count > 1) { sink.Add(MailCheckId.TlsRptRecord, "TLS-RPT record", MailCheckStatus.Fail, $"_smtp._tls.{domain} has {recs.Count} TLS-RPT records; senders then use none.", "RFC 8460 3", recs); return false; }
            CheckTlsRpt(recs[0], sink);
            return true;
        }

        /// <summary>Checks the BIMI record (98, 99); returns its l= and a= URLs (nulls when there is none) for the fetch.</summary>
        public static async Task<(string logo, string cert)> BimiAsync(IDnsResolver dns, string domain, string dmarcPolicy, string pct, CheckSink sink, CancellationToken ct)
        {
            var t = await dns.TxtAsync("default._bimi." + domain, ct).ConfigureAwait(false);
            var recs = t.Records.Where(r => r.StartsWith("v=BIMI1", StringComparison.Ordinal)).ToList();
            if (recs.Count == 0) return (null, null); // BIMI is optional; say nothing when it is not used
            if (recs.Count > 1) { sink.Add(MailCheckId.BimiRecord, "BIMI record", MailCheckStatus.Fail, $"default._bimi.{domain} has {recs.Count} BIMI records.", "draft-brand-indicators 4"); return (null, null); }
            var tags = TagList.Parse(recs[0]);
            var l = tags["l"];
            if (l != null && l.Length > 0 && !l.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                sink.Add(MailCheckId.BimiRecord, "BIMI logo", MailCheckStatus.Fail, $"l={l} must be an https URL of an SVG.", "draft-brand-indicators 4");
            var a = tags["a"];
            if (a != null && a.Length > 0 && !a.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                sink.Add(MailCheckId.BimiRecord, "BIMI certificate", MailCheckStatus.Fail, $"a={a} must be an https URL of a PEM mark certificate.", "draft-brand-indicators 4");
            foreach (var d in tags.Duplicates.Distinct()) sink.Add(MailCheckId.BimiRecord, "BIMI record", MailCheckStatus.Fail, $"The tag '{d}' appears more than once.", "draft-brand-indicators 4");
            if (!sink.Checks.Any(c => c.Id == MailCheckId.BimiRecord && c.Status == MailCheckStatus.Fail))
                sink.Add(MailCheckId.BimiRecord, "BIMI record", MailCheckStatus.Pass, $"One valid BIMI record at default._bimi.{domain}.", "draft-brand-indicators 4", recs);
            var enforced = dmarcPolicy == "quarantine" || dmarcPolicy == "reject";
            var fullPct = pct == null || pct == "100";
            sink.Add(MailCheckId.BimiDmarcPrerequisite, "BIMI DMARC prerequisite", enforced && fullPct ? MailCheckStatus.Pass : MailCheckStatus.Fail,
                enforced && fullPct ? "DMARC is enforced, so receivers may show the logo." : "Receivers show a BIMI logo only with DMARC at quarantine or reject and pct=100.", "draft-brand-indicators 7.1", recs);
            return (l, a);
        }

        /// <summary>A wildcard TXT answering _dmarc, _mta-sts or _smtp._tls with an SPF string breaks those records (12).</summary>
        public static async Task WildcardAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct)
        {
            var probe = await dns.TxtAsync("mailadmin-wildcard-probe-7f3a." + domain, ct).ConfigureAwait(false);
            if (probe.Records.Count == 0) return;
            sink.Add(MailCheckId.WildcardLeakage, "Wildcard TXT", MailCheckStatus.Warning, $"*.{domain} answers TXT queries for any name; it also answers where DMARC, MTA-STS and TLS-RPT records are looked up.", "RFC 4592", probe.Records);
            foreach (var name in new[] { "_dmarc.", "_mta-sts.", "_smtp._tls.", "default._bimi." })
            {
                var t = await dns.TxtAsync(name + domain, ct).ConfigureAwait(false);
                var spf = t.Records.Where(r => r.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase)).ToList();
                if (spf.Count > 0)
                    sink.Add(MailCheckId.WildcardLeakage, "Wildcard leakage", MailCheckStatus.Fail, $"An SPF record answers at {name}{domain}, where a {name.Trim('.', '_')} record belongs (a wildcard leaks into it).", "RFC 4592", spf);
            }
        }

        private static readonly (string service, bool tls)[] ClientServices =
        {
            ("submissions", true), ("submission", false), ("imaps", true), ("imap", false), ("pop3s", true), ("pop3", false),
        };

        /// <summary>
        /// RFC 6186 SRV records for mail clients (117): which services are published, plaintext-only services warned
        /// about (RFC 8314), and with a probe each target's TLS checked.
        /// </summary>
        public static async Task ClientServicesAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct,
            Func<string, string, int, System.Net.IPAddress, CancellationToken, Task<List<MailCheck>>> probe)
        {
            var found = new List<(string service, bool tls, int port, string target)>();
            foreach (var (service, tls) in ClientServices)
            {
                var r = await dns.QueryAsync($"_{service}._tcp.{domain}", "SRV", ct).ConfigureAwait(false);
                foreach (var rec in r.Records)
                {
                    var f = rec.Split(' ');
                    if (f.Length == 4 && int.TryParse(f[2], out var port)) found.Add((service, tls, port, f[3]));
                }
            }
            if (found.Count == 0) return; // RFC 6186 is optional; clients also use autoconfig or fixed names
            var offered = found.Where(x => x.target != "" && x.target != ".").ToList();
            var shown = found.Select(x => $"_{x.service}._tcp {x.port} {(x.target == "" ? "." : x.target)}").ToList();
            var plainOnly = new List<string>();
            foreach (var (plain, secure) in new[] { ("submission", "submissions"), ("imap", "imaps"), ("pop3", "pop3s") })
                if (offered.Any(x => x.service == plain) && !offered.Any(x => x.service == secure)) plainOnly.Add($"{plain} without {secure}");
            sink.Add(MailCheckId.ClientSrv, "Client SRV records", plainOnly.Count > 0 ? MailCheckStatus.Warning : MailCheckStatus.Pass,
                plainOnly.Count > 0 ? "Mail clients are pointed at STARTTLS ports only (" + string.Join(", ", plainOnly) + "); RFC 8314 prefers implicit TLS: publish _submissions._tcp (465), _imaps._tcp (993), _pop3s._tcp (995)."
                                    : $"SRV records point mail clients to {string.Join(", ", offered.Select(x => x.service).Distinct())}{(offered.Count == 0 ? "nothing (services declared not offered)" : "")}.",
                "RFC 6186 3, RFC 8314 3.3", shown);
            if (probe == null) return;
            foreach (var x in offered)
            {
                if (!MailAdmin.Validation.MailNames.IsHostName(x.target))
                { sink.Add(MailCheckId.ClientSrv, $"Client SRV {x.service}", MailCheckStatus.Fail, $"The {x.service} SRV target '{x.target}' is not a valid host name; it is not probed.", "RFC 2782, RFC 1123 2.1"); continue; }
                var a = await dns.AddressAsync(x.target, false, ct).ConfigureAwait(false);
                var aaaa = await dns.AddressAsync(x.target, true, ct).ConfigureAwait(false);
                var ip = a.Records.FirstOrDefault() ?? aaaa.Records.FirstOrDefault();
                if (ip == null) { sink.Add(MailCheckId.ClientSrv, $"Client SRV {x.service} {x.target}:{x.port}", MailCheckStatus.Fail, $"The {x.service} host {x.target} has no address.", "RFC 6186 3"); continue; }
                sink.Checks.AddRange(await probe(x.service, x.target, x.port, ip, ct).ConfigureAwait(false));
            }
        }

        public static async Task ClientAliasesAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct, IReadOnlyList<string> names)
        {
            var found = new List<string>();
            var dangling = new List<string>();
            foreach (var name in names)
            {
                // one address question: its answer carries the alias chain, and NXDOMAIN at its end means the target is gone
                var a = await dns.AddressAsync(name + domain, false, ct).ConfigureAwait(false);
                if (a.Aliases.Count == 0) continue;
                var target = a.Aliases[a.Aliases.Count - 1];
                if (name != "mta-sts.") found.Add($"{name}{domain} -> {target}");
                // 123: an alias to a name that no longer exists (a deleted tenant or service) can be taken over
                if (a.Status == DnsStatus.NxDomain) dangling.Add($"{name}{domain} -> {target} (NXDOMAIN)");
            }
            if (found.Count > 0) sink.Add(MailCheckId.Autodiscover, "Client configuration aliases", MailCheckStatus.Info, "Mail clients can find their servers through these aliases.", "RFC 6186", found);
            if (dangling.Count > 0)
                sink.Add(MailCheckId.DanglingCname, "Dangling aliases", MailCheckStatus.Warning, "These aliases point to names that do not exist (a removed service or tenant): whoever registers the target can serve your clients' configuration or MTA-STS policy. Remove or fix them.", "RFC 1034 3.6.2", dangling);
        }
    }
}
