using System.Collections.Generic;
using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Dns.Spf;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;

namespace MailAdmin.Dns.Checks
{
    /// <summary>Runs every check of one domain through a (run-wide, caching) resolver. Never throws for bad DNS data: every problem is a check.</summary>
    public sealed class DomainChecker
    {
        private readonly IDnsResolver _dns;
        public DomainChecker(IDnsResolver dns) { _dns = dns; }

        /// <summary>Private and loopback MX addresses are reported as Pass instead of Fail, and the MTA-STS policy and BIMI files
        /// are fetched from such addresses too (for test and lab networks); otherwise they are not fetched.</summary>
        public bool AllowPrivateAddresses { get; set; }

        public async Task<MailDomainReport> CheckAsync(string domainName, DomainCheckOptions options, CancellationToken ct)
        {
            options = options ?? new DomainCheckOptions();
            var domain = MailNames.NormalizeDomain(domainName);
            var sw = Stopwatch.StartNew();
            var counting = new CountingResolver(_dns);
            var sink = new CheckSink();
            var report = new MailDomainReport { Domain = MailNames.ToUnicode(domain) };

            var soa = await counting.SoaAsync(domain, ct).ConfigureAwait(false);
            if (soa.Status == DnsStatus.NxDomain)
            {
                sink.Add(MailCheckId.DomainExists, "Domain exists", MailCheckStatus.Fail, $"{domain} does not exist in DNS (NXDOMAIN).", "RFC 1035");
                await EvaluateSender(domain, options, report, sink, counting, ct).ConfigureAwait(false);
                return Finish(report, sink, counting, sw);
            }
            if (soa.IsError)
            {
                sink.Add(MailCheckId.DomainExists, "Domain exists", MailCheckStatus.Fail, $"DNS did not answer for {domain} ({soa.Status}{(soa.ExtendedError != null ? ": " + soa.ExtendedError : "")}).", "RFC 1035");
                if (soa.IsBogus)
                    ZoneChecks.Bogus(domain, soa, sink);
                else if (options.NameServerProbe != null)
                    await options.NameServerProbe.RunAsync(counting, domain, sink, ct).ConfigureAwait(false);
                await EvaluateSender(domain, options, report, sink, counting, ct).ConfigureAwait(false);
                return Finish(report, sink, counting, sw);
            }
            sink.Add(MailCheckId.DomainExists, "Domain exists", MailCheckStatus.Pass, $"{domain} exists.", "RFC 1035", soa.Records);
            await ZoneChecks.NameServersAsync(counting, domain, sink, ct).ConfigureAwait(false);
            ZoneChecks.Soa(domain, soa.Records, sink);
            await ZoneChecks.DnssecAsync(counting, domain, soa, sink, ct).ConfigureAwait(false);
            if (options.NameServerProbe != null)
                await options.NameServerProbe.RunAsync(counting, domain, sink, ct).ConfigureAwait(false);

            var (mxRecords, nullMx) = await MxChecks.RunAsync(counting, domain, sink, ct, AllowPrivateAddresses, options.SmtpProbe != null).ConfigureAwait(false);
            if (mxRecords != null) Approved("MX", mxRecords.Select(m => m.Exchange), options.ApprovedMxHosts, sink);
            if (options.ApprovedNameServers != null && options.ApprovedNameServers.Count > 0)
                Approved("NS", (await counting.QueryAsync(domain, "NS", ct).ConfigureAwait(false)).Records, options.ApprovedNameServers, sink);
            if (options.SmtpProbe != null && mxRecords != null && !nullMx)
            {
                foreach (var host in mxRecords.Select(m => m.Exchange).Where(MailNames.IsHostName).Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    var a = await counting.AddressAsync(host, false, ct).ConfigureAwait(false);
                    var aaaa = await counting.AddressAsync(host, true, ct).ConfigureAwait(false);
                    var tlsa = await counting.TlsaAsync("_25._tcp." + host, ct).ConfigureAwait(false);
                    foreach (var ip in a.Records.Concat(aaaa.Records).Take(4))
                        sink.Checks.AddRange(await options.SmtpProbe(domain, host, ip, tlsa.Records, ct).ConfigureAwait(false));
                }
            }
            await new SpfChecks(counting, sink, ct) { AskType99 = options.Thorough }.RunAsync(domain, nullMx).ConfigureAwait(false);
            var dmarc = new DmarcChecks(counting, sink, ct);
            await dmarc.RunAsync(domain).ConfigureAwait(false);
            if (nullMx && dmarc.EffectivePolicy != null && dmarc.EffectivePolicy != "reject")
                sink.Add(MailCheckId.DmarcParkedDomain, "Parked domain DMARC", MailCheckStatus.Warning, "The domain takes no mail (null MX); if it sends none, use p=reject.", "RFC 7505, RFC 7489");
            var dkim = new DkimChecks(counting, sink, ct);
            var mxHosts = mxRecords?.Select(m => m.Exchange).ToList() ?? new List<string>();
            await dkim.RunAsync(domain, options.DkimSelectors, options.DkimSelectorGuess, mxHosts).ConfigureAwait(false);
            var sts = await PolicyChecks.MtaStsAsync(counting, domain, sink, ct).ConfigureAwait(false);
            string stsMode = null;
            if (sts && options.FetchMtaStsPolicy)
                stsMode = await new MtaStsFetcher(counting) { Port = options.MtaStsPort, TrustedRoots = options.TrustedRoots, AllowPrivateAddresses = AllowPrivateAddresses }.CheckAsync(domain, mxRecords, sink, ct).ConfigureAwait(false);
            if (stsMode == "enforce" && options.SmtpProbe != null) MtaStsEnforceTls(sink);
            await PolicyChecks.TlsRptAsync(counting, domain, sink, ct, sts).ConfigureAwait(false);
            var (logo, mark) = await PolicyChecks.BimiAsync(counting, domain, dmarc.EffectivePolicy, dmarc.Tags?["pct"], sink, ct).ConfigureAwait(false);
            if (options.FetchMtaStsPolicy && (!string.IsNullOrEmpty(logo) || !string.IsNullOrEmpty(mark)))
                await new BimiFetcher(counting) { TrustedRoots = options.TrustedRoots, AllowPrivateAddresses = AllowPrivateAddresses }.CheckAsync(domain, logo, mark, sink, ct).ConfigureAwait(false);
            await PolicyChecks.WildcardAsync(counting, domain, sink, ct).ConfigureAwait(false);
            var clients = options.Thorough || options.ClientProbe != null;
            var aliases = new List<string>();
            if (clients) aliases.AddRange(new[] { "autoconfig.", "autodiscover." });
            if (sts) aliases.Add("mta-sts.");
            await PolicyChecks.ClientAliasesAsync(counting, domain, sink, ct, aliases).ConfigureAwait(false);
            if (clients)
                await PolicyChecks.ClientServicesAsync(counting, domain, sink, ct, options.ClientProbe).ConfigureAwait(false);

            if (options.ExpectedRecords != null && options.ExpectedRecords.Count > 0)
                await ExpectedRecordChecks.RunAsync(counting, domain, options.ExpectedRecords, "The provider", sink, ct).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(options.ExpectProvider))
                await ExpectedRecordChecks.RunAsync(counting, domain, ProviderProfiles.For(options.ExpectProvider, domain), options.ExpectProvider, sink, ct).ConfigureAwait(false);

            await EvaluateSender(domain, options, report, sink, counting, ct).ConfigureAwait(false);
            if (options.CompareResolvers != null && options.CompareResolvers.Count > 0)
            {
                var dkimNames = dkim.FoundSelectors.Select(sel => sel + "._domainkey." + domain).ToList();
                var resolvers = options.CompareResolvers.Select(r => (r.Key, r.Value)).ToList();
                sink.Checks.AddRange(await PropagationCheck.RunAsync(domain, resolvers, dkimNames, ct).ConfigureAwait(false));
            }

            return Finish(report, sink, counting, sw);
        }

        /// <summary>88: under an enforced MTA-STS policy every probed MX must offer STARTTLS with a certificate valid for its name.</summary>
        private static void MtaStsEnforceTls(CheckSink sink)
        {
            var tlsChecks = new[] { MailCheckId.SmtpGreeting, MailCheckId.SmtpStartTls, MailCheckId.TlsCertificate, MailCheckId.TlsCertificateTrust };
            var smtp = sink.Checks.Where(c => c.Area == "SMTP" && tlsChecks.Contains(c.Id)).ToList();
            if (smtp.Count == 0) return;
            // an expiring (still valid) certificate is no reason for a sender to refuse; a missing STARTTLS, a wrong name or chain is
            var bad = smtp
                .Where(c => c.Status == MailCheckStatus.Fail
                    || (c.Id == MailCheckId.SmtpStartTls && c.Status != MailCheckStatus.Pass)
                    || (c.Id == MailCheckId.TlsCertificateTrust && c.Status != MailCheckStatus.Pass))
                .Select(c => c.Summary)
                .ToList();
            sink.Add(MailCheckId.MtaStsMxTls, "MX TLS under enforce", bad.Count == 0 ? MailCheckStatus.Pass : MailCheckStatus.Fail,
                bad.Count == 0 ? "Every MX probed offers STARTTLS with a certificate valid for its name, as the enforced policy requires."
                               : "The policy is enforced, but senders that honour it will not deliver to an MX without valid TLS: " + string.Join(" ", bad), "RFC 8461 4.2", bad);
        }

        /// <summary>22: MX and NS hosts outside the organisation's approved list.</summary>
        private static void Approved(string what, IEnumerable<string> hosts, IReadOnlyList<string> approved, CheckSink sink)
        {
            if (approved == null || approved.Count == 0) return;
            bool Ok(string h) => approved.Any(p => p.StartsWith("*.", StringComparison.Ordinal)
                ? h.EndsWith(p.Substring(1), StringComparison.OrdinalIgnoreCase) : string.Equals(p.TrimEnd('.'), h, StringComparison.OrdinalIgnoreCase));
            var list = hosts.Where(h => h != "" && h != ".").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var outside = list.Where(h => !Ok(h)).ToList();
            sink.Add(MailCheckId.ApprovedHosts, $"Approved {what} hosts", outside.Count == 0 ? MailCheckStatus.Pass : MailCheckStatus.Warning,
                outside.Count == 0 ? $"Every {what} host is on the approved list." : $"{what} host(s) not on the approved list: {string.Join(", ", outside)}.", "organisation policy", list);
        }

        /// <summary>-SpfIp: RFC 7208 check_host() for the sender; runs also when the domain is missing (result none).</summary>
        private static async Task EvaluateSender(string domain, DomainCheckOptions options, MailDomainReport report, CheckSink sink, IDnsResolver counting, CancellationToken ct)
        {
            if (options.SpfIp != null)
            {
                var sender = string.IsNullOrEmpty(options.SpfSender) ? "postmaster@" + domain : options.SpfSender;
                var eval = await new SpfEvaluator(counting).CheckHostAsync(options.SpfIp, sender, options.Helo ?? domain, ct).ConfigureAwait(false);
                report.SpfResult = eval.Result.ToString().ToLowerInvariant();
                report.SpfExplanation = eval.Explanation;
                var status = eval.Result == SpfResult.Pass ? MailCheckStatus.Pass : eval.Result == SpfResult.PermError || eval.Result == SpfResult.Fail ? MailCheckStatus.Fail : MailCheckStatus.Warning;
                sink.Add(MailCheckId.SpfSenderEvaluation, $"SPF for {options.SpfIp}", status, $"check_host({options.SpfIp}, {sender}) = {report.SpfResult}: {eval.Reason}{(eval.Explanation != null ? " Explanation: " + eval.Explanation : "")}", "RFC 7208 4",
                    new[] { $"lookups {eval.DnsLookups}, void {eval.VoidLookups}" });
            }
        }

        private static MailDomainReport Finish(MailDomainReport report, CheckSink sink, CountingResolver counting, Stopwatch sw)
        {
            foreach (var c in sink.Checks) c.Domain = report.Domain;
            report.Checks = sink.Checks;
            report.DnsQueries = counting.Asked;
            report.Duration = sw.Elapsed;
            return report;
        }
    }
}
