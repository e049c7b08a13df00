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
    /// <summary>MX records and hosts (14-21, 24, 25); records the MX hosts for the checks after it.</summary>
    internal sealed class MxCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            var hosts = new List<MxHost>();
            var (records, nullMx) = await RunAsync(context.Dns, context.Domain, context.Sink, context.Ct, context.AllowPrivateAddresses, hosts)
                .ConfigureAwait(false);
            context.MxRecords = records;
            context.NullMx = nullMx;
            context.MxHosts = hosts;
        }

        public static bool IsRoutable(IPAddress ip)
        {
            if (ip.AddressFamily == AddressFamily.InterNetworkV6)
            {
                if (ip.IsIPv4MappedToIPv6 || ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || IPAddress.IPv6Loopback.Equals(ip) || IPAddress.IPv6None.Equals(ip))
                {
                    return false;
                }

                var b6 = ip.GetAddressBytes();
                if ((b6[0] & 0xFE) == 0xFC)
                {
                    return false; // fc00::/7 unique local
                }

                if (b6[0] == 0x20 && b6[1] == 0x01 && b6[2] == 0x0d && b6[3] == 0xb8)
                {
                    return false; // 2001:db8::/32 documentation
                }

                return true;
            }
            var b = ip.GetAddressBytes();
            if (b[0] == 10 || b[0] == 127 || b[0] == 0 || b[0] >= 224)
            {
                return false;
            }

            if (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            {
                return false;
            }

            if (b[0] == 192 && b[1] == 168)
            {
                return false;
            }

            if (b[0] == 169 && b[1] == 254)
            {
                return false;
            }

            if (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            {
                return false; // CGNAT
            }

            if (b[0] == 192 && b[1] == 0 && b[2] == 2)
            {
                return false;
            }

            if (b[0] == 198 && b[1] == 51 && b[2] == 100)
            {
                return false;
            }

            if (b[0] == 203 && b[1] == 0 && b[2] == 113)
            {
                return false;
            }

            if (b[0] == 198 && (b[1] == 18 || b[1] == 19))
            {
                return false;
            }

            return true;
        }

        /// <summary>Returns the MX records (null when the lookup failed) and whether the domain has a null MX.</summary>
        private static async Task<(IReadOnlyList<MxRecord> mx, bool nullMx)> RunAsync(
            IDnsResolver dns,
            string domain,
            CheckSink sink,
            CancellationToken ct,
            bool allowPrivateAddresses,
            List<MxHost> hostFacts)
        {
            var r = await dns.MxAsync(domain, ct).ConfigureAwait(false);
            if (r.IsError)
            {
                sink.Add(
                    MailCheckId.MxLookup,
                    "MX records",
                    MailCheckStatus.Fail,
                    $"The MX lookup for {domain} failed ({r.Status}); senders will retry and then bounce.",
                    "RFC 5321 5.1");
                return (null, false);
            }
            var records = r.Records.OrderBy(m => m.Preference).ToList();
            var shown = records.Select(m => m.ToString()).ToList();
            if (records.Count == 0)
            {
                var a = await dns.AddressAsync(domain, false, ct).ConfigureAwait(false);
                var aaaa = await dns.AddressAsync(domain, true, ct).ConfigureAwait(false);
                if (a.Records.Count + aaaa.Records.Count > 0)
                {
                    sink.Add(
                        MailCheckId.MxLookup,
                        "MX records",
                        MailCheckStatus.Warning,
                        $"{domain} has no MX record, so mail goes to its A/AAAA address (implicit MX). Publish an MX record, or a null MX (\"0 .\") if it "
                        + "takes no mail.",
                        "RFC 5321 5.1");
                }
                else
                {
                    sink.Add(
                        MailCheckId.MxLookup,
                        "MX records",
                        MailCheckStatus.Info,
                        $"{domain} has no MX and no address: it receives no mail. Publish a null MX (\"0 .\") to say so.",
                        "RFC 7505");
                }

                return (records, false);
            }
            var nulls = records.Where(m => m.Exchange == "" || m.Exchange == ".").ToList();
            if (nulls.Count > 0)
            {
                if (records.Count > 1)
                    sink.Add(
                        MailCheckId.NullMx,
                        "Null MX",
                        MailCheckStatus.Fail,
                        "A null MX (\"0 .\") must be the only MX record; with others beside it senders cannot tell whether mail is accepted.",
                        "RFC 7505 3",
                        shown);
                else
                {
                    sink.Add(MailCheckId.NullMx, "Null MX", nulls[0].Preference == 0 ? MailCheckStatus.Pass : MailCheckStatus.Fail,
                        nulls[0].Preference == 0
                            ? $"{domain} publishes a null MX: it accepts no mail."
                            : "A null MX must have preference 0.", "RFC 7505 3", shown);
                    return (records, true);
                }
            }
            sink.Add(MailCheckId.MxLookup, "MX records", MailCheckStatus.Pass, $"{domain} has {records.Count} MX record(s).", "RFC 5321 5.1", shown);
            var hosts = records.Where(m => m.Exchange != "" && m.Exchange != ".").ToList();
            if (hosts.Select(h => h.Exchange.ToLowerInvariant()).Distinct().Count() < hosts.Count)
            {
                sink.Add(MailCheckId.DuplicateMx, "Duplicate MX", MailCheckStatus.Warning, "The same MX host is listed more than once.", "RFC 5321 5.1", shown);
            }

            if (hosts.Count > 10)
            {
                sink.Add(
                    MailCheckId.TooManyMx,
                    "MX count",
                    MailCheckStatus.Warning,
                    $"{hosts.Count} MX hosts: an SPF 'mx' term for this domain gives permerror (at most 10).",
                    "RFC 7208 4.6.4",
                    shown);
            }

            if (hosts.Select(h => h.Exchange.ToLowerInvariant()).Distinct().Count() == 1)
            {
                sink.Add(
                    MailCheckId.MxRedundancy,
                    "MX redundancy",
                    MailCheckStatus.Info,
                    "A single MX host: while it is down, senders queue mail (up to days) instead of using a backup.",
                    "RFC 5321 5.1");
            }

            var seenIps = new Dictionary<string, string>();
            var anyV6 = false;
            var hostAnswers = new List<(string, DnsAnswer<IPAddress>, DnsAnswer<IPAddress>)>();
            foreach (var h in hosts.Select(m => m.Exchange).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (IPAddress.TryParse(h.Trim('[', ']'), out _))
                {
                    sink.Add(
                        MailCheckId.MxNotIpLiteral,
                        $"MX host {h}",
                        MailCheckStatus.Fail,
                        $"The MX target '{h}' is an IP address; it must be a host name.",
                        "RFC 5321 5.1",
                        shown);
                    continue;
                }
                if (!MailAdmin.Validation.MailNames.IsHostName(h))
                {
                    sink.Add(
                        MailCheckId.MxNotIpLiteral,
                        "MX host name",
                        MailCheckStatus.Fail,
                        $"The MX target '{h}' is not a valid host name (letters, digits and hyphens in dot-separated labels); senders cannot use it, and "
                        + "it is not probed.",
                        "RFC 5321 2.3.5, RFC 1123 2.1",
                        shown);
                    continue;
                }
                if (h.EndsWith(".msv1.invalid", StringComparison.OrdinalIgnoreCase))
                {
                    sink.Add(
                        MailCheckId.MxResolves,
                        $"MX host {h}",
                        MailCheckStatus.Fail,
                        $"'{h}' is a leftover Microsoft 365 verification MX; remove it and verify with a TXT record.",
                        "RFC 5321 5.1");
                    continue;
                }
                var a = await dns.AddressAsync(h, false, ct).ConfigureAwait(false);
                if (a.Aliases.Count > 0)
                {
                    sink.Add(
                        MailCheckId.MxNotCname,
                        $"MX host {h}",
                        MailCheckStatus.Fail,
                        $"The MX target {h} is an alias (CNAME to {a.Aliases[0]}); MX must name a host directly.",
                        "RFC 2181 10.3, RFC 5321 5.1",
                        a.Aliases);
                }

                var aaaa = await dns.AddressAsync(h, true, ct).ConfigureAwait(false);
                var ips = a.Records.Concat(aaaa.Records).ToList();
                hostAnswers.Add((h, a, aaaa));
                if (ips.Count == 0)
                {
                    sink.Add(
                        MailCheckId.MxResolves,
                        $"MX host {h}",
                        MailCheckStatus.Fail,
                        a.IsBogus
                            ? $"The address of the MX host {h} fails DNSSEC validation ({a.ExtendedError}); validating senders cannot reach it."
                            : a.Status == DnsStatus.NxDomain ? $"The MX host {h} does not exist (NXDOMAIN)." : $"The MX host {h} has no A or AAAA record.",
                        "RFC 5321 5.1");
                    continue;
                }
                anyV6 |= aaaa.Records.Count > 0;
                var bad = ips.Where(ip => !IsRoutable(ip)).ToList();
                if (bad.Count > 0 && !allowPrivateAddresses)
                {
                    sink.Add(
                        MailCheckId.MxAddressesRoutable,
                        $"MX host {h}",
                        MailCheckStatus.Fail,
                        $"{h} resolves to address(es) the internet cannot reach: {string.Join(", ", bad)}.",
                        "RFC 5321 5.1",
                        ips.Select(i => i.ToString()));
                }
                else
                {
                    sink.Add(
                        MailCheckId.MxResolves,
                        $"MX host {h}",
                        MailCheckStatus.Pass,
                        $"{h} resolves to {string.Join(", ", ips)}.",
                        "RFC 5321 5.1",
                        ips.Select(i => i.ToString()));
                }

                hostFacts.Add(new MxHost(h, a, aaaa));
                foreach (var ip in ips)
                {
                    if (seenIps.TryGetValue(ip.ToString(), out var other) && !string.Equals(other, h, StringComparison.OrdinalIgnoreCase))
                    {
                        sink.Add(
                            MailCheckId.DuplicateMx,
                            "MX addresses",
                            MailCheckStatus.Info,
                            $"{h} and {other} share the address {ip}: they are not independent backups.",
                            "RFC 5321 5.1");
                    }

                    seenIps[ip.ToString()] = h;
                }
            }
            DnssecCheck.MxHostsDnssec(hostAnswers, sink);
            if (!anyV6 && hosts.Count > 0)
            {
                sink.Add(MailCheckId.MxIpv6, "MX IPv6", MailCheckStatus.Info, "No MX host has an IPv6 (AAAA) address.", "RFC 3974");
            }

            return (records, false);
        }
    }
}
