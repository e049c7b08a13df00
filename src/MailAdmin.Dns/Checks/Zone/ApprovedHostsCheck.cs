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
    /// <summary>MX and NS hosts outside the organisation's approved lists (22).</summary>
    internal sealed class ApprovedHostsCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            var options = context.Options;
            if (context.MxRecords != null)
            {
                Approved("MX", context.MxRecords.Select(m => m.Exchange), options.ApprovedMxHosts, context.Sink);
            }

            if (options.ApprovedNameServers != null && options.ApprovedNameServers.Count > 0)
            {
                var ns = await context.Dns.QueryAsync(context.Domain, "NS", context.Ct).ConfigureAwait(false);
                Approved("NS", ns.Records, options.ApprovedNameServers, context.Sink);
            }
        }

        /// <summary>22: MX and NS hosts outside the organisation's approved list.</summary>
        private static void Approved(string what, IEnumerable<string> hosts, IReadOnlyList<string> approved, CheckSink sink)
        {
            if (approved == null || approved.Count == 0)
            {
                return;
            }

            bool Ok(string h) => approved.Any(p => p.StartsWith("*.", StringComparison.Ordinal)
                ? h.EndsWith(p.Substring(1), StringComparison.OrdinalIgnoreCase) : string.Equals(p.TrimEnd('.'), h, StringComparison.OrdinalIgnoreCase));
            var list = hosts.Where(h => h != "" && h != ".").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var outside = list.Where(h => !Ok(h)).ToList();
            sink.Add(MailCheckId.ApprovedHosts, $"Approved {what} hosts", outside.Count == 0 ? MailCheckStatus.Pass : MailCheckStatus.Warning,
                outside.Count == 0
                    ? $"Every {what} host is on the approved list."
                    : $"{what} host(s) not on the approved list: {string.Join(", ", outside)}.", "organisation policy", list);
        }
    }
}
