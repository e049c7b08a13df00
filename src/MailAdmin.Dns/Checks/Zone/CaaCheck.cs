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
    /// <summary>CAA of each MX host (11).</summary>
    internal sealed class CaaCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            foreach (var host in context.MxHosts)
            {
                await CaaAsync(context.Dns, host.Host, context.Sink, context.Ct).ConfigureAwait(false);
            }
        }

        /// <summary>CAA for one MX host (11): the closest CAA RRset up the tree (RFC 8659 3) must be valid and allow issuance.</summary>
        public static async Task CaaAsync(IDnsResolver dns, string host, CheckSink sink, CancellationToken ct)
        {
            var labels = host.TrimEnd('.').Split('.');
            IReadOnlyList<string> found = null;
            string at = null;
            for (var i = 0; i < labels.Length - 1 && found == null; i++)
            {
                var name = string.Join(".", labels, i, labels.Length - i);
                var r = await dns.QueryAsync(name, "CAA", ct).ConfigureAwait(false);
                if (r.IsError)
                {
                    return;
                }

                if (r.Records.Count > 0)
                {
                    found = r.Records;
                    at = name;
                }
            }
            if (found == null)
            {
                sink.Add(
                    MailCheckId.Caa,
                    $"CAA for {host}",
                    MailCheckStatus.Warning,
                    $"No CAA record at {host} or above: any certificate authority may issue certificates for the mail host.",
                    "RFC 8659 4");
                return;
            }
            var problems = new List<string>();
            var issue = 0;
            foreach (var rec in found)
            {
                var parts = rec.Split(new[] { ' ' }, 3);
                if (parts.Length < 3)
                {
                    problems.Add($"'{rec}' is not 'flags tag value'");
                    continue;
                }
                int.TryParse(parts[0], out var flags);
                var tag = parts[1].ToLowerInvariant();
                var value = parts[2].Trim('"');
                switch (tag)
                {
                    case "issue":
                    case "issuewild":
                    case "issuemail":
                    case "issuevmc":
                        if (tag == "issue")
                        {
                            issue++;
                        }

                        break;
                    case "iodef":
                        if (!value.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
                            && !value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                            && !value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                        {
                            problems.Add($"iodef '{value}' is not a mailto: or https: URL");
                        }

                        break;
                    default:
                        if ((flags & 128) != 0)
                        {
                            problems.Add($"the critical tag '{parts[1]}' is unknown, so no CA may issue a certificate");
                        }

                        break;
                }
            }
            if (issue == 0)
            {
                problems.Add("there is no 'issue' tag naming a CA");
            }

            sink.Add(MailCheckId.Caa, $"CAA for {host}", problems.Count == 0 ? MailCheckStatus.Pass : MailCheckStatus.Warning,
                problems.Count == 0
                    ? $"CAA at {at} names the CAs that may issue for {host}."
                    : $"CAA at {at} (applies to {host}): " + string.Join("; ", problems) + ".", "RFC 8659 4", found);
        }
    }
}
