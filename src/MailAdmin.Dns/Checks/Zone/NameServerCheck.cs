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
    /// <summary>Name servers: count and form (2) and diversity (3).</summary>
    internal sealed class NameServerCheck : IMailDomainCheck
    {
        public Task RunAsync(CheckContext context) => NameServersAsync(context.Dns, context.Domain, context.Sink, context.Ct);

        public static async Task NameServersAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct)
        {
            var ns = await dns.QueryAsync(domain, "NS", ct).ConfigureAwait(false);
            if (ns.IsError || ns.Records.Count == 0)
            {
                return; // a subdomain that is not a zone apex has no NS of its own
            }

            var problems = new List<string>();
            var subnets = new HashSet<string>();
            foreach (var host in ns.Records.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (IPAddress.TryParse(host, out _))
                {
                    problems.Add($"{host} is an IP address, not a host name");
                    continue;
                }
                var a = await dns.AddressAsync(host, false, ct).ConfigureAwait(false);
                if (a.Aliases.Count > 0)
                {
                    problems.Add($"{host} is an alias (CNAME); NS must name a host directly (RFC 2181 10.3)");
                }

                var aaaa = await dns.AddressAsync(host, true, ct).ConfigureAwait(false);
                if (a.Records.Count + aaaa.Records.Count == 0 && !a.IsError)
                {
                    problems.Add($"{host} has no address");
                }

                foreach (var ip in a.Records)
                {
                    var b = ip.GetAddressBytes();
                    subnets.Add($"{b[0]}.{b[1]}.{b[2]}");
                }
                foreach (var ip in aaaa.Records)
                {
                    var b = ip.GetAddressBytes();
                    subnets.Add(BitConverter.ToString(b, 0, 6));
                }
            }
            if (ns.Records.Count < 2)
            {
                sink.Add(
                    MailCheckId.NameServers,
                    "Name servers",
                    MailCheckStatus.Fail,
                    $"{domain} has a single name server ({ns.Records[0]}); when it is down the domain, and its mail, disappear. Use at least two.",
                    "RFC 1034 4.1, RFC 2182 5",
                    ns.Records);
            }
            else if (problems.Count > 0)
            {
                sink.Add(
                    MailCheckId.NameServers,
                    "Name servers",
                    MailCheckStatus.Fail,
                    "Name server problems: " + string.Join("; ", problems) + ".",
                    "RFC 1035 3.3.11, RFC 2181 10.3",
                    ns.Records);
            }
            else
            {
                sink.Add(
                    MailCheckId.NameServers,
                    "Name servers",
                    MailCheckStatus.Pass,
                    $"{domain} has {ns.Records.Count} name servers.",
                    "RFC 2182 5",
                    ns.Records);
            }

            if (ns.Records.Count >= 2 && subnets.Count == 1)
            {
                sink.Add(
                    MailCheckId.NameServerDiversity,
                    "Name server diversity",
                    MailCheckStatus.Warning,
                    "All name servers sit in one network (/24 or /48); one outage takes them all.",
                    "RFC 2182 3.1",
                    ns.Records);
            }
        }
    }
}
