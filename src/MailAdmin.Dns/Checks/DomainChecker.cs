using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;
using MailAdmin.Validation;

namespace MailAdmin.Dns.Checks
{
    /// <summary>
    /// Runs every check of one domain through a (run-wide, caching) resolver, in an order where each check finds the facts
    /// it needs already in the context. Never throws for bad DNS data: every problem is a row.
    /// </summary>
    public sealed class DomainChecker
    {
        private readonly IDnsResolver _dns;

        /// <summary>Makes a checker over the run's resolver.</summary>
        public DomainChecker(IDnsResolver dns)
        {
            _dns = dns;
        }

        /// <summary>Private and loopback MX addresses are reported as Pass instead of Fail, and the MTA-STS policy and BIMI files
        /// are fetched from such addresses too (for test and lab networks); otherwise they are not fetched.</summary>
        public bool AllowPrivateAddresses { get; set; }

        /// <summary>The checks of a domain that exists, in the order they run (later ones read what earlier ones found).</summary>
        private static IEnumerable<IMailDomainCheck> Checks(DomainCheckOptions options)
        {
            yield return new NameServerCheck();
            yield return new SoaCheck();
            yield return new DnssecCheck();
            if (options.ProbeNameServers)
            {
                yield return new NameServerProbe();
            }

            yield return new MxCheck();
            yield return new DaneCheck();
            yield return new CaaCheck();
            yield return new ReverseDnsCheck();
            yield return new ApprovedHostsCheck();
            yield return new SmtpProbeCheck();
            yield return new SpfRecordCheck();
            yield return new DmarcCheck();
            yield return new DmarcParkedDomainCheck();
            yield return new DkimCheck();
            yield return new MtaStsRecordCheck();
            yield return new MtaStsPolicyCheck();
            yield return new MtaStsMxTlsCheck();
            yield return new TlsRptCheck();
            yield return new BimiRecordCheck();
            yield return new BimiFetchCheck();
            yield return new WildcardCheck();
            yield return new ClientAliasesCheck();
            yield return new ClientServicesCheck();
            yield return new ExpectedRecordsCheck();
            yield return new SpfSenderCheck();
            yield return new PropagationCheck();
        }

        /// <summary>Checks one domain.</summary>
        public async Task<MailDomainReport> CheckAsync(string domainName, DomainCheckOptions options, CancellationToken ct)
        {
            options = options ?? new DomainCheckOptions();
            var domain = MailNames.NormalizeDomain(domainName);
            var sw = Stopwatch.StartNew();
            var counting = new CountingResolver(_dns);
            var sink = new CheckSink();
            var report = new MailDomainReport { Domain = MailNames.ToUnicode(domain) };
            var context = new CheckContext(counting, domain, options, sink, report, ct) { AllowPrivateAddresses = AllowPrivateAddresses };

            var soa = await counting.SoaAsync(domain, ct).ConfigureAwait(false);
            context.Soa = soa;
            if (soa.Status == DnsStatus.NxDomain)
            {
                sink.Add(MailCheckId.DomainExists, "Domain exists", MailCheckStatus.Fail, $"{domain} does not exist in DNS (NXDOMAIN).", "RFC 1035");
                await new SpfSenderCheck().RunAsync(context).ConfigureAwait(false);
                return Finish(report, sink, counting, sw);
            }

            if (soa.IsError)
            {
                var edns = soa.ExtendedError != null ? ": " + soa.ExtendedError : string.Empty;
                sink.Add(MailCheckId.DomainExists, "Domain exists", MailCheckStatus.Fail, $"DNS did not answer for {domain} ({soa.Status}{edns}).", "RFC 1035");
                if (soa.IsBogus)
                {
                    DnssecCheck.Bogus(domain, soa, sink);
                }
                else if (options.ProbeNameServers)
                {
                    await new NameServerProbe().RunAsync(context).ConfigureAwait(false);
                }

                await new SpfSenderCheck().RunAsync(context).ConfigureAwait(false);
                return Finish(report, sink, counting, sw);
            }

            sink.Add(MailCheckId.DomainExists, "Domain exists", MailCheckStatus.Pass, $"{domain} exists.", "RFC 1035", soa.Records);
            foreach (var check in Checks(options))
            {
                await check.RunAsync(context).ConfigureAwait(false);
            }

            return Finish(report, sink, counting, sw);
        }

        private static MailDomainReport Finish(MailDomainReport report, CheckSink sink, CountingResolver counting, Stopwatch sw)
        {
            foreach (var c in sink.Checks)
            {
                c.Domain = report.Domain;
            }

            report.Checks = sink.Checks;
            report.DnsQueries = counting.Asked;
            report.Duration = sw.Elapsed;
            return report;
        }
    }
}
