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
    /// <summary>The MTA-STS TXT record (81, 82).</summary>
    internal sealed class MtaStsRecordCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            context.MtaStsPublished = await MtaStsAsync(context.Dns, context.Domain, context.Sink, context.Ct).ConfigureAwait(false);
        }

        private static readonly Regex StsId = new Regex("^[A-Za-z0-9]{1,32}$", RegexOptions.CultureInvariant);

        /// <summary>Checks the _mta-sts TXT record text (no DNS); never throws.</summary>
        public static void CheckMtaStsTxt(string record, CheckSink sink)
        {
            var tags = TagList.Parse(record);
            if (tags.Tags.Count == 0 || tags.Tags[0].Key != "v" || tags.Tags[0].Value != "STSv1")
            {
                sink.Add(
                    MailCheckId.MtaStsRecordSyntax,
                    "MTA-STS record syntax",
                    MailCheckStatus.Fail,
                    "The record must begin with exactly 'v=STSv1'.",
                    "RFC 8461 3.1");
            }

            var id = tags["id"];
            if (id == null)
            {
                sink.Add(
                    MailCheckId.MtaStsRecordSyntax,
                    "MTA-STS id",
                    MailCheckStatus.Fail,
                    "The record has no id=; senders cannot tell when the policy changes.",
                    "RFC 8461 3.1");
            }
            else if (!StsId.IsMatch(id))
            {
                sink.Add(MailCheckId.MtaStsRecordSyntax, "MTA-STS id", MailCheckStatus.Fail, $"id={id} must be 1-32 letters and digits.", "RFC 8461 3.1");
            }

            foreach (var d in tags.Duplicates.Distinct())
            {
                sink.Add(
                    MailCheckId.MtaStsRecordSyntax,
                    "MTA-STS record syntax",
                    MailCheckStatus.Fail,
                    $"The tag '{d}' appears more than once.",
                    "RFC 8461 3.1");
            }

            foreach (var e in tags.Errors)
            {
                sink.Add(MailCheckId.MtaStsRecordSyntax, "MTA-STS record syntax", MailCheckStatus.Fail, $"Syntax error: {e}.", "RFC 8461 3.1");
            }
        }

        public static async Task<bool> MtaStsAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct)
        {
            var t = await dns.TxtAsync("_mta-sts." + domain, ct).ConfigureAwait(false);
            var recs = t.Records.Where(r => r.StartsWith("v=STSv1", StringComparison.Ordinal)).ToList();
            var other = t.Records.Where(r => !r.StartsWith("v=STSv1", StringComparison.Ordinal)).ToList();
            if (other.Count > 0)
            {
                sink.Add(
                    MailCheckId.MtaStsRecord,
                    "MTA-STS unrelated TXT",
                    MailCheckStatus.Warning,
                    $"_mta-sts.{domain} holds TXT records that are not MTA-STS.",
                    "RFC 8461 3.1",
                    other);
            }

            if (recs.Count == 0)
            {
                sink.Add(
                    MailCheckId.MtaStsRecord,
                    "MTA-STS record",
                    MailCheckStatus.Info,
                    $"No MTA-STS record at _mta-sts.{domain}: senders may deliver without TLS when attacked.",
                    "RFC 8461 3.1");
                return false;
            }
            if (recs.Count > 1)
            {
                sink.Add(
                    MailCheckId.MtaStsRecord,
                    "MTA-STS record",
                    MailCheckStatus.Fail,
                    $"_mta-sts.{domain} has {recs.Count} MTA-STS records; senders then treat the domain as having no policy.",
                    "RFC 8461 3.1",
                    recs);
                return false;
            }
            sink.Add(MailCheckId.MtaStsRecord, "MTA-STS record", MailCheckStatus.Pass, $"MTA-STS record found at _mta-sts.{domain}.", "RFC 8461 3.1", recs);
            CheckMtaStsTxt(recs[0], sink);
            return true;
        }
    }
}
