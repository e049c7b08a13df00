using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;
using System.Data.Common;

namespace MailAdmin.Providers.Local
{
    using static LocalLookups;
    using static LocalMailboxStore;
    using static LocalDomainStore;

    internal sealed class LocalMailboxStore : LocalStorePart
    {
        internal LocalMailboxStore(LocalStore s) : base(s)
        {
        }
        private const string MailboxColumns = @"m.username, m.id, m.domain, m.display_name, m.department, m.job_title, m.mobile, m.role,
            m.quota_bytes, m.active,
            CASE WHEN EXISTS (SELECT 1 FROM secret.mailbox_secret s WHERE s.username = m.username) THEN 1 ELSE 0 END, m.password_set_at, m.created_at,
            (SELECT group_concat(a.address, ',') FROM mailbox_alias a WHERE a.mailbox = m.username), m.mailbox_type";

        private Mailbox MapMailbox(DbDataReader r)
        {
            var quota = r.GetInt64(8);
            return new Mailbox
            {
                Address = MailNames.AddressToUnicode(r.GetString(0)),
                Id = r.GetString(1),
                Domain = MailNames.ToUnicode(r.GetString(2)),
                DisplayName = r.IsDBNull(3) ? null : r.GetString(3),
                Department = r.IsDBNull(4) ? null : r.GetString(4),
                JobTitle = r.IsDBNull(5) ? null : r.GetString(5),
                Mobile = r.IsDBNull(6) ? null : r.GetString(6),
                Role = (MailRole)Enum.Parse(typeof(MailRole), r.GetString(7)),
                QuotaMB = quota > 0 ? quota / (1024 * 1024) : (long?)null,
                Enabled = r.GetInt64(9) != 0,
                HasPassword = r.GetInt64(10) != 0,
                PasswordLastSet = r.IsDBNull(11) ? (DateTime?)null : LocalDatabase.ParseTime(r.GetString(11)),
                CreatedAt = LocalDatabase.ParseTime(r.GetString(12)),
                Aliases = r.IsDBNull(13) ? new string[0]
                    : r.GetString(13).Split(',').Select(MailNames.AddressToUnicode).OrderBy(a => a, StringComparer.Ordinal).ToArray(),
                Type = r.GetString(14) == "Shared" ? MailboxType.Shared : MailboxType.User,
                Provider = Name,
            };
        }

        private Mailbox ReadMailbox(DbConnection c, DbTransaction tx, string username)
            => LocalDatabase.Query(c, tx, $"SELECT {MailboxColumns} FROM mailbox m WHERE m.username = $u", MapMailbox, ("$u", username)).FirstOrDefault();

        private static MailAdminException MailboxNotFound(string identity)
            => MailAdminException.NotFound("MailboxNotFound", $"There is no mailbox '{identity}' in the Local store.", identity);

        /// <summary>Resolves an address or one of its aliases to the mailbox's stored address.</summary>
        internal static string ResolveMailbox(DbConnection c, DbTransaction tx, string identity)
        {
            var address = MailNames.NormalizeAddress(identity);
            var hit = LocalDatabase.Scalar(
                c, tx, "SELECT username FROM mailbox WHERE username = $a UNION ALL SELECT mailbox FROM mailbox_alias WHERE address = $a LIMIT 1",
                ("$a", address)) as string;
            if (hit == null)
            {
                throw MailboxNotFound(identity);
            }

            return hit;
        }

        /// <summary>Names what already uses an address (a mailbox, an alias or a group), or null.</summary>
        internal static string AddressInUse(DbConnection c, DbTransaction tx, string address)
            => LocalDatabase.Scalar(c, tx, @"SELECT 'mailbox' FROM mailbox WHERE username = $a
                UNION ALL SELECT 'alias of ' || mailbox FROM mailbox_alias WHERE address = $a
                UNION ALL SELECT 'group' FROM mail_group WHERE address = $a LIMIT 1", ("$a", address)) as string;

        internal static void RequireDomain(DbConnection c, DbTransaction tx, string domain, string address)
        {
            if (LocalDatabase.Scalar(c, tx, "SELECT 1 FROM domain WHERE domain = $d", ("$d", domain)) == null)
                throw MailAdminException.NotFound("MailDomainNotFound",
                    $"'{address}' is in the domain '{MailNames.ToUnicode(domain)}', which is not in the Local store. Add it first with Add-MailDomain.",
                        address);
        }

        /// <summary>Bounds concurrent password hashing to the cores, however many creates are in flight.</summary>
        private static readonly SemaphoreSlim HashSlots = new SemaphoreSlim(Environment.ProcessorCount, Environment.ProcessorCount);

        public async Task<Mailbox> CreateMailboxAsync(MailboxCreateRequest request, CancellationToken ct)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            var address = MailNames.NormalizeAddress(request.Address);
            var domain = MailNames.DomainOf(address);
            RequireNoDelimiter(address, request.Address);
            ValidateQuota(request.QuotaMB, request.Address);
            var shared = request.Type == MailboxType.Shared;
            if (shared && (request.Password != null || request.ForcePasswordChange))
                throw MailAdminException.Invalid("SharedMailboxPassword",
                    $"'{request.Address}' is a shared mailbox: nobody signs in to it, so it takes no password. "
                    + "Give people access with Set-MailPermission -AccessRights FullAccess (and SendAs).", request.Address);
            if (request.ForcePasswordChange)
                throw new MailAdminException(MailErrorKind.NotSupported, "ForcePasswordChangeNotSupported",
                    "The Local provider cannot make a user change the password at the first sign-in: Dovecot and Postfix have no such step.", request.Address)
                { Provider = Name };
            // Cheap checks first, so a bad or duplicate row costs no hashing. They go through the writer's queue like the
            // insert: a separate reader would collide with the writer's commits (rollback journal) and wait out busy retries.
            var rules = await _db.WriteAsync((c, tx) =>
            {
                RequireDomain(c, tx, domain, request.Address);
                var used = AddressInUse(c, tx, address);
                if (used != null)
                {
                    throw Exists(request.Address, used);
                }

                return _s.Security.PasswordRules(c, tx, null);
            }).ConfigureAwait(false);
            Passwords.Validate(request.Password, rules.minLength, rules.complexity, address);
            string hash = null;
            if (request.Password != null)
            {
                await HashSlots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    ct.ThrowIfCancellationRequested();
                    hash = PasswordHasher.Hash(request.Password, rules.cost);
                }
                finally
                {
                    HashSlots.Release();
                }
            }
            ct.ThrowIfCancellationRequested();
            var created = await _db.WriteAsync((c, tx) =>
            {
                // Checked again inside the write transaction: another process may have taken the address meanwhile.
                RequireDomain(c, tx, domain, request.Address);
                var used = AddressInUse(c, tx, address);
                if (used != null)
                {
                    throw Exists(request.Address, used);
                }
                // mail left on the server by an earlier mailbox of this address (a removal that did not finish) goes aside
                // first, under the store's write lock so that no one creates the address meanwhile: a new hire never finds the
                // old mail, scripts or folder rights
                _s.Server.SetAsideOrphan(address, c, tx);
                var now = LocalDatabase.Now();
                LocalDatabase.Exec(c, tx, @"INSERT INTO mailbox(username, id, local_part, domain, password_set_at, display_name, department,
                        job_title, mobile, role, quota_bytes, active, created_at, mailbox_type)
                    VALUES($u, $id, $l, $d, $ps, $dn, $dep, $jt, $mob, $role, $q, $act, $t, $type)",
                    ("$u", address), ("$id", Guid.NewGuid().ToString()), ("$l", MailNames.LocalPartOf(address)), ("$d", domain),
                    ("$ps", hash == null ? null : now), ("$dn", Clean(request.DisplayName)), ("$dep", Clean(request.Department)),
                    ("$jt", Clean(request.JobTitle)), ("$mob", Clean(request.Mobile)), ("$role", request.Role.ToString()),
                    ("$q", (request.QuotaMB ?? 0) * 1024 * 1024), ("$act", request.Enabled ? 1 : 0), ("$t", now),
                    ("$type", shared ? "Shared" : "User"));
                if (hash != null)
                {
                    StoreHash(c, tx, address, hash);
                }

                return ReadMailbox(c, tx, address);
            }).ConfigureAwait(false);
            if (request.Aliases != null && request.Aliases.Length > 0)
            {
                created = await UpdateMailboxAsync(address, new MailboxUpdate { AddAliases = request.Aliases }, ct).ConfigureAwait(false);
            }

            return created;
        }

        /// <summary>'+' is the recipient delimiter on the Local stack (user+detail@ delivers to user@): no address may hold it.</summary>
        internal static void RequireNoDelimiter(string address, string given)
        {
            var local = MailNames.LocalPartOf(address);
            if (local.IndexOf('+') >= 0)
                throw MailAdminException.Invalid("RecipientDelimiterInAddress",
                    $"'{given}' has '+' in its local part. On the Local provider '+' is the recipient delimiter (mail to user+detail@ goes to user@), so this "
                        + $"address would land in another mailbox's folder. Choose a local part without '+'.", given);
            // the mailbox's folder on the mail host is named after its local part: a '/' would put it inside another mailbox's
            if (local.IndexOf('/') >= 0)
                throw MailAdminException.Invalid("SlashInAddress",
                    $"'{given}' has '/' in its local part. On the Local provider each mailbox's folder on the mail host is named after its local part, so '/' "
                        + $"would place it inside another mailbox's folder. Choose a local part without '/'.", given);
        }

        private static MailAdminException Exists(string address, string what)
            => MailAdminException.Exists("MailboxExists", $"'{address}' already exists in the Local store (as {what}).", address);

        internal static string Clean(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

        private static void ValidateQuota(long? quotaMB, string address)
        {
            if (quotaMB.HasValue && (quotaMB < 0 || quotaMB > 16L * 1024 * 1024))
            {
                throw MailAdminException.Invalid(
                    "InvalidQuota", $"QuotaMB {quotaMB} for '{address}' is out of range: use 0 (no limit) to {16L * 1024 * 1024} MB.", address);
            }
        }

        public Task<Mailbox> GetMailboxAsync(string identity, CancellationToken ct)
            => Task.FromResult(WithUsage(new List<Mailbox> { _db.Read(c => ReadMailbox(c, null, ResolveMailbox(c, null, identity))) })[0]);

        /// <summary>Fills UsedMB from what Dovecot's quota_clone plugin last wrote into the logins file (null when it has not).</summary>
        private List<Mailbox> WithUsage(List<Mailbox> page)
        {
            var usage = _s.ReadUsage(page.Select(m => MailNames.NormalizeAddress(m.Address)).ToList());
            foreach (var m in page)
            {
                if (usage.TryGetValue(MailNames.NormalizeAddress(m.Address), out var bytes))
                {
                    m.UsedMB = Math.Round(bytes / (1024.0 * 1024.0), 2);
                }
            }

            return page;
        }

        public IAsyncEnumerable<Mailbox> ListMailboxes(MailboxQuery query)
        {
            query = query ?? new MailboxQuery();
            var where = new StringBuilder("m.username > $last");
            var args = new List<(string, object)>();
            if (!string.IsNullOrEmpty(query.Identity))
            {
                where.Append(" AND glob($g, m.username)");
                args.Add(("$g", GlobForAddress(query.Identity)));
            }
            if (!string.IsNullOrEmpty(query.Domain))
            {
                if (Glob.HasWildcard(query.Domain))
                {
                    where.Append(" AND glob($dom, m.domain)");
                    args.Add(("$dom", Glob.ToGlob(query.Domain)));
                }
                else
                {
                    where.Append(" AND m.domain = $dom");
                    args.Add(("$dom", MailNames.NormalizeDomain(query.Domain)));
                }
            }
            if (!string.IsNullOrEmpty(query.Department))
            {
                if (Glob.HasWildcard(query.Department))
                {
                    where.Append(" AND glob($dep, lower(m.department))");
                    args.Add(("$dep", Glob.ToGlob(query.Department)));
                }
                else
                {
                    where.Append(" AND m.department = $dep COLLATE NOCASE");
                    args.Add(("$dep", query.Department.Trim()));
                }
            }
            if (query.Role.HasValue)
            {
                where.Append(" AND m.role = $role");
                args.Add(("$role", query.Role.Value.ToString()));
            }
            if (query.Enabled.HasValue)
            {
                where.Append(" AND m.active = $act");
                args.Add(("$act", query.Enabled.Value ? 1 : 0));
            }
            if (query.Type.HasValue)
            {
                where.Append(" AND m.mailbox_type = $type");
                args.Add(("$type", query.Type.Value.ToString()));
            }
            var sql = $"SELECT {MailboxColumns} FROM mailbox m WHERE {where} ORDER BY m.username LIMIT $n";
            return KeysetPages.Stream((last, size) => _db.Read(c =>
            {
                var all = new List<(string, object)>(args) { ("$last", last), ("$n", size) };
                return LocalDatabase.Query(c, null, sql, MapMailbox, all.ToArray());
            }) is var page ? WithUsage(page) : null, m => MailNames.NormalizeAddress(m.Address), query.PageSize);
        }

        /// <summary>A wildcard over addresses; the domain part may be written in Unicode.</summary>
        internal static string GlobForAddress(string pattern)
        {
            var at = pattern.LastIndexOf('@');
            if (at >= 0 && !Glob.HasWildcard(pattern.Substring(at + 1)) && at < pattern.Length - 1)
            {
                try
                {
                    return Glob.ToGlob(pattern.Substring(0, at + 1)) + MailNames.NormalizeDomain(pattern.Substring(at + 1));
                }
                catch (MailAdminException)
                {
                    // the part after the @ is no valid domain name (a partial or mistyped pattern): it is matched as written
                    return Glob.ToGlob(pattern);
                }
            }
            return Glob.ToGlob(pattern);
        }

        public Task<Mailbox> UpdateMailboxAsync(string identity, MailboxUpdate update, CancellationToken ct)
        {
            if (update == null)
            {
                throw new ArgumentNullException(nameof(update));
            }

            ValidateQuota(update.QuotaMB, identity);
            var add = (update.AddAliases ?? new string[0]).Select(MailNames.NormalizeAddress).Distinct().ToList();
            var remove = (update.RemoveAliases ?? new string[0]).Select(MailNames.NormalizeAddress).Distinct().ToList();
            return Task.FromResult(_db.Write((c, tx) =>
            {
                var u = ResolveMailbox(c, tx, identity);
                void Set(string column, object value) =>
                    LocalDatabase.Exec(c, tx, $"UPDATE mailbox SET {column} = $v WHERE username = $u", ("$v", value), ("$u", u));
                if (update.DisplayName != null)
                {
                    Set("display_name", Clean(update.DisplayName));
                }

                if (update.Department != null)
                {
                    Set("department", Clean(update.Department));
                }

                if (update.JobTitle != null)
                {
                    Set("job_title", Clean(update.JobTitle));
                }

                if (update.Mobile != null)
                {
                    Set("mobile", Clean(update.Mobile));
                }

                if (update.ClearQuota)
                {
                    Set("quota_bytes", 0);
                }
                else if (update.QuotaMB.HasValue)
                {
                    Set("quota_bytes", update.QuotaMB.Value * 1024 * 1024);
                }

                foreach (var a in remove)
                {
                    if (LocalDatabase.Exec(c, tx, "DELETE FROM mailbox_alias WHERE address = $a AND mailbox = $u", ("$a", a), ("$u", u)) == 0)
                    {
                        throw MailAdminException.NotFound(
                            "MailboxAliasNotFound", $"'{MailNames.AddressToUnicode(a)}' is not an alias of '{MailNames.AddressToUnicode(u)}'.", a);
                    }
                }
                if (update.Type.HasValue)
                {
                    SetType(c, tx, u, update.Type.Value);
                }

                foreach (var a in add)
                {
                    RequireNoDelimiter(a, a);
                    RequireDomain(c, tx, MailNames.DomainOf(a), a);
                    var used = AddressInUse(c, tx, a);
                    if (used == "alias of " + u)
                    {
                        continue;
                    }

                    if (used != null)
                    {
                        throw MailAdminException.Exists("MailboxAliasExists", $"The alias '{MailNames.AddressToUnicode(a)}' is already in use (as {used}).", a);
                    }

                    LocalDatabase.Exec(c, tx, "INSERT INTO mailbox_alias(address, mailbox) VALUES($a, $u)", ("$a", a), ("$u", u));
                }
                return ReadMailbox(c, tx, u);
            }));
        }

        /// <summary>
        /// Converts a mailbox. To Shared: its password and app passwords are deleted in the same transaction (with secure_delete, so
        /// the hashes leave no copy in the secrets file's free pages), and from that commit on Dovecot's deny list refuses every
        /// login. To User: it has no password until Reset-MailboxPassword sets one. Its mail, folders and grants stay.
        /// </summary>
        private void SetType(DbConnection c, DbTransaction tx, string u, MailboxType type)
        {
            if (type == MailboxType.Shared)
            {
                _s.Db.Dialect.SecureDelete(c, tx);
                LocalDatabase.Exec(c, tx, "DELETE FROM secret.mailbox_secret WHERE username = $u", ("$u", u));
                LocalDatabase.Exec(c, tx, "DELETE FROM secret.app_password WHERE mailbox = $u", ("$u", u));
                LocalDatabase.Exec(c, tx, "UPDATE mailbox SET mailbox_type = 'Shared', password_set_at = NULL WHERE username = $u", ("$u", u));
            }
            else LocalDatabase.Exec(c, tx, "UPDATE mailbox SET mailbox_type = 'User' WHERE username = $u", ("$u", u));
        }

        /// <summary>Refuses a password (or app password) for a shared mailbox: nobody signs in to it.</summary>
        internal static void RequireNotShared(DbConnection c, DbTransaction tx, string u, string what)
        {
            if (LocalDatabase.Scalar(c, tx, "SELECT 1 FROM mailbox WHERE username = $u AND mailbox_type = 'Shared'", ("$u", u)) != null)
                throw new MailAdminException(MailErrorKind.InvalidOperation, "SharedMailboxNoSignIn",
                    $"'{MailNames.AddressToUnicode(u)}' is a shared mailbox: nobody signs in to it, so it takes no {what}. People use it through "
                    + "Set-MailPermission -AccessRights FullAccess/SendAs; to make it a person's mailbox again: Set-Mailbox -Type User.",
                        u)
                { Provider = Name };
        }

        public Task RemoveMailboxAsync(string identity, CancellationToken ct) => RemoveMailboxAsync(identity, null, ct);

        /// <summary>Removes the mailbox from the store, then everything the mail servers hold for it (see <see cref="MailServerState"/>).</summary>
        public Task RemoveMailboxAsync(string identity, MailRemovalOptions options, CancellationToken ct)
        {
            // the rights it gave go first, while Dovecot still knows the mailbox (the shared-mailbox list forgets them only
            // through Dovecot); if that fails nothing is removed
            _s.Server.RevokeOwnGrants(_db.Read(c => ResolveMailbox(c, null, identity)));
            var (u, owners) = _db.Write((c, tx) =>
            {
                var m = ResolveMailbox(c, tx, identity);
                // the mailboxes whose folders it could open: their ACLs lose it below
                var granted = LocalDatabase.Query(
                    c, tx, "SELECT DISTINCT mailbox FROM permission WHERE trustee = $u AND access_right IN ('ReadOnly', 'FullAccess')", r => r.GetString(0),
                    ("$u", m));
                DeleteMailboxRows(c, tx, m);
                return (m, granted);
            });
            _s.Server.CleanUpRemoved(new[] { u }, owners, options ?? new MailRemovalOptions());
            return Task.CompletedTask;
        }

        internal static void DeleteMailboxRows(DbConnection c, DbTransaction tx, string u)
        {
            LocalDatabase.Exec(c, tx, "DELETE FROM permission WHERE trustee = $u OR mailbox = $u", ("$u", u));
            LocalDatabase.Exec(c, tx, "DELETE FROM group_member WHERE member = $u", ("$u", u));
            LocalDatabase.Exec(c, tx, "DELETE FROM group_sender WHERE sender = $u", ("$u", u));
            foreach (var table in new[] { "mail_rule", "auto_reply", "mailbox_policy", "secret.app_password", "mailbox_sender_filter" })
            {
                LocalDatabase.Exec(c, tx, $"DELETE FROM {table} WHERE mailbox = $u", ("$u", u));
            }

            LocalDatabase.Exec(c, tx, "DELETE FROM secret.mailbox_secret WHERE username = $u", ("$u", u));
            LocalDatabase.Exec(c, tx, "DELETE FROM mailbox_alias WHERE mailbox = $u", ("$u", u));
            LocalDatabase.Exec(c, tx, "DELETE FROM mailbox WHERE username = $u", ("$u", u));
        }

        public Task<Mailbox> SetMailboxEnabledAsync(string identity, bool enabled, CancellationToken ct)
            => Task.FromResult(_db.Write((c, tx) =>
            {
                var u = ResolveMailbox(c, tx, identity);
                LocalDatabase.Exec(c, tx, "UPDATE mailbox SET active = $a WHERE username = $u", ("$a", enabled ? 1 : 0), ("$u", u));
                return ReadMailbox(c, tx, u);
            }));

        public Task SetPasswordAsync(string identity, SecretText password, bool forceChange, CancellationToken ct)
        {
            if (password == null)
            {
                throw new ArgumentNullException(nameof(password));
            }

            if (forceChange)
                throw new MailAdminException(MailErrorKind.NotSupported, "ForcePasswordChangeNotSupported",
                    "The Local provider cannot make a user change the password at the next sign-in: Dovecot and Postfix have no such step. Set a password and "
                        + "hand it over.", identity)
                { Provider = Name };
            var (u, rules) = _db
                .Read(c =>
                {
                    var m = ResolveMailbox(c, null, identity);
                    RequireNotShared(c, null, m, "password");
                    return (m,
                    _s.Security.PasswordRules(c, null, m));
                });
            Passwords.Validate(password, rules.minLength, rules.complexity, u);
            var hash = PasswordHasher.Hash(password, rules.cost);
            _db.Write((c, tx) =>
            {
                RequireNotShared(c, tx, u, "password");
                if (LocalDatabase.Exec(c, tx, "UPDATE mailbox SET password_set_at = $t WHERE username = $u", ("$t", LocalDatabase.Now()), ("$u", u)) == 0)
                {
                    throw MailboxNotFound(identity);
                }

                StoreHash(c, tx, u, hash);
                return 0;
            });
            return Task.CompletedTask;
        }

        /// <summary>The hash goes to the secrets file, in the same transaction as the mailbox row.</summary>
        private static void StoreHash(DbConnection c, DbTransaction tx, string username, string hash)
            => LocalDatabase.Exec(
                c, tx, "INSERT INTO secret.mailbox_secret(username, password) VALUES($u, $p) ON CONFLICT(username) DO UPDATE SET password = excluded.password",
                ("$u", username), ("$p", hash));

        /// <summary>Checks a password against the stored hash (what Dovecot does at login); for tests and diagnostics.</summary>
        public bool VerifyPassword(string identity, string password)
        {
            var stored = _db.Read(
                c => LocalDatabase.Scalar(
                c, null, "SELECT password FROM secret.mailbox_secret WHERE username = $u", ("$u", ResolveMailbox(c, null, identity))) as string);
            return PasswordHasher.Verify(password, stored);
        }
    }
}
