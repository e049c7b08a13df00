using System;
using System.Collections.Generic;
using System.Text;

namespace MailAdmin.DnsHosting
{
    /// <summary>TXT values as DNS holds them: character-strings of at most 255 octets (RFC 1035 3.3.14), and their zone-file form.</summary>
    public static class TxtStrings
    {
        public const int MaxStringOctets = 255;

        /// <summary>Splits a value into character-strings of at most <paramref name="maxOctets"/> UTF-8 octets, never inside a character.</summary>
        public static List<string> Split(string value, int maxOctets = MaxStringOctets)
        {
            var parts = new List<string>();
            if (string.IsNullOrEmpty(value))
            {
                parts.Add("");
                return parts;
            }
            var sb = new StringBuilder();
            var octets = 0;
            for (var i = 0; i < value.Length; i++)
            {
                var n = char.IsHighSurrogate(value[i]) && i + 1 < value.Length ? 2 : 1;
                var size = Encoding.UTF8.GetByteCount(value.Substring(i, n));
                if (octets + size > maxOctets)
                {
                    parts.Add(sb.ToString());
                    sb.Clear();
                    octets = 0;
                }
                sb.Append(value, i, n);
                octets += size;
                i += n - 1;
            }
            parts.Add(sb.ToString());
            return parts;
        }

        /// <summary>The zone-file (presentation) form: each string in double quotes, '"' and '\' escaped, separated by spaces.</summary>
        public static string Quote(string value, int maxOctets = MaxStringOctets)
        {
            var sb = new StringBuilder();
            foreach (var part in Split(value, maxOctets))
            {
                if (sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append('"');
                foreach (var c in part)
                {
                    if (c == '"' || c == '\\')
                    {
                        sb.Append('\\');
                    }

                    sb.Append(c);
                }
                sb.Append('"');
            }
            return sb.ToString();
        }

        /// <summary>Reads the presentation form back: quoted strings joined without separator, \X and \DDD escapes decoded. Text
        /// without quotes is returned as it is.</summary>
        public static string Unquote(string presentation)
        {
            if (presentation == null)
            {
                return null;
            }

            var s = presentation.Trim();
            if (!s.StartsWith("\"", StringComparison.Ordinal))
            {
                return s;
            }

            var bytes = new List<byte>();
            var inside = false;
            for (var i = 0; i < s.Length; i++)
            {
                var c = s[i];
                if (c == '"')
                {
                    inside = !inside;
                    continue;
                }
                if (!inside)
                {
                    continue; // the spaces between strings
                }

                if (c == '\\' && i + 1 < s.Length)
                {
                    if (i + 3 < s.Length && char.IsDigit(s[i + 1]) && char.IsDigit(s[i + 2]) && char.IsDigit(s[i + 3]))
                    {
                        bytes.Add((byte)int.Parse(s.Substring(i + 1, 3), System.Globalization.CultureInfo.InvariantCulture));
                        i += 3;
                        continue;
                    }
                    c = s[++i];
                }
                if (char.IsHighSurrogate(c) && i + 1 < s.Length)
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(s.Substring(i, 2)));
                    i++;
                    continue;
                }
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
            return Encoding.UTF8.GetString(bytes.ToArray());
        }
    }
}
