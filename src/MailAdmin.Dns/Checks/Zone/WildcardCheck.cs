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
    /// <summary>Wildcard leakage (12).</summary>
    internal sealed class WildcardCheck : IMailDomainCheck
    {
        public Task RunAsync(CheckContext context) => WildcardAsync(context.Dns, context.Domain, context.Sink, context.Ct);

        /// <summary>A wildcard TXT answering _dmarc, _mta-sts or _smtp._tls with an SPF string breaks those records (12).</summary>
        public static async Task WildcardAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct)
        {
            var probe = await dns.TxtAsync("mailadmin-wildcard-probe-7f3a." + domain, ct).ConfigureAwait(false);
            if (probe.Records.Count == 0)
            {
                return;
            }

            sink.Add(
                MailCheckId.WildcardLeakage,
                "Wildcard TXT",
                MailCheckStatus.Warning,
                $"*.{domain} answers TXT queries for any name; it also answers where DMARC, MTA-STS and TLS-RPT records are looked up.",
                "RFC 4592",
                probe.Records);
            foreach (var name in new[] { "_dmarc.", "_mta-sts.", "_smtp._tls.", "default._bimi." })
            {
                var t = await dns.TxtAsync(name + domain, ct).ConfigureAwait(false);
                var spf = t.Records.Where(r => r.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase)).ToList();
                if (spf.Count > 0)
                {
                    sink.Add(
                        MailCheckId.WildcardLeakage,
                        "Wildcard leakage",
                        MailCheckStatus.Fail,
                        $"An SPF record answers at {name}{domain}, where a {name.Trim('.', '_')} record belongs (a wildcard leaks into it).",
                        "RFC 4592",
                        spf);
                }
            }
        }
    }
}
