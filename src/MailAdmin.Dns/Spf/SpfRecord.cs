using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MailAdmin.Dns.Spf
{
    /// <summary>A parsed SPF record (RFC 7208 4.6, 5, 6, 7). Parse never throws anything but SpfSyntaxException.</summary>
    public sealed class SpfRecord
    {
        private static readonly Regex ModifierName = new Regex("^[A-Za-z][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex TopLabel = new Regex(
            "^([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])$",
            RegexOptions.CultureInvariant);

        public string Text { get; private set; }
        public IReadOnlyList<SpfTerm> Terms { get; private set; }
        public SpfTerm Redirect { get; private set; }
        public SpfTerm Exp { get; private set; }

        /// <summary>True when a TXT string is an SPF version 1 record (exactly "v=spf1" or "v=spf1 ..."; RFC 7208 4.5).</summary>
        public static bool IsSpf1(string txt)
            => txt != null && txt.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (txt.Length == 6 || txt[6] == ' ');

        public static SpfRecord Parse(string text)
        {
            if (!IsSpf1(text))
            {
                throw new SpfSyntaxException("The record does not start with 'v=spf1'.", 1);
            }

            for (var i = 0; i < text.Length; i++)
            {
                var ch = text[i];
                if (ch < 0x20 || ch > 0x7E)
                {
                    throw new SpfSyntaxException(
                        $"Character 0x{(int)ch:X2} at position {i + 1} is not allowed: SPF records are printable 7-bit ASCII (RFC 7208 3.1, 4.6.1).",
                        i + 1);
                }
            }
            var terms = new List<SpfTerm>();
            var record = new SpfRecord { Text = text };
            var pos = 6;
            while (pos < text.Length)
            {
                if (text[pos] == ' ')
                {
                    pos++;
                    continue;
                }
                var end = text.IndexOf(' ', pos);
                if (end < 0)
                {
                    end = text.Length;
                }

                var token = text.Substring(pos, end - pos);
                var term = ParseTerm(token, pos + 1);
                if (term.Kind == SpfTermKind.Redirect)
                {
                    if (record.Redirect != null)
                    {
                        throw new SpfSyntaxException("The redirect modifier appears more than once (RFC 7208 6).", pos + 1, true);
                    }

                    record.Redirect = term;
                }
                else if (term.Kind == SpfTermKind.Exp)
                {
                    if (record.Exp != null)
                    {
                        throw new SpfSyntaxException("The exp modifier appears more than once (RFC 7208 6).", pos + 1, true);
                    }

                    record.Exp = term;
                }
                terms.Add(term);
                pos = end;
            }
            record.Terms = terms;
            return record;
        }

        private static SpfTerm ParseTerm(string token, int position)
        {
            var eq = token.IndexOf('=');
            var colon = token.IndexOf(':');
            var slash = token.IndexOf('/');
            if (eq > 0 && (colon < 0 || eq < colon) && (slash < 0 || eq < slash) && ModifierName.IsMatch(token.Substring(0, eq)))
            {
                var name = token.Substring(0, eq);
                var value = token.Substring(eq + 1);
                var term = new SpfTerm { Text = token, Position = position, ModifierName = name, DomainSpec = value };
                switch (name.ToLowerInvariant())
                {
                    case "redirect":
                        term.Kind = SpfTermKind.Redirect;
                        ValidateDomainSpec(value, position, "redirect");
                        break;
                    case "exp":
                        term.Kind = SpfTermKind.Exp;
                        ValidateDomainSpec(value, position, "exp");
                        break;
                    default:
                        term.Kind = SpfTermKind.Unknown;
                        SpfMacro.Validate(value, position, allowExpLetters: false);
                        break;
                }
                return term;
            }

            var t = new SpfTerm { Text = token, Position = position };
            var body = token;
            if (body.Length > 0 && "+-~?".IndexOf(body[0]) >= 0)
            {
                t.Qualifier = body[0];
                body = body.Substring(1);
            }
            var nameEnd = 0;
            while (nameEnd < body.Length && (char.IsLetterOrDigit(body[nameEnd]) || body[nameEnd] == '-' || body[nameEnd] == '_' || body[nameEnd] == '.'))
            {
                nameEnd++;
            }

            var mech = body.Substring(0, nameEnd).ToLowerInvariant();
            var rest = body.Substring(nameEnd);
            switch (mech)
            {
                case "all":
                    t.Kind = SpfTermKind.All;
                    if (rest.Length > 0)
                    {
                        throw Bad(token, position, "'all' takes no argument");
                    }

                    break;
                case "include":
                case "exists":
                    t.Kind = mech == "include" ? SpfTermKind.Include : SpfTermKind.Exists;
                    t.DomainSpec = DomainArgument(rest, token, position, mech, $"'{mech}' needs ':domain'");
                    break;
                case "a":
                case "mx":
                    t.Kind = mech == "a" ? SpfTermKind.A : SpfTermKind.Mx;
                    ParseDomainAndCidr(t, rest, token, position, mech);
                    break;
                case "ptr":
                    t.Kind = SpfTermKind.Ptr;
                    if (rest.Length > 0)
                    {
                        t.DomainSpec = DomainArgument(rest, token, position, mech, "'ptr' takes only ':domain'");
                    }

                    break;
                case "ip4":
                case "ip6":
                    t.Kind = mech == "ip4" ? SpfTermKind.Ip4 : SpfTermKind.Ip6;
                    ParseIp(t, rest, token, position, mech == "ip6");
                    break;
                default:
                    throw Bad(
                        token,
                        position,
                        $"'{(mech.Length > 0 ? mech : token)}' is not an SPF mechanism (all, include, a, mx, ptr, ip4, ip6, exists) and not a modifier "
                        + "(name=value)");
            }
            return t;
        }

        /// <summary>The ":domain-spec" argument of a mechanism, validated.</summary>
        private static string DomainArgument(string rest, string token, int position, string mech, string why)
        {
            if (!rest.StartsWith(":", StringComparison.Ordinal) || rest.Length == 1)
            {
                throw Bad(token, position, why);
            }

            var spec = rest.Substring(1);
            ValidateDomainSpec(spec, position, mech);
            return spec;
        }

        private static SpfSyntaxException Bad(string token, int position, string why)
            => new SpfSyntaxException($"'{token}' at position {position}: {why} (RFC 7208 5).", position);

        private static void ParseDomainAndCidr(SpfTerm t, string rest, string token, int position, string mech)
        {
            string spec = null, cidr = rest;
            if (rest.StartsWith(":", StringComparison.Ordinal))
            {
                // The dual-cidr-length is what ends the argument; anything else (even '/' or ':') is domain-spec (RFC 7208 5.3, 7.1).
                var m0 = Regex.Match(rest, "^:(?<spec>.*?)(?<cidr>(?:/[0-9]+)?(?://[0-9]+)?)$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
                spec = m0.Groups["spec"].Value;
                cidr = m0.Groups["cidr"].Value;
                if (spec.Length == 0)
                {
                    throw Bad(token, position, $"'{mech}:' has an empty domain");
                }

                ValidateDomainSpec(spec, position, mech);
            }
            t.DomainSpec = spec;
            if (cidr.Length == 0)
            {
                return;
            }

            var m = Regex.Match(cidr, "^(?:/([0-9]+))?(?://([0-9]+))?$", RegexOptions.CultureInvariant);
            if (!m.Success || cidr == "")
            {
                throw Bad(token, position, "the prefix length must be /n (IPv4) and/or //n (IPv6)");
            }

            if (m.Groups[1].Success)
            {
                t.Cidr4 = CidrLength(m.Groups[1].Value, 32, token, position);
            }

            if (m.Groups[2].Success)
            {
                t.Cidr6 = CidrLength(m.Groups[2].Value, 128, token, position);
            }
        }

        private static int CidrLength(string digits, int max, string token, int position)
        {
            foreach (var c in digits)
            {
                if (c < '0' || c > '9')
                {
                    throw Bad(token, position, $"'{digits}' is not a prefix length (digits only)");
                }
            }

            if (digits.Length > 1 && digits[0] == '0')
            {
                throw Bad(token, position, $"prefix length '{digits}' has a leading zero");
            }

            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > max)
            {
                throw Bad(token, position, $"prefix length {digits} is over {max}");
            }

            return n;
        }

        private static void ParseIp(SpfTerm t, string rest, string token, int position, bool v6)
        {
            if (!rest.StartsWith(":", StringComparison.Ordinal) || rest.Length == 1)
            {
                throw Bad(token, position, $"'{(v6 ? "ip6" : "ip4")}' needs an address");
            }

            var value = rest.Substring(1);
            string addr = value;
            string len = null;
            var slash = value.IndexOf('/');
            if (slash >= 0)
            {
                addr = value.Substring(0, slash);
                len = value.Substring(slash + 1);
            }
            if (v6)
            {
                if (!IPAddress.TryParse(addr, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6 || addr.IndexOf('%') >= 0
                    || addr.IndexOf(':') < 0)
                {
                    throw Bad(token, position, $"'{addr}' is not an IPv6 address");
                }

                t.Network = ip;
                if (len != null)
                {
                    t.Cidr6 = CidrLength(len, 128, token, position);
                }
            }
            else
            {
                if (!TryParseIPv4Strict(addr, out var ip))
                {
                    throw Bad(token, position, $"'{addr}' is not a dotted-quad IPv4 address");
                }

                t.Network = ip;
                if (len != null)
                {
                    t.Cidr4 = CidrLength(len, 32, token, position);
                }
            }
        }

        internal static bool TryParseIPv4Strict(string s, out IPAddress ip)
        {
            ip = null;
            var parts = s.Split('.');
            if (parts.Length != 4)
            {
                return false;
            }

            var bytes = new byte[4];
            for (var i = 0; i < 4; i++)
            {
                if (parts[i].Length == 0 || parts[i].Length > 3)
                {
                    return false;
                }

                foreach (var c in parts[i])
                {
                    if (c < '0' || c > '9')
                    {
                        return false;
                    }
                }

                var v = int.Parse(parts[i], CultureInfo.InvariantCulture);
                if (v > 255)
                {
                    return false;
                }

                bytes[i] = (byte)v;
            }
            ip = new IPAddress(bytes);
            return true;
        }

        /// <summary>domain-spec = macro-string domain-end; domain-end = ("." toplabel ["."]) / macro-expand (RFC 7208 7.1).</summary>
        private static void ValidateDomainSpec(string spec, int position, string where)
        {
            if (string.IsNullOrEmpty(spec))
            {
                throw new SpfSyntaxException($"'{where}' at position {position} needs a domain (RFC 7208 7.1).", position);
            }

            SpfMacro.Validate(spec, position, allowExpLetters: false);
            if (spec.EndsWith("}", StringComparison.Ordinal) && SpfMacro.EndsWithMacroExpand(spec))
            {
                return;
            }

            var s = spec.EndsWith(".", StringComparison.Ordinal) ? spec.Substring(0, spec.Length - 1) : spec;
            var dot = s.LastIndexOf('.');
            if (dot < 0)
            {
                throw new SpfSyntaxException(
                    $"'{spec}' in '{where}' at position {position} is not a domain: it must end in a macro or in '.' and a top-level label (RFC 7208 7.1).",
                    position);
            }

            var top = s.Substring(dot + 1);
            if (!TopLabel.IsMatch(top))
            {
                throw new SpfSyntaxException(
                    $"'{spec}' in '{where}' at position {position} ends in '{top}', which is not a valid top-level label (letters, digits and inner "
                    + "hyphens, not all digits; RFC 7208 7.1).",
                    position);
            }
        }
    }
}
