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
    /// <summary>Client configuration aliases (121) and dangling aliases (123).</summary>
    internal sealed class ClientAliasesCheck : IMailDomainCheck
    {
        public Task RunAsync(CheckContext context)
        {
            var names = new List<string>();
            if (context.Options.Thorough || context.Options.ProbeSmtp)
            {
                names.Add("autoconfig.");
                names.Add("autodiscover.");
            }

            if (context.MtaStsPublished)
            {
                names.Add("mta-sts.");
            }

            return ClientAliasesAsync(context.Dns, context.Domain, context.Sink, context.Ct, names);
        }

        public static async Task ClientAliasesAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct, IReadOnlyList<string> names)
        {
            var found = new List<string>();
            var dangling = new List<string>();
            foreach (var name in names)
            {
                // one address question: its answer carries the alias chain, and NXDOMAIN at its end means the target is gone
                var a = await dns.AddressAsync(name + domain, false, ct).ConfigureAwait(false);
                if (a.Aliases.Count == 0)
                {
                    continue;
                }

                var target = a.Aliases[a.Aliases.Count - 1];
                if (name != "mta-sts.")
                {
                    found.Add($"{name}{domain} -> {target}");
                }
                // 123: an alias to a name that no longer exists (a deleted tenant or service) can be taken over
                if (a.Status == DnsStatus.NxDomain)
                {
                    dangling.Add($"{name}{domain} -> {target} (NXDOMAIN)");
                }
            }
            if (found.Count > 0)
            {
                sink.Add(
                    MailCheckId.Autodiscover,
                    "Client configuration aliases",
                    MailCheckStatus.Info,
                    "Mail clients can find their servers through these aliases.",
                    "RFC 6186",
                    found);
            }

            if (dangling.Count > 0)
            {
                sink.Add(
                    MailCheckId.DanglingCname,
                    "Dangling aliases",
                    MailCheckStatus.Warning,
                    "These aliases point to names that do not exist (a removed service or tenant): whoever registers the target can serve your clients' "
                    + "configuration or MTA-STS policy. Remove or fix them.",
                    "RFC 1034 3.6.2",
                    dangling);
            }
        }
    }
}
