using System;
using System.Collections.Generic;
using System.Linq;

namespace MailAdmin.Models
{
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
}
