using System;
using System.Security.Cryptography;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>PowerShell-style wildcards (* ? [a-z], backtick escapes) to SQLite GLOB over lower-case text.</summary>
    internal static class Glob
    {
        public static bool HasWildcard(string s) => s != null && s.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

        public static string ToGlob(string pattern)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == '`' && i + 1 < pattern.Length)
                {
                    var n = pattern[++i];
                    if (n == '*' || n == '?' || n == '[' || n == ']')
                    {
                        sb.Append('[').Append(n).Append(']');
                    }
                    else
                    {
                        sb.Append(n);
                    }
                }
                else sb.Append(char.ToLowerInvariant(c));
            }
            return sb.ToString();
        }
    }
}
