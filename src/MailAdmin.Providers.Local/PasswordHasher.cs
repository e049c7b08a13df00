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
            if (stored == null || !stored.StartsWith("{" + Scheme + "}", StringComparison.Ordinal))
            {
                return false;
            }

            return BCrypt.Net.BCrypt.Verify(password, stored.Substring(Scheme.Length + 2));
        }
    }
}
