using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;
using System.Data.Common;
using Newtonsoft.Json;

namespace MailAdmin.Providers.Local
{
    using static LocalLookups;
    using static LocalMailboxStore;
    using static LocalDomainStore;

    /// <summary>The security policy: store-wide settings and per-mailbox overrides.</summary>
    internal sealed class LocalSecurityStore : LocalStorePart
    {
        internal LocalSecurityStore(LocalStore s) : base(s)
        {
        }
        private const string RequireComplexityKey = "require_complexity";
        private const string PasswordMaxAgeKey = "password_max_age_days";
        private const string SpamLevelKey = "spam_filter_level";
        private const string ForceSecureLoginKey = "force_secure_login";
        internal const SpamFilterLevel DefaultSpamLevel = SpamFilterLevel.Medium;

        // ---------------------------------------------------------------- security policy

        private static SpamFilterLevel ParseLevel(string s, SpamFilterLevel fallback)
            => s != null && Enum.TryParse<SpamFilterLevel>(s, out var l) ? l : fallback;

        /// <summary>What setting a password needs (the store's rules, or with a mailbox its overrides): three small reads, as
        /// New-Mailbox asks for them once per mailbox of a bulk import.</summary>
        internal (int minLength, bool complexity, int cost) PasswordRules(DbConnection c, DbTransaction tx, string mailbox)
        {
            var min = GetIntSetting(c, tx, MinPasswordLengthKey, Passwords.DefaultMinLength);
            var complexity = GetIntSetting(c, tx, RequireComplexityKey, 0) != 0;
            var cost = GetIntSetting(c, tx, PasswordHashCostKey, PasswordHasher.DefaultCost);
            if (mailbox != null)
                using (var cmd = LocalDatabase.Command(
                    c, tx, "SELECT min_password_length, require_complexity FROM mailbox_policy WHERE mailbox = $m", ("$m", mailbox)))
                using (var r = cmd.ExecuteReader())
                    if (r.Read())
                    {
                        if (!r.IsDBNull(0))
                        {
                            min = r.GetInt32(0);
                        }

                        if (!r.IsDBNull(1))
                        {
                            complexity = r.GetInt64(1) != 0;
                        }
                    }
            return (min, complexity, cost);
        }

        internal MailSecurityPolicy ReadPolicy(DbConnection c, DbTransaction tx)
        {
            var (min, complexity, cost) = PasswordRules(c, tx, null);
            var filters = LocalDatabase.Query(c, tx, "SELECT entry, action FROM sender_filter ORDER BY entry", r => (r.GetString(0), r.GetString(1)));
            return new MailSecurityPolicy
            {
                Mailbox = "",
                MinPasswordLength = min,
                RequireComplexity = complexity,
                PasswordMaxAgeDays = GetIntSetting(c, tx, PasswordMaxAgeKey, 0),
                SpamFilterLevel = ParseLevel(
                    LocalDatabase.Scalar(c, tx, "SELECT value FROM settings WHERE name = $n", ("$n", SpamLevelKey)) as string, DefaultSpamLevel),
                ForceSecureLogin = GetIntSetting(c, tx, ForceSecureLoginKey, 0) != 0,
                // Dovecot (disable_plaintext_auth) and Postfix (smtpd_tls_auth_only) take no password without TLS, except on loopback
                RequireTls = true,
                BlockedSenders = filters.Where(f => f.Item2 == "Block").Select(f => f.Item1).ToArray(),
                AllowedSenders = filters.Where(f => f.Item2 == "Allow").Select(f => f.Item1).ToArray(),
                PasswordHashCost = cost,
                PasswordScheme = PasswordHasher.Scheme,
                Provider = Name,
            };
        }

        /// <summary>The policy in effect for a mailbox: its overrides over the store's; sender lists are the store's and its own.</summary>
        internal MailSecurityPolicy EffectivePolicy(DbConnection c, DbTransaction tx, string mailbox)
        {
            var p = ReadPolicy(c, tx);
            p.Mailbox = mailbox;
            var overrides = new List<string>();
            using (var cmd = LocalDatabase.Command(
                c, tx, "SELECT min_password_length, require_complexity, password_max_age_days, spam_filter_level FROM mailbox_policy WHERE mailbox = $m",
                ("$m", mailbox)))
            using (var r = cmd.ExecuteReader())
                if (r.Read())
                {
                    if (!r.IsDBNull(0))
                    {
                        p.MinPasswordLength = r.GetInt32(0);
                        overrides.Add(nameof(p.MinPasswordLength));
                    }
                    if (!r.IsDBNull(1))
                    {
                        p.RequireComplexity = r.GetInt64(1) != 0;
                        overrides.Add(nameof(p.RequireComplexity));
                    }
                    if (!r.IsDBNull(2))
                    {
                        p.PasswordMaxAgeDays = r.GetInt32(2);
                        overrides.Add(nameof(p.PasswordMaxAgeDays));
                    }
                    if (!r.IsDBNull(3))
                    {
                        p.SpamFilterLevel = ParseLevel(r.GetString(3), p.SpamFilterLevel ?? DefaultSpamLevel);
                        overrides.Add(nameof(p.SpamFilterLevel));
                    }
                }
            if (Convert.ToInt64(
                LocalDatabase.Scalar(c, tx, "SELECT force_secure_login FROM mailbox WHERE username = $m", ("$m", mailbox)) ?? 0L,
                CultureInfo.InvariantCulture) != 0)
            {
                p.ForceSecureLogin = true;
                overrides.Add(nameof(p.ForceSecureLogin));
            }
            var own = LocalDatabase.Query(
                c, tx, "SELECT entry, action FROM mailbox_sender_filter WHERE mailbox = $m ORDER BY entry", r => (r.GetString(0), r.GetString(1)),
                ("$m", mailbox));
            if (own.Any(f => f.Item2 == "Block"))
            {
                overrides.Add(nameof(p.BlockedSenders));
            }

            if (own.Any(f => f.Item2 == "Allow"))
            {
                overrides.Add(nameof(p.AllowedSenders));
            }

            p.BlockedSenders = p.BlockedSenders.Concat(own.Where(f => f.Item2 == "Block").Select(f => f.Item1)).Distinct().ToArray();
            p.AllowedSenders = p.AllowedSenders.Concat(own.Where(f => f.Item2 == "Allow").Select(f => f.Item1)).Distinct().ToArray();
            p.Overrides = overrides.ToArray();
            return p;
        }

        public Task<MailSecurityPolicy> GetSecurityPolicyAsync(string mailbox, CancellationToken ct)
            => Task.FromResult(_db.Read(c => mailbox == null ? ReadPolicy(c, null) : EffectivePolicy(c, null, ResolveMailbox(c, null, mailbox))));

        /// <summary>Checks and normalizes sender entries: an address (a@b.com) or a domain (b.com).</summary>
        private static string[] SenderEntries(string[] entries, string parameter)
        {
            var list = new List<string>();
            foreach (var raw in entries ?? new string[0])
                foreach (var e in (raw ?? "").Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    var v = e.Trim().TrimStart('@');
                    if (v.Contains("@"))
                    {
                        if (!MailNames.TryNormalizeAddress(v, out var a))
                        {
                            throw MailAdminException.Invalid("InvalidSender", $"{parameter} '{e}' is neither an address (a@b.com) nor a domain (b.com).", e);
                        }

                        list.Add(a);
                    }
                    else
                    {
                        try
                        {
                            list.Add(MailNames.NormalizeDomain(v));
                        }
                        catch (MailAdminException)
                        {
                            throw MailAdminException.Invalid("InvalidSender", $"{parameter} '{e}' is neither an address (a@b.com) nor a domain (b.com).", e);
                        }
                    }
                }
            return list.Distinct(StringComparer.Ordinal).ToArray();
        }

        private static readonly string[] ResettableSettings =
        {
            "MinPasswordLength", "RequireComplexity", "PasswordMaxAgeDays", "SpamFilterLevel", "BlockedSenders", "AllowedSenders",
        };

        public Task<MailSecurityPolicy> SetSecurityPolicyAsync(string mailbox, MailSecurityPolicyUpdate u, CancellationToken ct)
        {
            if (u.MinPasswordLength.HasValue && (u.MinPasswordLength < 1 || u.MinPasswordLength > Passwords.MaxLength))
            {
                throw MailAdminException.Invalid(
                    "InvalidMinPasswordLength", $"MinPasswordLength {u.MinPasswordLength} is out of range: use 1 to {Passwords.MaxLength}.",
                        u.MinPasswordLength);
            }

            if (u.PasswordHashCost.HasValue && (u.PasswordHashCost < PasswordHasher.MinCost || u.PasswordHashCost > PasswordHasher.MaxCost))
            {
                throw MailAdminException.Invalid(
                    "InvalidPasswordHashCost", $"PasswordHashCost {u.PasswordHashCost} is out of range: bcrypt cost must be {PasswordHasher.MinCost} to "
                        + $"{PasswordHasher.MaxCost} (each step doubles the work).", u.PasswordHashCost);
            }

            if (u.PasswordMaxAgeDays.HasValue && (u.PasswordMaxAgeDays < 0 || u.PasswordMaxAgeDays > 3650))
            {
                throw MailAdminException.Invalid(
                    "InvalidPasswordMaxAge", $"PasswordMaxAgeDays {u.PasswordMaxAgeDays} is out of range: use 1 to 3650 days, or 0 for passwords that do not "
                        + $"expire.", u.PasswordMaxAgeDays);
            }

            if (u.RequireTls == false)
                throw new MailAdminException(MailErrorKind.NotSupported, "RequireTlsFixed",
                    "The Local provider always requires TLS for client logins (Dovecot's disable_plaintext_auth, Postfix's smtpd_tls_auth_only); it cannot be "
                        + "switched off.", null)
                { Provider = Name };
            var blocked = u.BlockedSenders == null ? null : SenderEntries(u.BlockedSenders, "BlockedSenders");
            var allowed = u.AllowedSenders == null ? null : SenderEntries(u.AllowedSenders, "AllowedSenders");
            var both = blocked != null && allowed != null ? blocked.Intersect(allowed).FirstOrDefault() : null;
            if (both != null)
            {
                throw MailAdminException.Invalid("SenderBlockedAndAllowed", $"'{both}' is in both BlockedSenders and AllowedSenders.", both);
            }

            foreach (var r in u.Reset ?? new string[0])
                if (!ResettableSettings.Contains(r, StringComparer.OrdinalIgnoreCase))
                {
                    throw MailAdminException.Invalid(
                        "InvalidReset", $"-Reset '{r}' is not a setting a mailbox overrides; use {string.Join(", ", ResettableSettings)}.", r);
                }

            if (mailbox == null)
            {
                if (u.Reset?.Length > 0)
                {
                    throw MailAdminException.Invalid("ResetNeedsMailbox", "-Reset drops a mailbox's overrides; give -Mailbox.", null);
                }

                var policy = _db.Write((c, tx) =>
                {
                    var ci = CultureInfo.InvariantCulture;
                    if (u.MinPasswordLength.HasValue)
                    {
                        SetSetting(c, tx, MinPasswordLengthKey, u.MinPasswordLength.Value.ToString(ci));
                    }

                    if (u.PasswordHashCost.HasValue)
                    {
                        SetSetting(c, tx, PasswordHashCostKey, u.PasswordHashCost.Value.ToString(ci));
                    }

                    if (u.RequireComplexity.HasValue)
                    {
                        SetSetting(c, tx, RequireComplexityKey, u.RequireComplexity.Value ? "1" : "0");
                    }

                    if (u.PasswordMaxAgeDays.HasValue)
                    {
                        SetSetting(c, tx, PasswordMaxAgeKey, u.PasswordMaxAgeDays.Value.ToString(ci));
                    }

                    if (u.SpamFilterLevel.HasValue)
                    {
                        SetSetting(c, tx, SpamLevelKey, u.SpamFilterLevel.Value.ToString());
                    }

                    if (u.ForceSecureLogin.HasValue)
                    {
                        SetSetting(c, tx, ForceSecureLoginKey, u.ForceSecureLogin.Value ? "1" : "0");
                    }

                    foreach (var (list, action) in new[] { (blocked, "Block"), (allowed, "Allow") })
                    {
                        if (list == null)
                        {
                            continue;
                        }

                        LocalDatabase.Exec(c, tx, "DELETE FROM sender_filter WHERE action = $a", ("$a", action));
                        foreach (var e in list)
                        {
                            LocalDatabase.Exec(
                                c, tx, "INSERT INTO sender_filter(entry, action) VALUES($e, $a) ON CONFLICT(entry) DO UPDATE SET action = excluded.action",
                                ("$e", e), ("$a", action));
                        }
                    }
                    return ReadPolicy(c, tx);
                });
                if (u.SpamFilterLevel.HasValue)
                {
                    _s.Server.WriteDefaultSieve(SieveCompiler.CompileDefault(policy.SpamFilterLevel ?? DefaultSpamLevel));
                    foreach (var m in _db.Read(c => LocalDatabase.Query(c, null, LocalRuleStore.ScriptedMailboxes, r => r.GetString(0))))
                    {
                        _s.Rules.ApplySieve(m);
                    }
                }
                return Task.FromResult(policy);
            }
            if (u.PasswordHashCost.HasValue)
            {
                throw MailAdminException.Invalid("StoreWideSetting", "PasswordHashCost is set for the whole store only; leave out -Mailbox.", mailbox);
            }

            var owner = _db.Write((c, tx) =>
            {
                var m = ResolveMailbox(c, tx, mailbox);
                LocalDatabase.Exec(c, tx, "INSERT INTO mailbox_policy(mailbox) VALUES($m) ON CONFLICT DO NOTHING", ("$m", m));
                void Col(string col, object v) =>
                    LocalDatabase.Exec(c, tx, $"UPDATE mailbox_policy SET {col} = $v WHERE mailbox = $m", ("$v", v ?? DBNull.Value), ("$m", m));
                foreach (var r in u.Reset ?? new string[0])
                {
                    switch (ResettableSettings.First(x => x.Equals(r, StringComparison.OrdinalIgnoreCase)))
                    {
                        case "MinPasswordLength": Col("min_password_length", null); break;
                        case "RequireComplexity": Col("require_complexity", null); break;
                        case "PasswordMaxAgeDays": Col("password_max_age_days", null); break;
                        case "SpamFilterLevel": Col("spam_filter_level", null); break;
                        case "BlockedSenders": LocalDatabase.Exec(
                            c, tx, "DELETE FROM mailbox_sender_filter WHERE mailbox = $m AND action = 'Block'", ("$m", m)); break;
                        case "AllowedSenders": LocalDatabase.Exec(
                            c, tx, "DELETE FROM mailbox_sender_filter WHERE mailbox = $m AND action = 'Allow'", ("$m", m)); break;
                    }
                }
                if (u.MinPasswordLength.HasValue)
                {
                    Col("min_password_length", u.MinPasswordLength.Value);
                }

                if (u.RequireComplexity.HasValue)
                {
                    Col("require_complexity", u.RequireComplexity.Value ? 1 : 0);
                }

                if (u.PasswordMaxAgeDays.HasValue)
                {
                    Col("password_max_age_days", u.PasswordMaxAgeDays.Value);
                }

                if (u.SpamFilterLevel.HasValue)
                {
                    Col("spam_filter_level", u.SpamFilterLevel.Value.ToString());
                }
                // the mailbox's own switch (the same one Set-MailboxSetting -ForceSecureLogin sets); the store's applies on top
                if (u.ForceSecureLogin.HasValue)
                {
                    LocalDatabase.Exec(
                        c, tx, "UPDATE mailbox SET force_secure_login = $v WHERE username = $m", ("$v", u.ForceSecureLogin.Value ? 1 : 0), ("$m", m));
                }

                foreach (var (list, action) in new[] { (blocked, "Block"), (allowed, "Allow") })
                {
                    if (list == null)
                    {
                        continue;
                    }

                    LocalDatabase.Exec(c, tx, "DELETE FROM mailbox_sender_filter WHERE mailbox = $m AND action = $a", ("$m", m), ("$a", action));
                    foreach (var e in list)
                    {
                        LocalDatabase.Exec(
                            c, tx, "INSERT INTO mailbox_sender_filter(mailbox, entry, action) VALUES($m, $e, $a) ON CONFLICT(mailbox, entry) DO UPDATE SET "
                                + "action = excluded.action", ("$m", m), ("$e", e), ("$a", action));
                    }
                }
                return m;
            });
            _s.Rules.ApplySieve(owner);
            return Task.FromResult(_db.Read(c => EffectivePolicy(c, null, owner)));
        }
    }
}
