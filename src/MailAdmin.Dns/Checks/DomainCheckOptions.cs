using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>What Test-MailDomain was asked to do for one run: the cmdlet maps its parameters to these, nothing more.</summary>
    public sealed class DomainCheckOptions
    {
        /// <summary>DKIM selectors the admin names (-DkimSelector) or the connected provider uses.</summary>
        public IReadOnlyList<string> DkimSelectors { get; set; } = Array.Empty<string>();

        /// <summary>Whether to guess selectors when none is known for the domain.</summary>
        public DkimSelectorGuess DkimSelectorGuess { get; set; }

        /// <summary>Also ask what costs questions on every domain but rarely matters: the obsolete SPF record type 99 and the
        /// mail-client records (autodiscover, autoconfig, RFC 6186 SRV). Client records are asked anyway with ProbeSmtp.</summary>
        public bool Thorough { get; set; }

        /// <summary>Resolvers to compare the domain's mail records across (-Resolver), by name; null: no propagation check.</summary>
        public IReadOnlyList<KeyValuePair<string, IDnsResolver>> CompareResolvers { get; set; }

        /// <summary>Records the connected provider requires (Get-MailDomainDnsRecord), compared with live DNS.</summary>
        public IReadOnlyList<MailDnsRecord> ExpectedRecords { get; set; }

        /// <summary>A provider profile by name (Exmail, Alimail, Microsoft365, GoogleWorkspace, NetEase) to compare against.</summary>
        public string ExpectProvider { get; set; }

        /// <summary>Evaluate SPF for a sender at this address (-SpfIp).</summary>
        public IPAddress SpfIp { get; set; }

        /// <summary>The sender address of the SPF evaluation (default postmaster@domain).</summary>
        public string SpfSender { get; set; }

        /// <summary>The HELO name of the SPF evaluation (default the domain).</summary>
        public string Helo { get; set; }

        /// <summary>Talk SMTP to every MX address (-ProbeSmtp) and TLS to every client port its SRV records name.</summary>
        public bool ProbeSmtp { get; set; }

        /// <summary>The SMTP port of the probe (25; another for tests).</summary>
        public int SmtpPort { get; set; } = 25;

        /// <summary>The organisation's approved MX hosts ("mx.example.com" or "*.example.com"); others get a warning (22).</summary>
        public IReadOnlyList<string> ApprovedMxHosts { get; set; }

        /// <summary>The organisation's approved name servers, as for MX.</summary>
        public IReadOnlyList<string> ApprovedNameServers { get; set; }

        /// <summary>Ask the domain's authoritative name servers directly (checks 4, 5, 10, 13).</summary>
        public bool ProbeNameServers { get; set; }

        /// <summary>The port the authoritative name servers are asked on (53; another for tests).</summary>
        public int NameServerPort { get; set; } = 53;

        /// <summary>How long one question to an authoritative name server may take.</summary>
        public TimeSpan NameServerTimeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>Fetch over HTTPS what the records point to: the MTA-STS policy, the BIMI logo and mark certificate (default on).</summary>
        public bool FetchMtaStsPolicy { get; set; } = true;

        /// <summary>The HTTPS port of the policy host (443; another for tests).</summary>
        public int MtaStsPort { get; set; } = 443;

        /// <summary>Extra trust anchors for the certificates of the policy host, the MX hosts and client ports (a private CA).</summary>
        public X509Certificate2Collection TrustedRoots { get; set; }
    }
}
