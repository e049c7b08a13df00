using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;

namespace MailAdmin.Providers.Local
{
    using static LocalLookups;
    using static LocalMailboxStore;
    using static LocalDomainStore;

    /// <summary>App passwords: random secrets stored as Dovecot {SSHA256} hashes, one slot (passdb) each.</summary>
    internal sealed class LocalAppPasswordStore : LocalStorePart
    {
        internal LocalAppPasswordStore(LocalStore s) : base(s)
        {
        }
        /// <summary>Dovecot's SSHA256: base64(SHA-256(password + salt) + salt). A fast hash is enough: the secret is 128+ random bits.</summary>
        internal static string Ssha256(string password)
        {
            var salt = new byte[16];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(salt);
            }

            var pw = Encoding.UTF8.GetBytes(password);
            byte[] digest;
            using (var sha = SHA256.Create())
            {
                digest = sha.ComputeHash(pw.Concat(salt).ToArray());
            }

            return "{SSHA256}" + Convert.ToBase64String(digest.Concat(salt).ToArray());
        }

        public Task<(MailAppPassword info, SecretText secret)> CreateAppPasswordAsync(string mailbox, string name, CancellationToken ct)
        {
            var n = name?.Trim();
            if (string.IsNullOrEmpty(n) || n.Length > 64 || n.Any(char.IsControl))
            {
                throw MailAdminException.Invalid(
                    "InvalidAppPasswordName", $"The app password name '{name}' must be 1 to 64 characters without control characters (e.g. 'Phone' or "
                        + $"'Thunderbird at home').", name);
            }

            var secret = Passwords.Generate(20);
            var hash = Ssha256(secret.Reveal());
            var info = _db.Write((c, tx) =>
            {
                var m = ResolveMailbox(c, tx, mailbox);
                LocalMailboxStore.RequireNotShared(c, tx, m, "app password");
                if (LocalDatabase.Scalar(c, tx, "SELECT 1 FROM secret.app_password WHERE mailbox = $m AND name = $n", ("$m", m), ("$n", n)) != null)
                {
                    throw MailAdminException.Exists("AppPasswordExists", $"{m} already has an app password named '{n}'; remove it first to replace it.", n);
                }

                var used = LocalDatabase.Query(c, tx, "SELECT slot FROM secret.app_password WHERE mailbox = $m", r => r.GetInt32(0), ("$m", m));
                var slot = Enumerable.Range(1, ServerConfigWriter.AppPasswordSlots).Where(s => !used.Contains(s)).DefaultIfEmpty(0).First();
                if (slot == 0)
                    throw new MailAdminException(MailErrorKind.LimitsExceeded, "TooManyAppPasswords",
                        $"{m} already has {ServerConfigWriter.AppPasswordSlots} app passwords, the most Dovecot is configured for; remove one it no longer "
                            + $"uses (Get-MailAppPassword).", m)
                    { Provider = Name };
                var now = DateTime.UtcNow;
                LocalDatabase.Exec(c, tx, "INSERT INTO secret.app_password(mailbox, slot, name, hash, created_at) VALUES($m, $s, $n, $h, $t)",
                    ("$m", m), ("$s", slot), ("$n", n), ("$h", hash), ("$t", now.ToString("o", CultureInfo.InvariantCulture)));
                return new MailAppPassword { Mailbox = m, Name = n, CreatedAt = now, Provider = Name };
            });
            return Task.FromResult((info, secret));
        }

        public Task<IReadOnlyList<MailAppPassword>> GetAppPasswordsAsync(string mailbox, CancellationToken ct)
            => Task.FromResult<IReadOnlyList<MailAppPassword>>(_db.Read(c =>
            {
                var m = ResolveMailbox(c, null, mailbox);
                return LocalDatabase.Query(c, null, "SELECT name, created_at FROM secret.app_password WHERE mailbox = $m ORDER BY created_at, name",
                    r => new MailAppPassword { Mailbox = m, Name = r.GetString(0), CreatedAt = LocalDatabase.ParseTime(r.GetString(1)), Provider = Name },
                        ("$m", m));
            }));

        public Task RemoveAppPasswordAsync(string mailbox, string name, CancellationToken ct)
        {
            _db.Write((c, tx) =>
            {
                var m = ResolveMailbox(c, tx, mailbox);
                if (LocalDatabase.Exec(c, tx, "DELETE FROM secret.app_password WHERE mailbox = $m AND name = $n", ("$m", m), ("$n", name?.Trim())) == 0)
                {
                    throw new MailAdminException(
                        MailErrorKind.ObjectNotFound, "AppPasswordNotFound", $"{m} has no app password named '{name}'.", name) { Provider = Name };
                }

                return 0;
            });
            return Task.CompletedTask;
        }
    }
}
