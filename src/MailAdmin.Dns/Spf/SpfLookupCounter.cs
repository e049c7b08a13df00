using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Dns.Spf
{
    /// <summary>
    /// Counts the DNS lookups an SPF record costs when a receiver evaluates it (RFC 7208 4.6.4): a, mx, ptr, exists, include
    /// and redirect count one each, and include: and redirect= add the lookups of the record they point to, read through DNS.
    /// A redirect is not followed when the record has an 'all' (RFC 7208 6.1: it is then never used). A target with no
    /// usable SPF record, a DNS failure, a macro or a loop counts its one lookup and is not followed; the detail says so.
    /// Used before publishing a merged record, so that the merge never passes the limit of 10.
    /// </summary>
    public sealed class SpfLookupCounter
    {
        private readonly IDnsResolver _dns;

        public SpfLookupCounter(IDnsResolver dns)
        {
            _dns = dns ?? throw new ArgumentNullException(nameof(dns));
        }

        /// <summary>The lookups of <paramref name="record"/> published at <paramref name="domain"/>, with one line per term that costs any.</summary>
        public async Task<(int Count, string Detail)> CountAsync(string domain, string record, CancellationToken ct)
        {
            var lines = new List<string>();
            var stack = new List<string> { (domain ?? "").TrimEnd('.').ToLowerInvariant() };
            SpfRecord parsed;
            try
            {
                parsed = SpfRecord.Parse(record);
            }
            catch (SpfSyntaxException e)
            {
                return (CountTopLevel(record), $"the record does not parse ({e.Message}); its own terms counted");
            }
            var count = await WalkAsync(domain, parsed, stack, lines, ct).ConfigureAwait(false);
            return (count, string.Join("; ", lines));
        }

        private static int CountTopLevel(string record)
            => (record ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(t => t.TrimStart('+', '-', '~', '?').ToLowerInvariant())
                .Count(t => t.StartsWith("include:", StringComparison.Ordinal) || t.StartsWith("exists:", StringComparison.Ordinal)
                    || t.StartsWith("redirect=", StringComparison.Ordinal) || t == "a" || t == "mx" || t == "ptr"
                    || t.StartsWith("a:", StringComparison.Ordinal) || t.StartsWith("a/", StringComparison.Ordinal)
                    || t.StartsWith("mx:", StringComparison.Ordinal) || t.StartsWith("mx/", StringComparison.Ordinal)
                    || t.StartsWith("ptr:", StringComparison.Ordinal));

        private async Task<int> WalkAsync(string domain, SpfRecord record, List<string> stack, List<string> lines, CancellationToken ct)
        {
            var count = 0;
            var hasAll = record.Terms.Any(t => t.Kind == SpfTermKind.All);
            foreach (var term in record.Terms)
            {
                if (!term.CountsLookup)
                {
                    continue;
                }

                if (term.Kind == SpfTermKind.Redirect && hasAll)
                {
                    continue;
                }

                count++;
                if (term.Kind != SpfTermKind.Include && term.Kind != SpfTermKind.Redirect)
                {
                    lines.Add($"{domain}: {term.Text} = 1");
                    continue;
                }
                var target = (term.DomainSpec ?? "").TrimEnd('.').ToLowerInvariant();
                if (target.IndexOf('%') >= 0)
                {
                    lines.Add($"{domain}: {term.Text} = 1 (macro, not followed)");
                    continue;
                }
                if (stack.Contains(target))
                {
                    lines.Add($"{domain}: {term.Text} = 1 (loop)");
                    continue;
                }
                var txt = await _dns.TxtAsync(target, ct).ConfigureAwait(false);
                var spf = txt.Records.Where(SpfRecord.IsSpf1).ToList();
                if (txt.IsError || spf.Count != 1)
                {
                    var why = txt.IsError ? $"DNS {txt.Status}" : $"{spf.Count} SPF records";
                    lines.Add($"{domain}: {term.Text} = 1 ({why}, not followed)");
                    continue;
                }
                SpfRecord inner;
                try
                {
                    inner = SpfRecord.Parse(spf[0]);
                }
                catch (SpfSyntaxException)
                {
                    lines.Add($"{domain}: {term.Text} = 1 (its record does not parse)");
                    continue;
                }
                stack.Add(target);
                var innerLines = new List<string>();
                var sub = await WalkAsync(target, inner, stack, innerLines, ct).ConfigureAwait(false);
                stack.RemoveAt(stack.Count - 1);
                count += sub;
                lines.Add($"{domain}: {term.Text} = {1 + sub}");
                lines.AddRange(innerLines);
            }
            return count;
        }
    }
}
