using System;
using System.Collections.Generic;
using System.Threading;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>How Test-MailDomain finds DKIM selectors when none is known for a domain (selectors cannot be listed from DNS).</summary>
    public enum DkimSelectorGuess
    {
        /// <summary>Ask ten commonly used selectors.</summary>
        Common,

        /// <summary>Ask none: only the selectors named (-DkimSelector), the connected provider's and the provider table's.</summary>
        None,

        /// <summary>Ask the common selectors and those of widely used sending services (about 25 questions).</summary>
        Extended,
    }

    /// <summary>What Test-MailDomain was asked to do for one run.</summary>
    public sealed class DomainCheckOptions
    {
        public IReadOnlyList<string> DkimSelectors { get; set; } = new string[0];

        /// <summary>Whether to guess selectors when none is known for the domain.</summary>
        public DkimSelectorGuess DkimSelectorGuess { get; set; }

        /// <summary>Also ask what costs questions on every domain but rarely matters: the obsolete SPF record type 99 and the
        /// mail-client records (autodiscover, autoconfig, RFC 6186 SRV). Client records are asked anyway when ClientProbe is set.</summary>
        public bool Thorough { get; set; }

        /// <summary>Resolvers to compare the domain's mail records across (-Resolver), by name; null: no propagation check.</summary>
        public IReadOnlyList<KeyValuePair<string, IDnsResolver>> CompareResolvers { get; set; }
        /// <summary>Records the connected provider requires (Get-MailDomainDnsRecord), compared with live DNS.</summary>
        public IReadOnlyList<MailDnsRecord> ExpectedRecords { get; set; }
        /// <summary>A provider profile by name (Exmail, Alimail, Microsoft365, GoogleWorkspace, NetEase) to compare against.</summary>
        public string ExpectProvider { get; set; }
        public System.Net.IPAddress SpfIp { get; set; }
        public string SpfSender { get; set; }
        public string Helo { get; set; }
        /// <summary>Talks SMTP to one MX address (domain, MX host, address, the host's TLSA records) and returns its checks; null: no SMTP probe.
        /// Supplied by the caller so this library stays free of the mail-transport library.</summary>
        public Func<string, string, System.Net.IPAddress, IReadOnlyList<string>, CancellationToken, System.Threading.Tasks.Task<List<MailCheck>>> SmtpProbe { get; set; }
        /// <summary>The organisation's approved MX hosts ("mx.example.com" or "*.example.com"); others get a warning (22).</summary>
        public IReadOnlyList<string> ApprovedMxHosts { get; set; }
        /// <summary>The organisation's approved name servers, as for MX.</summary>
        public IReadOnlyList<string> ApprovedNameServers { get; set; }
        /// <summary>Checks TLS on one client service named by SRV (service, host, port, address); null: not probed.</summary>
        public Func<string, string, int, System.Net.IPAddress, CancellationToken, System.Threading.Tasks.Task<List<MailCheck>>> ClientProbe { get; set; }
        /// <summary>Asks the domain's authoritative name servers directly (checks 4, 5, 10, 13); null: not asked.</summary>
        public NameServerProbe NameServerProbe { get; set; }
        /// <summary>Fetch over HTTPS what the records point to: the MTA-STS policy, the BIMI logo and mark certificate (default on).</summary>
        public bool FetchMtaStsPolicy { get; set; } = true;
        /// <summary>The HTTPS port of the policy host (443; another for tests).</summary>
        public int MtaStsPort { get; set; } = 443;
        /// <summary>Extra trust anchors for the policy host's certificate (a private CA).</summary>
        public System.Security.Cryptography.X509Certificates.X509Certificate2Collection TrustedRoots { get; set; }
    }

    /// <summary>Collects the checks of one domain.</summary>
    public sealed class CheckSink
    {
        public readonly List<MailCheck> Checks = new List<MailCheck>();

        /// <summary>Adds one row of a check: its area comes from the catalogue, and so does its reference unless the row
        /// names a more precise one.</summary>
        public MailCheck Add(
            MailCheckId id,
            string name,
            MailCheckStatus status,
            string summary,
            string reference = null,
            IEnumerable<string> records = null,
            string detail = null)
        {
            var c = MailCheck.Create(id, name, status, summary, reference, records, detail);
            Checks.Add(c);
            return c;
        }
    }
}
