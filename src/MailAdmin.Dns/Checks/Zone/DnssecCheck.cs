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
    /// <summary>DNSSEC of the domain (7), of its MX hosts (8) and per answer (9).</summary>
    internal sealed class DnssecCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            await DnssecAsync(context.Dns, context.Domain, context.Soa, context.Sink, context.Ct).ConfigureAwait(false);
        }

        /// <summary>The domain's answers fail DNSSEC validation (SERVFAIL with an extended error saying so).</summary>
        public static void Bogus(string domain, DnsAnswer<string> soa, CheckSink sink)
        {
            sink.Add(
                MailCheckId.Dnssec,
                "DNSSEC",
                MailCheckStatus.Fail,
                $"DNSSEC validation of {domain} fails (bogus: {soa.ExtendedError}): validating resolvers answer SERVFAIL for every name in it, so mail to "
                + "it stops. Fix the DS at the parent or the zone's signatures.",
                "RFC 4035 5.5, RFC 8914",
                new[] { soa.ExtendedError });
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
            if (soa.IsBogus)
            {
                bogus.Add($"SOA: {soa.ExtendedError}");
            }

            foreach (var (label, t) in names)
            {
                var f = await t.ConfigureAwait(false);
                results.Add($"{label}: {(f.Authenticated ? "authenticated" : f.Bogus != null ? "bogus (" + f.Bogus + ")" : "not authenticated")}");
                if (f.Bogus != null)
                {
                    bogus.Add($"{label}: {f.Bogus}");
                }
            }
            if (bogus.Count > 0)
            {
                sink.Add(
                    MailCheckId.Dnssec,
                    "DNSSEC",
                    MailCheckStatus.Fail,
                    $"DNSSEC validation of {domain} fails (bogus): validating resolvers answer SERVFAIL, so senders that validate cannot find its MX and "
                    + "mail to it stops. Fix the DS at the parent or the zone's signatures.",
                    "RFC 4035 5.5, RFC 8914",
                    bogus);
            }
            else if (ds.IsError)
            {
                sink.Add(MailCheckId.Dnssec, "DNSSEC", MailCheckStatus.Info, $"The DS lookup for {domain} failed ({ds.Status}).", "RFC 4035");
            }
            else if (ds.Records.Count == 0)
            {
                sink.Add(
                    MailCheckId.Dnssec,
                    "DNSSEC",
                    MailCheckStatus.Warning,
                    $"{domain} is not DNSSEC-signed (no DS record at its parent): its MX and policy records can be forged on the way, and DANE cannot work.",
                    "RFC 4033, RFC 7672");
            }
            else if (soa.Authenticated)
            {
                sink.Add(
                    MailCheckId.Dnssec,
                    "DNSSEC",
                    MailCheckStatus.Pass,
                    $"{domain} is signed (DS at its parent) and the resolver validated its answers up the chain of trust.",
                    "RFC 4035 5",
                    ds.Records);
            }
            else
            {
                sink.Add(
                    MailCheckId.Dnssec,
                    "DNSSEC",
                    MailCheckStatus.Pass,
                    $"{domain} has a DS record at its parent: it is a signed delegation (the resolver asked does not validate, so the signatures were not "
                    + "checked).",
                    "RFC 4035 5",
                    ds.Records);
            }

            var any = results.Any(r => r.EndsWith(": authenticated", StringComparison.Ordinal));
            sink.Add(MailCheckId.AuthenticatedAnswers, "DNSSEC validation", MailCheckStatus.Info,
                any
                    ? "The resolver validated these answers with DNSSEC (AD flag)."
                    : "No answer carried the AD flag: the zone is unsigned, or the resolver asked does not validate DNSSEC.", "RFC 4035 3.2.3", results);
        }

        /// <summary>DNSSEC of the MX hosts' zones (8): each host's address answer authenticated, or bogus.</summary>
        public static void MxHostsDnssec(IReadOnlyList<(string host, DnsAnswer<IPAddress> a, DnsAnswer<IPAddress> aaaa)> hosts, CheckSink sink)
        {
            if (hosts.Count == 0)
            {
                return;
            }

            var bogus = hosts.Where(h => h.a.IsBogus || h.aaaa.IsBogus).Select(h => $"{h.host}: {h.a.ExtendedError ?? h.aaaa.ExtendedError}").ToList();
            var signed = hosts.Where(h => h.a.Authenticated || h.aaaa.Authenticated).Select(h => h.host).ToList();
            string State((string host, DnsAnswer<IPAddress> a, DnsAnswer<IPAddress> aaaa) h)
            {
                if (h.a.IsBogus || h.aaaa.IsBogus)
                {
                    return "bogus";
                }

                return h.a.Authenticated || h.aaaa.Authenticated ? "authenticated" : "not authenticated";
            }

            var records = hosts.Select(h => $"{h.host}: {State(h)}");
            if (bogus.Count > 0)
            {
                sink.Add(
                    MailCheckId.MxDnssec,
                    "DNSSEC of MX hosts",
                    MailCheckStatus.Fail,
                    "DNSSEC validation of MX host addresses fails (bogus): " + string.Join("; ", bogus) + ". Validating senders cannot reach these hosts.",
                    "RFC 4035 5.5, RFC 7672 2.2",
                    records);
            }
            else if (signed.Count == hosts.Count)
            {
                sink.Add(
                    MailCheckId.MxDnssec,
                    "DNSSEC of MX hosts",
                    MailCheckStatus.Pass,
                    "Every MX host's address is DNSSEC-authenticated, so DANE can apply.",
                    "RFC 7672 2.2",
                    records);
            }
            else
                sink.Add(MailCheckId.MxDnssec, "DNSSEC of MX hosts", MailCheckStatus.Info, signed.Count == 0
                    ? "No MX host address came back DNSSEC-authenticated: their zones are unsigned, or the resolver asked does not validate."
                    : $"Only {signed.Count} of {hosts.Count} MX hosts have DNSSEC-authenticated addresses; DANE applies only to those.", "RFC 7672 2.2",
                        records);
        }

        private struct DnsAnswerFlags
        {
            public bool Authenticated; public string Bogus;
        }

        private static async Task<DnsAnswerFlags> Flags<T>(Task<DnsAnswer<T>> t)
        {
            var a = await t.ConfigureAwait(false);
            return new DnsAnswerFlags { Authenticated = a.Authenticated, Bogus = a.IsBogus ? a.ExtendedError : null };
        }
    }
}
