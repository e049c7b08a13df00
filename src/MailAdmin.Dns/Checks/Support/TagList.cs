using System;
using System.Collections.Generic;

namespace MailAdmin.Dns.Checks
{
    /// <summary>A "tag=value; tag=value" record (DMARC, DKIM, MTA-STS TXT, TLS-RPT, BIMI), parsed without throwing.</summary>
    public sealed class TagList
    {
        public List<KeyValuePair<string, string>> Tags { get; } = new List<KeyValuePair<string, string>>();
        public List<string> Errors { get; } = new List<string>();
        public List<string> Duplicates { get; } = new List<string>();

        public string this[string name]
        {
            get
            {
                foreach (var t in Tags)
                {
                    if (string.Equals(t.Key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return t.Value;
                    }
                }

                return null;
            }
        }

        public bool Has(string name) => this[name] != null;

        public static TagList Parse(string text)
        {
            var list = new TagList();
            if (text == null)
            {
                list.Errors.Add("empty record");
                return list;
            }
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var pos = 0;
            foreach (var raw in text.Split(';'))
            {
                var part = raw.Trim(' ', '\t', '\r', '\n');
                pos += raw.Length + 1;
                if (part.Length == 0)
                {
                    continue;
                }

                var eq = part.IndexOf('=');
                if (eq <= 0)
                {
                    list.Errors.Add($"'{part}' (ending at position {pos - 1}) is not tag=value");
                    continue;
                }
                var name = part.Substring(0, eq).Trim(' ', '\t');
                var value = part.Substring(eq + 1).Trim(' ', '\t');
                var valid = name.Length > 0 && char.IsLetter(name[0]);
                foreach (var c in name)
                {
                    if (!(char.IsLetterOrDigit(c) || c == '_'))
                    {
                        valid = false;
                    }
                }

                if (!valid)
                {
                    list.Errors.Add($"'{name}' is not a valid tag name");
                    continue;
                }
                if (!seen.Add(name))
                {
                    list.Duplicates.Add(name);
                }

                list.Tags.Add(new KeyValuePair<string, string>(name, value));
            }
            return list;
        }
    }
}
