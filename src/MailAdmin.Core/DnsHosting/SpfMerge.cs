using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MailAdmin.Models;

namespace MailAdmin.DnsHosting
{
    /// <summary>Merging SPF records (RFC 7208): terms the existing record lacks are added before its "all", keeping its own.</summary>
    public static class SpfMerge
    {
        private static readonly Regex All = new Regex(@"^[+\-~?]?all$", RegexOptions.IgnoreCase);

        public static List<string> Terms(string spf)
            => (spf ?? "").Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();

        private static string Key(string term)
        {
            var t = term.ToLowerInvariant();
            return t.StartsWith("+", StringComparison.Ordinal) ? t.Substring(1) : t;
        }

        public static bool SameTerms(string a, string b)
        {
            if (!DnsPublishPlanner.IsSpf(a) || !DnsPublishPlanner.IsSpf(b))
            {
                return false;
            }

            return Terms(a).Select(Key).SequenceEqual(Terms(b).Select(Key));
        }

        /// <summary>Mechanisms and modifiers that cost a DNS lookup (RFC 7208 4.6.4), counted at the top level.</summary>
        public static int CountLookups(string spf)
            => Terms(spf).Select(t => Key(t.TrimStart('-', '~', '?'))).Count(t =>
                Regex.IsMatch(t, @"^(include:|exists:|redirect=)") || Regex.IsMatch(t, @"^(a|mx|ptr)([:/]|$)"));

        /// <summary>The existing record with the required terms added; null with <paramref name="why"/> when they cannot be merged.</summary>
        public static string Merge(string existing, string required, out string why)
        {
            why = null;
            if (existing == null)
            {
                return Normalise(required);
            }

            var have = Terms(existing);
            var add = Terms(required);
            var haveAll = have.FirstOrDefault(t => All.IsMatch(t));
            var haveRedirect = have.FirstOrDefault(t => t.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase));
            var result = have.Where(t => !All.IsMatch(t)).ToList();
            var keys = new HashSet<string>(have.Select(Key));
            foreach (var t in add)
            {
                if (All.IsMatch(t))
                {
                    continue;
                }

                if (t.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase) || t.StartsWith("exp=", StringComparison.OrdinalIgnoreCase))
                {
                    if (keys.Contains(Key(t)))
                    {
                        continue;
                    }

                    why = $"the required SPF uses '{t}', which cannot be merged into the existing record '{existing}'; merge them by hand.";
                    return null;
                }
                if (keys.Add(Key(t)))
                {
                    result.Insert(InsertAt(result), t);
                }
            }
            if (haveAll != null) result.Add(haveAll);
            else if (haveRedirect == null)
            {
                var reqAll = add.FirstOrDefault(t => All.IsMatch(t));
                if (reqAll != null)
                {
                    result.Add(reqAll);
                }
            }
            return "v=spf1" + (result.Count > 0 ? " " + string.Join(" ", result) : "");
        }

        /// <summary>Mechanisms go before the modifiers (redirect=, exp=) that the existing record ends with.</summary>
        private static int InsertAt(List<string> terms)
        {
            var i = terms.FindIndex(t => Regex.IsMatch(t, @"^[A-Za-z][A-Za-z0-9\-_.]*=", RegexOptions.None));
            return i < 0 ? terms.Count : i;
        }

        private static string Normalise(string spf) => "v=spf1" + string.Concat(Terms(spf).Select(t => " " + t));
    }
}
