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
    /// <summary>The BIMI record (98) and its DMARC prerequisite (99).</summary>
    internal sealed class BimiRecordCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            var (logo, mark) = await BimiAsync(context.Dns, context.Domain, context.DmarcPolicy, context.DmarcTags?["pct"], context.Sink, context.Ct)
                .ConfigureAwait(false);
            context.BimiLogo = logo;
            context.BimiCertificate = mark;
        }

        /// <summary>Checks the BIMI record (98, 99); returns its l= and a= URLs (nulls when there is none) for the fetch.</summary>
        public static async Task<(string logo, string cert)> BimiAsync(
            IDnsResolver dns,
            string domain,
            string dmarcPolicy,
            string pct,
            CheckSink sink,
            CancellationToken ct)
        {
            var t = await dns.TxtAsync("default._bimi." + domain, ct).ConfigureAwait(false);
            var recs = t.Records.Where(r => r.StartsWith("v=BIMI1", StringComparison.Ordinal)).ToList();
            if (recs.Count == 0)
            {
                return (null, null); // BIMI is optional; say nothing when it is not used
            }

            if (recs.Count > 1)
            {
                sink.Add(
                    MailCheckId.BimiRecord,
                    "BIMI record",
                    MailCheckStatus.Fail,
                    $"default._bimi.{domain} has {recs.Count} BIMI records.",
                    "draft-brand-indicators 4");
                return (null, null);
            }
            var tags = TagList.Parse(recs[0]);
            var l = tags["l"];
            if (l != null && l.Length > 0 && !l.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                sink.Add(MailCheckId.BimiRecord, "BIMI logo", MailCheckStatus.Fail, $"l={l} must be an https URL of an SVG.", "draft-brand-indicators 4");
            }

            var a = tags["a"];
            if (a != null && a.Length > 0 && !a.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                sink.Add(
                    MailCheckId.BimiRecord,
                    "BIMI certificate",
                    MailCheckStatus.Fail,
                    $"a={a} must be an https URL of a PEM mark certificate.",
                    "draft-brand-indicators 4");
            }

            foreach (var d in tags.Duplicates.Distinct())
            {
                sink.Add(MailCheckId.BimiRecord, "BIMI record", MailCheckStatus.Fail, $"The tag '{d}' appears more than once.", "draft-brand-indicators 4");
            }

            if (!sink.Checks.Any(c => c.Id == MailCheckId.BimiRecord && c.Status == MailCheckStatus.Fail))
            {
                sink.Add(
                    MailCheckId.BimiRecord,
                    "BIMI record",
                    MailCheckStatus.Pass,
                    $"One valid BIMI record at default._bimi.{domain}.",
                    "draft-brand-indicators 4",
                    recs);
            }

            var enforced = dmarcPolicy == "quarantine" || dmarcPolicy == "reject";
            var fullPct = pct == null || pct == "100";
            sink.Add(MailCheckId.BimiDmarcPrerequisite, "BIMI DMARC prerequisite", enforced && fullPct ? MailCheckStatus.Pass : MailCheckStatus.Fail,
                enforced && fullPct
                    ? "DMARC is enforced, so receivers may show the logo."
                    : "Receivers show a BIMI logo only with DMARC at quarantine or reject and pct=100.", "draft-brand-indicators 7.1", recs);
            return (l, a);
        }
    }
}
