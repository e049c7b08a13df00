using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailAdmin.Dns.Spf
{
    /// <summary>Macro-string syntax and expansion (RFC 7208 7).</summary>
    public static class SpfMacro
    {
        private const string Letters = "slodiphcrtv";
        private const string Delimiters = ".-+,/_=";

        /// <summary>Throws SpfSyntaxException when the macro-string is malformed; c, r and t only in exp text.</summary>
        public static void Validate(string s, int position, bool allowExpLetters)
        {
            for (var i = 0; i < s.Length; i++)
            {
                if (s[i] != '%')
                {
                    continue;
                }

                if (i + 1 >= s.Length)
                {
                    throw new SpfSyntaxException($"'{s}': a '%' at its end must be followed by '{{', '%', '_' or '-' (RFC 7208 7.1).", position);
                }

                var n = s[i + 1];
                if (n == '%' || n == '_' || n == '-')
                {
                    i++;
                    continue;
                }
                if (n != '{')
                {
                    throw new SpfSyntaxException($"'{s}': '%{n}' is not a macro; '%' must be followed by '{{', '%', '_' or '-' (RFC 7208 7.1).", position);
                }

                var close = s.IndexOf('}', i + 2);
                if (close < 0)
                {
                    throw new SpfSyntaxException($"'{s}': a macro '%{{' is not closed with '}}' (RFC 7208 7.1).", position);
                }

                ParseExpand(s.Substring(i + 2, close - i - 2), s, position, allowExpLetters);
                i = close;
            }
        }

        internal static bool EndsWithMacroExpand(string s)
        {
            if (!s.EndsWith("}", StringComparison.Ordinal))
            {
                return false;
            }

            var open = s.LastIndexOf("%{", StringComparison.Ordinal);
            if (open < 0)
            {
                return false;
            }
            // the '%' must not itself be escaped (%%{...} is a literal '%' then text)
            var percents = 0;
            for (var j = open; j >= 0 && s[j] == '%'; j--)
            {
                percents++;
            }

            return percents % 2 == 1;
        }

        private static (char letter, int digits, bool reverse, string delims) ParseExpand(string inner, string whole, int position, bool allowExpLetters)
        {
            if (inner.Length == 0)
            {
                throw new SpfSyntaxException($"'{whole}': an empty macro '%{{}}' (RFC 7208 7.1).", position);
            }

            var letter = inner[0];
            var lower = char.ToLowerInvariant(letter);
            if (Letters.IndexOf(lower) < 0)
            {
                throw new SpfSyntaxException($"'{whole}': '{letter}' is not a macro letter (s l o d i p h c r t v; RFC 7208 7.2).", position);
            }

            if (!allowExpLetters && (lower == 'c' || lower == 'r' || lower == 't'))
            {
                throw new SpfSyntaxException($"'{whole}': the macro letter '{letter}' is allowed only in exp text (RFC 7208 7.2).", position);
            }

            var i = 1;
            var start = i;
            while (i < inner.Length && char.IsDigit(inner[i]))
            {
                i++;
            }

            var digits = 0;
            if (i > start)
            {
                digits = int.Parse(inner.Substring(start, Math.Min(i - start, 9)), CultureInfo.InvariantCulture);
                if (digits == 0)
                {
                    throw new SpfSyntaxException($"'{whole}': a macro's part count must be at least 1 (RFC 7208 7.3).", position);
                }
            }
            var reverse = false;
            if (i < inner.Length && (inner[i] == 'r' || inner[i] == 'R'))
            {
                reverse = true;
                i++;
            }
            var delims = inner.Substring(i);
            foreach (var d in delims)
            {
                if (Delimiters.IndexOf(d) < 0)
                {
                    throw new SpfSyntaxException($"'{whole}': '{d}' is not a macro delimiter (. - + , / _ =; RFC 7208 7.1).", position);
                }
            }

            return (letter, digits, reverse, delims);
        }

        /// <summary>Expands a validated macro-string.</summary>
        public static string Expand(string s, SpfMacroContext ctx, bool isExp)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < s.Length; i++)
            {
                var ch = s[i];
                if (ch != '%')
                {
                    sb.Append(ch);
                    continue;
                }
                var n = s[++i];
                if (n == '%')
                {
                    sb.Append('%');
                    continue;
                }
                if (n == '_')
                {
                    sb.Append(' ');
                    continue;
                }
                if (n == '-')
                {
                    sb.Append("%20");
                    continue;
                }
                var close = s.IndexOf('}', i + 1);
                var (letter, digits, reverse, delims) = ParseExpand(s.Substring(i + 1, close - i - 1), s, 0, isExp);
                i = close;
                var value = Value(char.ToLowerInvariant(letter), ctx);
                var parts = new List<string>(value.Split((delims.Length == 0 ? "." : delims).ToCharArray()));
                if (reverse)
                {
                    parts.Reverse();
                }

                if (digits > 0 && digits < parts.Count)
                {
                    parts = parts.GetRange(parts.Count - digits, digits);
                }

                var expanded = string.Join(".", parts);
                if (char.IsUpper(letter))
                {
                    expanded = UrlEscape(expanded);
                }

                sb.Append(expanded);
            }
            return sb.ToString();
        }

        /// <summary>Expands a domain-spec and makes it a query name: no trailing dot, at most 253 characters (left labels dropped; RFC 7208 7.3).</summary>
        public static string ExpandDomain(string spec, SpfMacroContext ctx)
        {
            var d = Expand(spec, ctx, false);
            if (d.EndsWith(".", StringComparison.Ordinal))
            {
                d = d.Substring(0, d.Length - 1);
            }

            while (d.Length > 253)
            {
                var dot = d.IndexOf('.');
                if (dot < 0)
                {
                    break;
                }

                d = d.Substring(dot + 1);
            }
            return d;
        }

        public static bool UsesValidatedName(string s) => s != null && (
            s.IndexOf("%{p", StringComparison.Ordinal) >= 0 || s.IndexOf("%{P", StringComparison.Ordinal) >= 0);

        private static string Value(char letter, SpfMacroContext ctx)
        {
            switch (letter)
            {
                case 's': return ctx.Sender ?? "";
                case 'l': return ctx.LocalPart ?? "";
                case 'o': return ctx.SenderDomain ?? "";
                case 'd': return ctx.Domain ?? "";
                case 'i': return DottedIp(ctx.Ip);
                case 'p': return string.IsNullOrEmpty(ctx.ValidatedName) ? "unknown" : ctx.ValidatedName;
                case 'v': return ctx.Ip != null && ctx.Ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr";
                case 'h': return ctx.Helo ?? "";
                case 'c': return ctx.Ip?.ToString() ?? "";
                case 'r': return string.IsNullOrEmpty(ctx.ReceiverDomain) ? "unknown" : ctx.ReceiverDomain;
                case 't': return ctx.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                default: return "";
            }
        }

        /// <summary>IPv4 as dotted quad; IPv6 as 32 dot-separated nibbles (RFC 7208 7.3).</summary>
        public static string DottedIp(IPAddress ip)
        {
            if (ip == null)
            {
                return "";
            }

            if (ip.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return ip.ToString();
            }

            var b = ip.GetAddressBytes();
            var sb = new StringBuilder(63);
            foreach (var x in b)
            {
                if (sb.Length > 0)
                {
                    sb.Append('.');
                }

                sb.Append("0123456789abcdef"[x >> 4]).Append('.').Append("0123456789abcdef"[x & 15]);
            }
            return sb.ToString();
        }

        private static string UrlEscape(string s)
        {
            var sb = new StringBuilder();
            foreach (var b in Encoding.UTF8.GetBytes(s))
            {
                var c = (char)b;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~')
                {
                    sb.Append(c);
                }
                else
                {
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
            return sb.ToString();
        }
    }
}
