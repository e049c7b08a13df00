using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>Asks several resolvers the same mail questions and reports where their answers differ (propagation; ext check 124).</summary>
    internal sealed class PropagationCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            var compare = context.Options.CompareResolvers;
            if (compare == null || compare.Count == 0)
            {
                return;
            }

            var dkimNames = context.DkimSelectorsFound.Select(sel => sel + "._domainkey." + context.Domain).ToList();
            var resolvers = compare.Select(r => (r.Key, r.Value)).ToList();
            context.Sink.Checks.AddRange(await RunAsync(context.Domain, resolvers, dkimNames, context.Ct).ConfigureAwait(false));
        }

        private static async Task<List<MailCheck>> RunAsync(
            string domain,
            IReadOnlyList<(string name, IDnsResolver dns)> resolvers,
            IEnumerable<string> dkimNames,
            CancellationToken ct)
        {
            var sink = new CheckSink();
            var questions = new List<(string label, Func<IDnsResolver, Task<string>> ask)>
            {
                ($"MX {domain}", async r => Show(await r.MxAsync(domain, ct).ConfigureAwait(false), m => m.ToString())),
                ($"TXT {domain}", async r => Show(await r.TxtAsync(domain, ct).ConfigureAwait(false), t => t)),
                ($"TXT _dmarc.{domain}", async r => Show(await r.TxtAsync("_dmarc." + domain, ct).ConfigureAwait(false), t => t)),
                ($"TXT _mta-sts.{domain}", async r => Show(await r.TxtAsync("_mta-sts." + domain, ct).ConfigureAwait(false), t => t)),
                ($"TXT _smtp._tls.{domain}", async r => Show(await r.TxtAsync("_smtp._tls." + domain, ct).ConfigureAwait(false), t => t)),
            };
            foreach (var n in dkimNames ?? Enumerable.Empty<string>())
            {
                questions.Add(($"TXT {n}", async r => Show(await r.TxtAsync(n, ct).ConfigureAwait(false), t => t)));
            }

            var differing = new List<string>();
            foreach (var (label, ask) in questions)
            {
                var answers = new List<(string resolver, string answer)>();
                foreach (var (name, dns) in resolvers) answers.Add((name, await ask(dns).ConfigureAwait(false)));
                if (answers.Select(a => a.answer).Distinct().Count() > 1)
                {
                    differing.Add($"{label}: " + string.Join(" | ", answers.Select(a => $"{a.resolver} = {a.answer}")));
                }
            }
            var names = string.Join(", ", resolvers.Select(r => r.name));
            if (differing.Count == 0)
            {
                sink.Add(
                    MailCheckId.Propagation,
                    "Propagation",
                    MailCheckStatus.Pass,
                    $"{names} give the same answers for the domain's mail records.",
                    "RFC 1034 4.3.5");
            }
            else
            {
                sink.Add(
                    MailCheckId.Propagation,
                    "Propagation",
                    MailCheckStatus.Warning,
                    $"{differing.Count} mail record set(s) differ between {names}: a change has not reached every server yet, or the servers disagree.",
                    "RFC 1034 4.3.5",
                    differing);
            }

            foreach (var c in sink.Checks)
            {
                c.Domain = MailAdmin.Validation.MailNames.ToUnicode(domain);
            }

            return sink.Checks;
        }

        private static string Show<T>(DnsAnswer<T> a, Func<T, string> text)
            => a.IsError ? a.Status.ToString() : a.Status == DnsStatus.NxDomain ? "NXDOMAIN" : a.Records.Count == 0 ? "(no data)" : string.Join(
                ", ",
                a.Records.Select(text).OrderBy(x => x, StringComparer.Ordinal));
    }
}
