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
    /// <summary>The TLS-RPT record (89-91).</summary>
    internal sealed class TlsRptCheck : IMailDomainCheck
    {
        public Task RunAsync(CheckContext context) => TlsRptAsync(context.Dns, context.Domain, context.Sink, context.Ct, context.MtaStsPublished);

        /// <summary>Checks a TLS-RPT record's text (no DNS); never throws.</summary>
        public static void CheckTlsRpt(string record, CheckSink sink)
        {
            var tags = TagList.Parse(record);
            if (tags.Tags.Count == 0 || tags.Tags[0].Key != "v" || tags.Tags[0].Value != "TLSRPTv1")
            {
                sink.Add(
                    MailCheckId.TlsRptRecord,
                    "TLS-RPT record syntax",
                    MailCheckStatus.Fail,
                    "The record must begin with exactly 'v=TLSRPTv1'.",
                    "RFC 8460 3");
            }
            else
            {
                sink.Add(
                    MailCheckId.TlsRptRecord,
                    "TLS-RPT record",
                    MailCheckStatus.Pass,
                    "One TLS-RPT record, starting v=TLSRPTv1.",
                    "RFC 8460 3",
                    new[] { record });
            }

            var rua = tags["rua"];
            if (rua == null)
            {
                sink.Add(MailCheckId.TlsRptRua, "TLS-RPT rua", MailCheckStatus.Fail, "The record has no rua=; reports have nowhere to go.", "RFC 8460 3");
                return;
            }
            var bad = rua.Split(',').Select(u => u.Trim()).Where(u => !(u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && u.IndexOf('@') > 7)
                && !u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)).ToList();
            if (bad.Count > 0)
            {
                sink.Add(
                    MailCheckId.TlsRptRua,
                    "TLS-RPT rua",
                    MailCheckStatus.Fail,
                    $"rua may only hold mailto: addresses and https: URLs; not '{string.Join("', '", bad)}'.",
                    "RFC 8460 3");
            }
            else
            {
                sink.Add(MailCheckId.TlsRptRua, "TLS-RPT rua", MailCheckStatus.Pass, $"TLS reports go to {rua}.", "RFC 8460 3", new[] { record });
            }
        }

        public static async Task<bool> TlsRptAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct, bool needed)
        {
            var t = await dns.TxtAsync("_smtp._tls." + domain, ct).ConfigureAwait(false);
            var recs = t.Records.Where(r => r.StartsWith("v=TLSRPTv1", StringComparison.Ordinal)).ToList();
            var other = t.Records.Where(r => !r.StartsWith("v=TLSRPTv1", StringComparison.Ordinal)).ToList();
            if (other.Count > 0)
            {
                sink.Add(
                    MailCheckId.TlsRptRecord,
                    "TLS-RPT unrelated TXT",
                    MailCheckStatus.Warning,
                    $"_smtp._tls.{domain} holds TXT records that are not TLS-RPT.",
                    "RFC 8460 3",
                    other);
            }

            if (recs.Count == 0)
            {
                sink.Add(needed ? MailCheckId.TlsRptCompanion : MailCheckId.TlsRptRecord, "TLS-RPT record", needed ? MailCheckStatus.Warning
                    : MailCheckStatus.Info,
                    needed
                        ? $"MTA-STS is published but no TLS-RPT record at _smtp._tls.{domain}: you will not hear when senders fail TLS."
                        : $"No TLS-RPT record at _smtp._tls.{domain}.", "RFC 8460 3");
                return false;
            }
            if (recs.Count > 1)
            {
                sink.Add(
                    MailCheckId.TlsRptRecord,
                    "TLS-RPT record",
                    MailCheckStatus.Fail,
                    $"_smtp._tls.{domain} has {recs.Count} TLS-RPT records; senders then use none.",
                    "RFC 8460 3",
                    recs);
                return false;
            }
            CheckTlsRpt(recs[0], sink);
            return true;
        }
    }
}
