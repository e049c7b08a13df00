using System;
using System.Collections.Generic;
using System.Linq;

namespace MailAdmin.Models
{
    /// <summary>How a check came out. Fail = an RFC MUST broken or mail at risk; Warning = a SHOULD or best practice; Info = worth knowing.</summary>
    public enum MailCheckStatus { Pass, Info, Warning, Fail }

    /// <summary>One check of a domain's mail DNS.</summary>
    public sealed class MailCheck
    {
        /// <summary>The domain the check is about.</summary>
        public string Domain { get; set; }
        /// <summary>The check (MailCheckCatalogue, docs/CHECKS.md); its number is stable, e.g. SpfMultiple = 27.</summary>
        public MailCheckId Id { get; set; }
        /// <summary>Area: Zone, MX, SPF, DMARC, DKIM, MTA-STS, TLS-RPT, BIMI, Client, Provider.</summary>
        public string Area { get; set; }
        public string Name { get; set; }
        public MailCheckStatus Status { get; set; }
        public string Summary { get; set; }
        /// <summary>The DNS data the check looked at, as found.</summary>
        public string[] Records { get; set; } = new string[0];
        public string Detail { get; set; }
        /// <summary>RFC and section, e.g. "RFC 7208 4.6.4".</summary>
        public string Reference { get; set; }
        /// <summary>What to do about a failed or warning check (from the catalogue).</summary>
        public string Fix { get; set; }
        public override string ToString() => $"{Status} {Area} {Name}: {Summary}";

        /// <summary>One row of a check: area, title and reference from the catalogue unless given, and the catalogue's fix
        /// when the row is a failure or a warning.</summary>
        public static MailCheck Create(
            MailCheckId id,
            string name,
            MailCheckStatus status,
            string summary,
            string reference = null,
            IEnumerable<string> records = null,
            string detail = null,
            string area = null)
        {
            var definition = MailCheckCatalogue.Get(id);
            var failed = status == MailCheckStatus.Fail || status == MailCheckStatus.Warning;
            return new MailCheck
            {
                Id = id,
                Area = area ?? definition.Area,
                Name = name ?? definition.Title,
                Status = status,
                Summary = summary,
                Reference = reference ?? definition.Reference,
                Records = records == null ? Array.Empty<string>() : records.ToArray(),
                Detail = detail,
                Fix = failed ? definition.Fix : null,
            };
        }
    }

    /// <summary>All checks of one domain.</summary>
    public sealed class MailDomainReport
    {
        public string Domain { get; set; }
        /// <summary>The worst status of any check.</summary>
        public MailCheckStatus Status => Checks.Count == 0 ? MailCheckStatus.Pass : Checks.Max(c => c.Status);
        public int Passed => Checks.Count(c => c.Status == MailCheckStatus.Pass);
        public int Warnings => Checks.Count(c => c.Status == MailCheckStatus.Warning);
        public int Failures => Checks.Count(c => c.Status == MailCheckStatus.Fail);
        public int Infos => Checks.Count(c => c.Status == MailCheckStatus.Info);
        public List<MailCheck> Checks { get; set; } = new List<MailCheck>();
        /// <summary>The summaries of the failed and warning checks, worst first.</summary>
        public string[] Problems => Checks.Where(c => c.Status >= MailCheckStatus.Warning).OrderByDescending(c => c.Status).Select(c => $"{c.Status}: {c.Summary}").ToArray();
        /// <summary>DNS questions sent for this domain (after the run's cache).</summary>
        public int DnsQueries { get; set; }
        public TimeSpan Duration { get; set; }
        /// <summary>For -SpfIp: the evaluation of that sender against the domain's SPF policy.</summary>
        public string SpfResult { get; set; }
        public string SpfExplanation { get; set; }
        public override string ToString() => $"{Domain}: {Status} ({Failures} fail, {Warnings} warn)";
    }
}
