using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Dns;
using MailAdmin.Dns.Checks;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Checks a domain's mail DNS against the RFCs: MX, SPF, DMARC, DKIM, MTA-STS, TLS-RPT, BIMI, and what the provider needs.</summary>
    /// <remarks>
    /// Writes one MailDomainReport per domain (Domain, Status, counts, Checks) as each finishes; many domains run in parallel
    /// (-ThrottleLimit). Each check has Name, Status (Pass, Info, Warning, Fail), Summary, Records and Reference (RFC and
    /// section). DNS questions go to -Server when given (host or host:port; never the system resolver then), else to the
    /// system resolver; each name and type is asked once per run. When an MTA-STS record is published, the policy is
    /// fetched over HTTPS (certificate checked, redirects never followed) and every MX host is matched against it; a BIMI
    /// record's logo is checked as SVG Tiny PS and its mark certificate for names, key usage, expiry, chain and embedded logo.
    /// With a validating resolver, DNSSEC is reported per answer (AD flag) and a bogus zone (SERVFAIL with an Extended DNS
    /// Error) fails. -ProbeNameServers asks the domain's name servers directly (delegation, lame servers, serials, parent
    /// and glue, open recursion, AXFR, EDNS, TCP, TTLs). -ProbeSmtp talks SMTP to every MX address (banner, EHLO, STARTTLS,
    /// TLS version, certificate, open-relay refusal, postmaster accepted) and stops before DATA. SPF is validated in full (syntax with positions,
    /// lookup and void counts per term through includes); -SpfIp evaluates a sender with RFC 7208 check_host().
    /// Piping Get-MailDomain in compares live DNS with the records the connected provider requires (Get-MailDomainDnsRecord)
    /// and names each missing or wrong record with the value to publish; -ExpectProvider does the same from the built-in
    /// table of hosted providers without a connection. -Resolver a,b,c asks each server the domain's mail questions and
    /// reports where their answers differ (a change still propagating). -Quiet writes only $true (no failed check) or $false per domain;
    /// -Detailed writes every check as its own object. Every check is in the typed catalogue (Id is a MailCheckId, by name
    /// or number; docs/CHECKS.md), every check evaluated reports a row, Pass included, and failed or warning rows carry a Fix.
    /// DKIM selectors known for the domain are asked first (-DkimSelector, the connected provider's, the provider table's);
    /// common ones are guessed only when none is known (-DkimSelectorGuess). The obsolete type-99 SPF record and the
    /// mail-client records are asked only with -Thorough (client records also with -ProbeSmtp). -ProbeSmtp connects only to
    /// public addresses unless -AllowPrivateAddress.
    /// </remarks>
    /// <example>
    /// <code>Test-MailDomain contoso.com</code>
    /// <para>Checks contoso.com with the system resolver and shows the summary.</para>
    /// </example>
    /// <example>
    /// <code>Test-MailDomain contoso.com -Detailed | Where-Object Status -ne Pass | Format-Table Area, Name, Status, Summary -Wrap</code>
    /// <para>Lists only what needs attention.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailDomain | Test-MailDomain</code>
    /// <para>Checks every domain of the connected provider and what it requires to be published.</para>
    /// </example>
    /// <example>
    /// <code>Test-MailDomain contoso.com -SpfIp 192.0.2.1 -SpfSender a@contoso.com -Helo mx.example.net | Select-Object Domain, SpfResult, SpfExplanation</code>
    /// <para>Evaluates whether 192.0.2.1 may send mail as a@contoso.com.</para>
    /// </example>
    /// <example>
    /// <code>Test-MailDomain contoso.com -Server 9.9.9.9 -ProbeNameServers -Detailed | Where-Object Area -eq Zone</code>
    /// <para>Validates DNSSEC through a validating resolver and asks contoso.com's own name servers about the delegation, zone transfers and recursion.</para>
    /// </example>
    /// <example>
    /// <code>Test-MailDomain contoso.com -Detailed | Where-Object Id -eq 'SpfLookupLimit' | Format-List Status, Summary, Records, Fix</code>
    /// <para>Shows one check by its catalogue name (docs/CHECKS.md lists them all); a failed or warning row carries the fix.</para>
    /// </example>
    /// <example>
    /// <code>Test-MailDomain contoso.com -DkimSelector s1, s2 -DkimSelectorGuess None -Thorough</code>
    /// <para>Asks only the named DKIM selectors (a revoked key under one of them fails) and also the records a lean run skips:
    /// the obsolete type-99 SPF record and the mail-client records.</para>
    /// </example>
    /// <example>
    /// <code>Get-Content domains.txt | Test-MailDomain -Server 1.1.1.1 -ThrottleLimit 32 -Quiet</code>
    /// <para>Checks a list of domains against one resolver, 32 at a time, and writes $true or $false for each.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "MailDomain", DefaultParameterSetName = "Report")]
    [OutputType(typeof(MailDomainReport), ParameterSetName = new[] { "Report" })]
    [OutputType(typeof(bool), ParameterSetName = new[] { "Quiet" })]
    [OutputType(typeof(MailCheck), ParameterSetName = new[] { "Detailed" })]
    public sealed class TestMailDomainCommand : DnsCmdlet
    {
        /// <summary>The domains to check.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Domain", "DomainName")]
        public string[] Name { get; set; }


        /// <summary>Several DNS servers to compare: each is asked the domain's mail questions and differences are reported (propagation).</summary>
        [Parameter]
        public string[] Resolver { get; set; }

        /// <summary>DKIM selectors to check besides the common ones (and the provider's).</summary>
        [Parameter]
        public string[] DkimSelector { get; set; }

        /// <summary>When no selector is known for a domain (none named, none from the connected provider or the provider
        /// table for its MX hosts): Common asks ten common selectors, None asks none, Extended asks about 25.</summary>
        [Parameter]
        public DkimSelectorGuess DkimSelectorGuess { get; set; }

        /// <summary>Also asks what costs questions on every domain but rarely matters: the obsolete SPF record type 99 and
        /// the mail-client records (autodiscover, autoconfig, RFC 6186 SRV; asked anyway with -ProbeSmtp).</summary>
        [Parameter]
        public SwitchParameter Thorough { get; set; }

        /// <summary>Compare with what a hosted provider requires: Exmail, Alimail, Microsoft365, GoogleWorkspace, NetEase.</summary>
        [Parameter]
        [ValidateSet("Exmail", "Alimail", "Microsoft365", "GoogleWorkspace", "NetEase")]
        public string ExpectProvider { get; set; }

        /// <summary>Compare with the records the connected provider requires (implied when MailDomain objects are piped in).</summary>
        [Parameter]
        public SwitchParameter CompareWithProvider { get; set; }

        /// <summary>The connection whose required records are compared (default: the session's).</summary>
        [Parameter]
        public MailConnection Connection { get; set; }

        /// <summary>Evaluate SPF for a sending IP address.</summary>
        [Parameter]
        public IPAddress SpfIp { get; set; }

        /// <summary>With -SpfIp: the MAIL FROM address (default postmaster@domain).</summary>
        [Parameter]
        public string SpfSender { get; set; }

        /// <summary>With -SpfIp: the HELO/EHLO name of the sender.</summary>
        [Parameter]
        public string Helo { get; set; }

        /// <summary>Write only $true (no failed check) or $false for each domain.</summary>
        [Parameter(ParameterSetName = "Quiet")]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Write every check of every domain as its own object.</summary>
        [Parameter(ParameterSetName = "Detailed")]
        public SwitchParameter Detailed { get; set; }

        /// <summary>Talk SMTP to every MX address: greeting, STARTTLS, TLS version, cipher suites accepted and their order, key exchange,
        /// certificate (and its TLSA records), open-relay refusal, postmaster (no mail is sent). Also connects to the client
        /// services the domain's SRV records name (submission, IMAP, POP3) and checks their TLS and certificate.</summary>
        [Parameter]
        public SwitchParameter ProbeSmtp { get; set; }

        /// <summary>MX hosts your organisation approves ("mx.example.com" or "*.example.com"); any other MX gets a warning.</summary>
        [Parameter]
        public string[] ApprovedMxHost { get; set; }

        /// <summary>Name servers your organisation approves, as for -ApprovedMxHost.</summary>
        [Parameter]
        public string[] ApprovedNameServer { get; set; }

        /// <summary>Ask the domain's authoritative name servers directly (no recursion): lame servers, NS sets and serials
        /// that differ, the parent's delegation and glue, open recursion, zone transfers (AXFR), EDNS, TCP and TTLs.</summary>
        [Parameter]
        public SwitchParameter ProbeNameServers { get; set; }

        /// <summary>With -ProbeNameServers: the port the name servers listen on (default 53; another for a lab server).</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int NameServerPort { get; set; } = 53;

        /// <summary>With -ProbeSmtp: the SMTP port of the MX hosts (default 25; another for a lab server).</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int SmtpPort { get; set; } = 25;

        /// <summary>Do not fetch anything over HTTPS: neither the MTA-STS policy nor the BIMI logo and mark certificate (only their DNS records are
        /// checked).</summary>
        [Parameter]
        public SwitchParameter SkipMtaStsPolicy { get; set; }

        /// <summary>The HTTPS port of the MTA-STS policy host (default 443; another for a lab server).</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int MtaStsPort { get; set; } = 443;

        /// <summary>Extra trust anchors (a private or test CA) for the MTA-STS policy host's and the MX hosts' certificates.</summary>
        [Parameter]
        public System.Security.Cryptography.X509Certificates.X509Certificate2[] TrustedCertificate { get; set; }

        /// <summary>Accept private, loopback and other non-routable addresses: MX hosts there are not failed, and the MTA-STS policy
        /// and BIMI files are fetched from them (a lab or test network). Without it those fetches are refused.</summary>
        [Parameter]
        public SwitchParameter AllowPrivateAddress { get; set; }

        /// <summary>How many domains are checked at once (default 16).</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 16;


        /// <summary>The pipeline object (a MailDomain from Get-MailDomain compares with the provider's records).</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject InputObject { get; set; }

        private CachingResolver _resolver;
        private List<KeyValuePair<string, IDnsResolver>> _compare;
        /// <summary>A domain being checked: its task, and its place in the input (for -Quiet, which keeps the input order).</summary>
        private sealed class Running
        {
            public Running(string domain, Task<MailDomainReport> task)
            {
                Domain = domain;
                Task = task;
            }

            public string Domain { get; }

            public Task<MailDomainReport> Task { get; }
        }

        // Each check run puts itself here when it ends; the pipeline thread takes them and writes them. At most
        // ThrottleLimit runs are in flight, so memory stays flat however many domains come down the pipeline.
        // (a queue and an event that does not spin: BlockingCollection's semaphore spun on a core PowerDNS and the checks need)
        private readonly ConcurrentQueue<Running> _finished = new ConcurrentQueue<Running>();
        private readonly ManualResetEventSlim _oneFinished = new ManualResetEventSlim(false, 1);
        private readonly Queue<Running> _inputOrder = new Queue<Running>();
        private int _inFlight, _done, _started;

        protected override void BeginProcessing()
        {
            var main = Server;
            if ((main == null || main.Length == 0) && Resolver != null && Resolver.Length > 0)
            {
                main = new[] { Resolver[0] }; // without -Server the checks use the first -Resolver
            }

            _resolver = NewResolver(main, out var inner);
            WriteVerbose($"Asking {string.Join(", ", inner.Servers)}.");
            if (Resolver != null && Resolver.Length > 0)
            {
                _compare = new List<KeyValuePair<string, IDnsResolver>>();
                foreach (var r in Resolver)
                {
                    _compare.Add(new KeyValuePair<string, IDnsResolver>(r, NewResolver(new[] { r }, out _)));
                }
            }
        }

        protected override void ProcessItem()
        {
            var fromProvider = CompareWithProvider.IsPresent || (InputObject?.BaseObject is MailDomain);
            IReadOnlyList<MailDnsRecord> Expected(string domain)
            {
                if (!fromProvider)
                {
                    return null;
                }

                var conn = Connection ?? MailSession.Current;
                if (conn == null || !(conn.Provider is IDomainDnsRecordSource src))
                {
                    return null;
                }

                try
                {
                    return Await(src.GetDnsRecordsAsync(domain, StopToken));
                }
                catch (MailAdminException e)
                {
                    WriteMailError(e, domain);
                    return null;
                }
            }
            foreach (var name in Name)
            {
                var expected = Expected(name);
                var options = new DomainCheckOptions
                {
                    DkimSelectors = SelectorsFor(expected, DkimSelector),
                    DkimSelectorGuess = DkimSelectorGuess,
                    Thorough = Thorough,
                    CompareResolvers = _compare,
                    ExpectedRecords = expected,
                    ExpectProvider = ExpectProvider,
                    ApprovedMxHosts = ApprovedMxHost,
                    ApprovedNameServers = ApprovedNameServer,
                    SpfIp = SpfIp,
                    SpfSender = SpfSender,
                    Helo = Helo,
                    FetchMtaStsPolicy = !SkipMtaStsPolicy,
                    MtaStsPort = MtaStsPort,
                    ProbeNameServers = ProbeNameServers,
                    NameServerPort = NameServerPort,
                    NameServerTimeout = TimeSpan.FromSeconds(Math.Min(TimeoutSec, 5)),
                    ProbeSmtp = ProbeSmtp,
                    SmtpPort = SmtpPort,
                    TrustedRoots = TrustedCertificate == null ? null
                        : new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(TrustedCertificate),
                };
                var checker = new DomainChecker(_resolver) { AllowPrivateAddresses = AllowPrivateAddress };
                WriteFinished(ThrottleLimit - 1);
                _started++;
                _inFlight++;
                var running = new Running(name, checker.CheckAsync(name, options, StopToken));
                if (Quiet)
                {
                    _inputOrder.Enqueue(running);
                }

                running.Task.ContinueWith(
                    (_, r) => Finished((Running)r), running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            WriteFinished(int.MaxValue);
        }

        private static IReadOnlyList<string> SelectorsFor(IReadOnlyList<MailDnsRecord> expected, string[] given)
        {
            var list = new List<string>(given ?? new string[0]);
            if (expected != null)
                foreach (var r in expected.Where(r => r.Purpose == MailDnsPurpose.Dkim))
                {
                    list.Add(r.Name.Substring(0, r.Name.IndexOf("._domainkey.", StringComparison.OrdinalIgnoreCase)));
                }

            return list;
        }

        protected override void EndItems()
        {
            WriteFinished(0);
            if (_started > 1)
            {
                WriteProgress(new ProgressRecord(1, "Test-MailDomain", "Done") { RecordType = ProgressRecordType.Completed });
            }

            WriteVerbose($"{_resolver.Queries} DNS questions sent for {_started} domain(s).");
        }

        /// <summary>Writes the results that have finished (on the pipeline thread), in the order they finish (-Quiet: in the
        /// input order), and waits while more than <paramref name="maxInFlight"/> domains are still being checked.</summary>
        private void WriteFinished(int maxInFlight)
        {
            while (true)
            {
                Running ended;
                while (!_finished.TryDequeue(out ended))
                {
                    if (_inFlight <= maxInFlight)
                    {
                        return;
                    }

                    _oneFinished.Reset();
                    if (_finished.TryDequeue(out ended))
                    {
                        break;
                    }

                    try
                    {
                        _oneFinished.Wait(StopToken);
                    }
                    catch (OperationCanceledException)
                    {
                        throw new PipelineStoppedException();
                    }
                }
                if (!Quiet)
                {
                    Write(ended);
                    continue;
                }

                // bare booleans carry no domain, so they keep the input order
                while (_inputOrder.Count > 0 && _inputOrder.Peek().Task.IsCompleted)
                {
                    Write(_inputOrder.Dequeue());
                }
            }
        }

        private void Finished(Running ended)
        {
            _finished.Enqueue(ended);
            _oneFinished.Set();
        }

        private void Write(Running ended)
        {
            _inFlight--;
            _done++;
            if (_started > 1)
            {
                WriteProgress(
                    new ProgressRecord(1, "Test-MailDomain", $"{_done} of {_started} domains checked")
                    {
                        PercentComplete = Math.Min(100, _done * 100 / _started),
                    });
            }

            MailDomainReport report;
            try
            {
                report = Await(ended.Task);
            }
            catch (MailAdminException e)
            {
                WriteMailError(e, ended.Domain);
                return;
            }
            catch (Exception e) when (!(e is OperationCanceledException) && !(e is PipelineStoppedException))
            {
                // one domain's data (however hostile) never stops the checks of the others
                WriteError(new ErrorRecord(
                    new InvalidOperationException($"The checks of {ended.Domain} stopped: {e.Message}", e), "DomainCheckFailed", ErrorCategory.InvalidData,
                    ended.Domain));
                return;
            }
            if (Quiet)
            {
                WriteObject(report.Failures == 0);
            }
            else if (Detailed)
            {
                foreach (var c in report.Checks)
                {
                    WriteObject(c);
                }
            }
            else
            {
                WriteObject(report);
            }
        }
    }
}
