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
    /// <summary>Keyset paging: fetches one page after the last key seen, so a list of any size holds one page in memory.</summary>
    internal sealed class PagedCursor<T> : IMailCursor<T>
    {
        private readonly Func<string, int, List<T>> _fetch;
        private readonly Func<T, string> _key;
        private readonly int _pageSize;
        private List<T> _page;
        private int _index;
        private string _last = "";
        private bool _done;

        public PagedCursor(Func<string, int, List<T>> fetch, Func<T, string> key, int pageSize)
        {
            _fetch = fetch; _key = key; _pageSize = pageSize < 1 ? 1000 : pageSize;
        }

        public T Current { get; private set; }

        public Task<bool> MoveNextAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_page == null || _index >= _page.Count)
            {
                if (_done) return Task.FromResult(false);
                _page = _fetch(_last, _pageSize);
                _index = 0;
                if (_page.Count < _pageSize) _done = true;
                if (_page.Count == 0) return Task.FromResult(false);
                _last = _key(_page[_page.Count - 1]);
            }
            Current = _page[_index++];
            return Task.FromResult(true);
        }

        public void Dispose() { _page = null; }
    }

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
                    if (n == '*' || n == '?' || n == '[' || n == ']') sb.Append('[').Append(n).Append(']');
                    else sb.Append(n);
                }
                else sb.Append(char.ToLowerInvariant(c));
            }
            return sb.ToString();
        }
    }

    /// <summary>BLF-CRYPT (bcrypt, $2b$) hashes in the form Dovecot's passdb verifies: {BLF-CRYPT}$2b$cost$...</summary>
    public static class PasswordHasher
    {
        public const string Scheme = "BLF-CRYPT";
        public const int DefaultCost = 10;
        public const int MinCost = 4;
        public const int MaxCost = 16;

        public static string Hash(SecretText password, int cost)
        {
            var salt = BCrypt.Net.BCrypt.GenerateSalt(cost, 'b');
            return "{" + Scheme + "}" + BCrypt.Net.BCrypt.HashPassword(password.Reveal(), salt);
        }

        public static bool Verify(string password, string stored)
        {
            if (stored == null || !stored.StartsWith("{" + Scheme + "}", StringComparison.Ordinal)) return false;
            return BCrypt.Net.BCrypt.Verify(password, stored.Substring(Scheme.Length + 2));
        }
    }

    /// <summary>DKIM key pairs: RSA 2048 (RFC 8301), private key as PKCS#1 PEM for OpenDKIM, public key for the p= tag.</summary>
    internal static class DkimKeys
    {
        public static (string privatePem, string publicBase64) Generate()
        {
            using (var rsa = RSA.Create(2048))
            {
                var pem = rsa.ExportRSAPrivateKeyPem() + "\n";
                var spki = rsa.ExportSubjectPublicKeyInfo();
                return (pem, Convert.ToBase64String(spki));
            }
        }
    }
}
