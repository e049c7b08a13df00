using System;
using System.Collections.Generic;
using System.Threading;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>What the checks of one domain share: the resolver, the options, the sink, and the facts one check finds
    /// for the others (MX hosts, DMARC policy, DKIM selectors found, MTA-STS state, SMTP results).</summary>
    internal sealed class CheckContext
    {
        /// <summary>Makes the context of one domain's run.</summary>
        public CheckContext(IDnsResolver dns, string domain, DomainCheckOptions options, CheckSink sink, MailDomainReport report, CancellationToken ct)
        {
            Dns = dns;
            Domain = domain;
            Options = options;
            Sink = sink;
            Report = report;
            Ct = ct;
        }

        /// <summary>The run's resolver (cached across domains, counted per domain).</summary>
        public IDnsResolver Dns { get; }

        /// <summary>The domain, in ASCII (A-labels), without the trailing dot.</summary>
        public string Domain { get; }

        /// <summary>What the run was asked to do.</summary>
        public DomainCheckOptions Options { get; }

        /// <summary>Where the rows go.</summary>
        public CheckSink Sink { get; }

        /// <summary>The report being built (the sender evaluation writes its result on it).</summary>
        public MailDomainReport Report { get; }

        /// <summary>Stops the run.</summary>
        public CancellationToken Ct { get; }

        /// <summary>Private and loopback addresses count as reachable (test and lab networks).</summary>
        public bool AllowPrivateAddresses { get; set; }

        /// <summary>The SOA answer of the domain.</summary>
        public DnsAnswer<string> Soa { get; set; }

        /// <summary>The MX records (null when the lookup failed).</summary>
        public IReadOnlyList<MxRecord> MxRecords { get; set; }

        /// <summary>The domain publishes a null MX (it takes no mail).</summary>
        public bool NullMx { get; set; }

        /// <summary>The MX hosts and their address answers.</summary>
        public IReadOnlyList<MxHost> MxHosts { get; set; } = Array.Empty<MxHost>();

        /// <summary>The effective DMARC policy (p, or sp when the record came from the organisational domain).</summary>
        public string DmarcPolicy { get; set; }

        /// <summary>The DMARC record's tags.</summary>
        public TagList DmarcTags { get; set; }

        /// <summary>The selectors under which a DKIM key record was found.</summary>
        public IReadOnlyList<string> DkimSelectorsFound { get; set; } = Array.Empty<string>();

        /// <summary>The domain publishes one MTA-STS record.</summary>
        public bool MtaStsPublished { get; set; }

        /// <summary>The mode of the MTA-STS policy fetched (enforce, testing, none), or null.</summary>
        public string MtaStsMode { get; set; }

        /// <summary>The BIMI record's logo URL (l=).</summary>
        public string BimiLogo { get; set; }

        /// <summary>The BIMI record's mark certificate URL (a=).</summary>
        public string BimiCertificate { get; set; }
    }
}
