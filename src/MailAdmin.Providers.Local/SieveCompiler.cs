using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// Compiles rules, the auto-reply, the spam filing and a mailbox's own sender filters to one Sieve script (RFC 5228 with
    /// fileinto, mailbox :create, copy, imap4flags, body, relational + i;ascii-numeric, vacation, date, variables).
    /// Order: blocked senders are discarded; the auto-reply answers (never spam); rules run by priority; what no rule filed and the
    /// spam filter marked goes to Junk unless the sender is allowed.
    /// </summary>
    internal static class SieveCompiler
    {
        public static int Threshold(SpamFilterLevel level)
        {
            switch (level)
            {
                case SpamFilterLevel.Low: return 10;
                case SpamFilterLevel.Medium: return 5;
                case SpamFilterLevel.High: return 3;
                default: return 0;
            }
        }

        /// <summary>A Sieve string holding exactly the text: with the variables extension every "${" would be expanded, so it is
        /// written as "${dollar}{" (the variable "dollar" holds "$"; expansion is not recursive).</summary>
        public static string Quote(string s) => "\"" + (s ?? "").Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("${", "${dollar}{") + "\"";
        private static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";

        private const string Flagged = "anyof(header :is \"X-Spam-Flag\" \"YES\", header :is \"X-Spam\" \"Yes\")";

        /// <summary>The test "the spam filter marked it" at a level (flag, or score at or over the level's threshold).</summary>
        private static string SpamTest(SpamFilterLevel level)
        {
            if (level == SpamFilterLevel.Off)
            {
                return "false";
            }
            // i;ascii-numeric reads leading digits; a negative score ("-2.1") would read as infinity, so it is ruled out first
            return $"anyof({Flagged}, allof(not header :matches \"X-Spam-Score\" \"-*\", header :value \"ge\" :comparator \"i;ascii-numeric\" "
                + $"\"X-Spam-Score\" \"{Threshold(level)}\"))";
        }

        /// <summary>Addresses, domains and wildcards of one header test, any of them.</summary>
        private static string AddressTest(string headers, IEnumerable<string> values)
        {
            var v = values.Select(x => x.Trim()).Where(x => x.Length > 0).ToList();
            var tests = new List<string>();
            var wild = v.Where(x => x.IndexOfAny(new[] { '*', '?' }) >= 0).ToList();
            var full = v.Where(x => !wild.Contains(x) && x.Contains("@")).ToList();
            var domains = v.Where(x => !wild.Contains(x) && !x.Contains("@")).ToList();
            if (full.Count > 0)
            {
                tests.Add($"address :is {headers} {List(full)}");
            }

            if (domains.Count > 0)
            {
                tests.Add($"address :domain :is {headers} {List(domains)}");
            }

            if (wild.Count > 0)
            {
                tests.Add($"address :matches {headers} {List(wild)}");
            }

            return tests.Count == 1 ? tests[0] : $"anyof({string.Join(", ", tests)})";
        }

        private static IEnumerable<string> Conditions(MailRule r)
        {
            if (r.From?.Length > 0)
            {
                yield return AddressTest("\"from\"", r.From);
            }

            if (r.To?.Length > 0)
            {
                yield return AddressTest("[\"to\", \"cc\"]", r.To);
            }

            if (r.SubjectContains?.Length > 0)
            {
                yield return $"header :contains \"subject\" {List(r.SubjectContains)}";
            }

            if (r.HeaderContains?.Length > 0)
            {
                var tests = r.HeaderContains.Select(h =>
                {
                    var colon = h.IndexOf(':');
                    return $"header :contains {Quote(h.Substring(0, colon).Trim())} {Quote(h.Substring(colon + 1).Trim())}";
                }).ToList();
                yield return tests.Count == 1 ? tests[0] : $"anyof({string.Join(", ", tests)})";
            }
            if (r.BodyContains?.Length > 0)
            {
                yield return $"body :text :contains {List(r.BodyContains)}";
            }

            if (r.SizeAbove.HasValue)
            {
                yield return $"size :over {r.SizeAbove.Value.ToString(CultureInfo.InvariantCulture)}";
            }

            if (r.IsSpam)
            {
                yield return Flagged;
            }
        }

        public static string Compile(SieveInput input)
        {
            var sb = new StringBuilder();
            sb.Append("# Written by MailAdmin for ").Append(input.Mailbox).Append(". Change it with the MailAdmin cmdlets (New-MailRule,\n")
              .Append("# Set-MailAutoReply, Set-MailSecurityPolicy): they rewrite it.\n");
            sb.Append("require [\"fileinto\", \"mailbox\", \"copy\", \"imap4flags\", \"body\", \"relational\", \"comparator-i;ascii-numeric\", \"vacation\", "
                + "\"date\", \"variables\", \"envelope\"];\n");
            sb.Append("set \"dollar\" \"$\";\n\n");
            var allowed = input.Allowed.Count > 0 ? AddressTest("\"from\"", input.Allowed) : "false";
            if (input.Blocked.Count > 0)
            {
                sb.Append("# blocked senders (an allowed address overrides a blocked domain)\n");
                var blockTests = new List<string> { AddressTest("\"from\"", input.Blocked) };
                var exact = input.Blocked.Where(b => b.Contains("@") && b.IndexOfAny(new[] { '*', '?' }) < 0).ToList();
                if (exact.Count > 0)
                {
                    blockTests.Add($"envelope :is \"from\" {List(exact)}");
                }

                sb.Append($"if allof(not {allowed}, anyof({string.Join(", ", blockTests)})) {{\n  discard;\n  stop;\n}}\n\n");
            }
            var spam = SpamTest(input.SpamLevel);
            var a = input.AutoReply;
            if (a != null && a.Enabled)
            {
                var tests = new List<string> { $"not {Flagged}" };
                string Iso(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
                if (a.StartTime.HasValue)
                {
                    tests.Add($"currentdate :zone \"+0000\" :value \"ge\" \"iso8601\" {Quote(Iso(a.StartTime.Value))}");
                }

                if (a.EndTime.HasValue)
                {
                    tests.Add($"currentdate :zone \"+0000\" :value \"lt\" \"iso8601\" {Quote(Iso(a.EndTime.Value))}");
                }

                if (a.ExternalOnly && input.Domains.Count > 0)
                {
                    tests.Add($"not address :domain :is \"from\" {List(input.Domains)}");
                }

                sb.Append("# auto-reply (Sieve vacation: once per sender per period; never to lists, bulk or automatic mail)\n");
                sb.Append($"if allof({string.Join(", ", tests)}) {{\n");
                sb.Append($"  vacation :days {Math.Max(1, a.DaysBetweenReplies)}");
                if (!string.IsNullOrEmpty(a.Subject))
                {
                    sb.Append(" :subject ").Append(Quote(a.Subject));
                }

                var addresses = new[] { input.Mailbox }.Concat(input.Aliases).ToList();
                sb.Append(" :addresses ").Append(List(addresses));
                sb.Append(' ').Append(Quote(a.Body ?? "")).Append(";\n}\n\n");
            }
            foreach (var r in input.Rules.Where(r => r.Enabled).OrderBy(r => r.Priority).ThenBy(r => r.Name, StringComparer.Ordinal))
            {
                var conds = Conditions(r).ToList();
                sb.Append("# rule ").Append(Quote(r.Name)).Append(" (priority ").Append(r.Priority.ToString(CultureInfo.InvariantCulture)).Append(")\n");
                sb.Append("if ").Append(conds.Count == 0 ? "true" : conds.Count == 1 ? conds[0] : $"allof({string.Join(", ", conds)})").Append(" {\n");
                if (r.MarkRead)
                {
                    sb.Append("  addflag \"\\\\Seen\";\n");
                }

                if (r.Flag)
                {
                    sb.Append("  addflag \"\\\\Flagged\";\n");
                }

                if (!string.IsNullOrEmpty(r.CopyToFolder))
                {
                    sb.Append("  fileinto :copy :create ").Append(Quote(r.CopyToFolder)).Append(";\n");
                }

                foreach (var f in r.ForwardTo ?? new string[0])
                {
                    sb.Append("  redirect :copy ").Append(Quote(f)).Append(";\n");
                }

                if (r.Delete)
                {
                    sb.Append("  fileinto :create \"Trash\";\n  set \"filed\" \"1\";\n");
                }
                else if (!string.IsNullOrEmpty(r.MoveToFolder))
                {
                    sb.Append("  fileinto :create ").Append(Quote(r.MoveToFolder)).Append(";\n  set \"filed\" \"1\";\n");
                }

                if (r.StopProcessing)
                {
                    sb.Append("  stop;\n");
                }

                sb.Append("}\n\n");
            }
            if (input.SpamLevel != SpamFilterLevel.Off)
            {
                sb.Append("# spam filing: level ").Append(input.SpamLevel).Append('\n');
                sb.Append($"if allof(string :is \"${{filed}}\" \"\", not {allowed}, {spam}) {{\n  fileinto :create \"Junk\";\n}}\n");
            }
            return sb.ToString();
        }

        /// <summary>The script for mailboxes without their own (Dovecot's sieve_default): the store's spam filing only.</summary>
        public static string CompileDefault(SpamFilterLevel level)
        {
            var sb = new StringBuilder(
                "# Written by MailAdmin: the store's spam filing for mailboxes without their own script (Set-MailSecurityPolicy -SpamFilterLevel).\n");
            sb.Append("require [\"fileinto\", \"mailbox\", \"relational\", \"comparator-i;ascii-numeric\"];\n");
            if (level != SpamFilterLevel.Off)
            {
                sb.Append($"if {SpamTest(level)} {{\n  fileinto :create \"Junk\";\n}}\n");
            }

            return sb.ToString();
        }
    }
}
