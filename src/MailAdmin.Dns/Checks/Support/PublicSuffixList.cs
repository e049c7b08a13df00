using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace MailAdmin.Dns.Checks
{
    /// <summary>The Public Suffix List (shipped copy, from Debian's publicsuffix package): organisational domains for DMARC (RFC 7489 3.2).</summary>
    public sealed class PublicSuffixList
    {
        private readonly HashSet<string> _rules = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _wildcards = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _exceptions = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        private static readonly Lazy<PublicSuffixList> Shipped = new Lazy<PublicSuffixList>(() =>
        {
            using (var s = typeof(PublicSuffixList).GetTypeInfo().Assembly.GetManifestResourceStream("MailAdmin.Dns.public_suffix_list.dat"))
            using (var r = new StreamReader(s))
            {
                return Parse(r);
            }
        });

        public static PublicSuffixList Default => Shipped.Value;

        public static PublicSuffixList Parse(TextReader reader)
        {
            var psl = new PublicSuffixList();
            string line;
            while ((line = reader.ReadLine()) != null)
            {
                line = line.Trim();
                if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                var rule = line.Split(' ', '\t')[0];
                rule = ToAscii(rule);
                if (rule.StartsWith("!", StringComparison.Ordinal))
                {
                    psl._exceptions.Add(rule.Substring(1));
                }
                else if (rule.StartsWith("*.", StringComparison.Ordinal))
                {
                    psl._wildcards.Add(rule.Substring(2));
                }
                else
                {
                    psl._rules.Add(rule);
                }
            }
            return psl;
        }

        private static string ToAscii(string rule)
        {
            var prefix = rule.StartsWith("!", StringComparison.Ordinal) ? "!" : rule.StartsWith("*.", StringComparison.Ordinal) ? "*." : "";
            var body = rule.Substring(prefix.Length);
            try
            {
                return prefix + new System.Globalization.IdnMapping().GetAscii(body).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                return rule.ToLowerInvariant();
            }
        }

        /// <summary>The public suffix of a name (ASCII form); the default rule "*" makes the last label a suffix.</summary>
        public string PublicSuffix(string domain)
        {
            var labels = domain.TrimEnd('.').ToLowerInvariant().Split('.');
            for (var i = 0; i < labels.Length; i++)
            {
                var candidate = string.Join(".", labels, i, labels.Length - i);
                if (_exceptions.Contains(candidate))
                {
                    return string.Join(".", labels, i + 1, labels.Length - i - 1);
                }

                if (_rules.Contains(candidate))
                {
                    return candidate;
                }

                if (i + 1 < labels.Length && _wildcards.Contains(string.Join(".", labels, i + 1, labels.Length - i - 1)))
                {
                    return candidate;
                }
            }
            return labels[labels.Length - 1];
        }

        /// <summary>The organisational domain: the public suffix plus one label (the domain itself when it is a suffix).</summary>
        public string OrganizationalDomain(string domain)
        {
            var d = domain.TrimEnd('.').ToLowerInvariant();
            var suffix = PublicSuffix(d);
            if (d.Length <= suffix.Length)
            {
                return d;
            }

            var rest = d.Substring(0, d.Length - suffix.Length - 1);
            var dot = rest.LastIndexOf('.');
            return (dot < 0 ? rest : rest.Substring(dot + 1)) + "." + suffix;
        }

        public bool IsPublicSuffix(string domain) => string.Equals(PublicSuffix(domain), domain.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
    }
}
