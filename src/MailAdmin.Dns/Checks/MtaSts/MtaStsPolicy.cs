using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>An MTA-STS policy file (RFC 8461 3.2), parsed without throwing; problems become checks (84-87).</summary>
    public sealed class MtaStsPolicy
    {
        public string Version { get; private set; }
        public string Mode { get; private set; }
        public long? MaxAge { get; private set; }
        public List<string> Mx { get; } = new List<string>();

        public static MtaStsPolicy Parse(string text, CheckSink sink)
        {
            var p = new MtaStsPolicy();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var lines = (text ?? "").Replace("\r\n", "\n").Split('\n');
            var n = 0;
            foreach (var raw in lines)
            {
                n++;
                var line = raw.Trim(' ', '\t', '\r');
                if (line.Length == 0)
                {
                    continue;
                }

                var colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    sink?.Add(
                        MailCheckId.MtaStsPolicySyntax,
                        "MTA-STS policy syntax",
                        MailCheckStatus.Fail,
                        $"Line {n} ('{Short(line)}') is not 'key: value'.",
                        "RFC 8461 3.2");
                    continue;
                }
                var key = line.Substring(0, colon).Trim();
                var value = line.Substring(colon + 1).Trim();
                if (!string.Equals(key, "mx", StringComparison.OrdinalIgnoreCase) && !seen.Add(key))
                {
                    sink?.Add(
                        MailCheckId.MtaStsPolicySyntax,
                        "MTA-STS policy syntax",
                        MailCheckStatus.Fail,
                        $"'{key}' appears more than once (line {n}).",
                        "RFC 8461 3.2");
                }

                switch (key.ToLowerInvariant())
                {
                    case "version": p.Version = value; break;
                    case "mode": p.Mode = value; break;
                    case "max_age":
                        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var age) && age <= 31557600)
                        {
                            p.MaxAge = age;
                        }
                        else
                        {
                            sink?.Add(
                                MailCheckId.MtaStsPolicySyntax,
                                "MTA-STS max_age",
                                MailCheckStatus.Fail,
                                $"max_age '{Short(value)}' must be a whole number of seconds up to 31557600.",
                                "RFC 8461 3.2");
                        }

                        break;
                    case "mx": p.Mx.Add(value); break;
                }
            }
            if (sink == null)
            {
                return p;
            }

            if (p.Version != "STSv1")
            {
                sink.Add(
                    MailCheckId.MtaStsPolicySyntax,
                    "MTA-STS policy version",
                    MailCheckStatus.Fail,
                    "The policy must say 'version: STSv1'.",
                    "RFC 8461 3.2");
            }

            if (p.Mode != "enforce" && p.Mode != "testing" && p.Mode != "none")
            {
                sink.Add(
                    MailCheckId.MtaStsPolicySyntax,
                    "MTA-STS mode",
                    MailCheckStatus.Fail,
                    $"mode '{Short(p.Mode ?? "")}' must be enforce, testing or none.",
                    "RFC 8461 3.2");
            }
            else if (p.Mode != "enforce")
            {
                sink.Add(
                    MailCheckId.MtaStsMode,
                    "MTA-STS mode",
                    MailCheckStatus.Warning,
                    $"mode: {p.Mode} does not protect mail; use enforce once TLS reports are clean.",
                    "RFC 8461 5");
            }
            else
            {
                sink.Add(MailCheckId.MtaStsMode, "MTA-STS mode", MailCheckStatus.Pass, "mode: enforce.", "RFC 8461 5");
            }

            if (p.MaxAge == null)
            {
                sink.Add(MailCheckId.MtaStsPolicySyntax, "MTA-STS max_age", MailCheckStatus.Fail, "The policy has no valid max_age.", "RFC 8461 3.2");
            }
            else if (p.MaxAge == 0)
            {
                sink.Add(
                    MailCheckId.MtaStsMaxAge,
                    "MTA-STS max_age",
                    MailCheckStatus.Fail,
                    "max_age 0 makes senders forget the policy at once.",
                    "RFC 8461 3.2");
            }
            else if (p.MaxAge < 86400)
            {
                sink.Add(
                    MailCheckId.MtaStsMaxAge,
                    "MTA-STS max_age",
                    MailCheckStatus.Warning,
                    $"max_age {p.MaxAge} is under a day; use weeks (e.g. 604800 or more).",
                    "RFC 8461 3.2");
            }

            if (p.Mx.Count == 0 && p.Mode != "none")
            {
                sink.Add(MailCheckId.MtaStsPolicySyntax, "MTA-STS mx", MailCheckStatus.Fail, "The policy lists no mx patterns.", "RFC 8461 3.2");
            }

            return p;
        }

        /// <summary>An mx pattern matches a host; "*." matches exactly one leftmost label (RFC 8461 4.1).</summary>
        public static bool Matches(string pattern, string host)
        {
            pattern = pattern.TrimEnd('.').ToLowerInvariant();
            host = host.TrimEnd('.').ToLowerInvariant();
            if (!pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                return pattern == host;
            }

            var dot = host.IndexOf('.');
            return dot > 0 && host.Substring(dot + 1) == pattern.Substring(2);
        }

        private static string Short(string s) => s.Length > 40 ? s.Substring(0, 40) + "..." : s;
    }
}
