using System;
using System.Collections.Generic;
using System.Linq;
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

    internal sealed class LocalPermissionStore : LocalStorePart
    {
        internal LocalPermissionStore(LocalStore s) : base(s)
        {
        }
        public Task GrantAsync(string mailbox, string trustee, MailAccessRight right, CancellationToken ct)
        {
            var owner = _db.Write((c, tx) =>
            {
                var m = ResolveMailbox(c, tx, mailbox);
                string t;
                try
                {
                    t = ResolveMailbox(c, tx, trustee);
                }
                catch (MailAdminException e) when (e.Kind == MailErrorKind.ObjectNotFound)
                {
                    throw MailAdminException.NotFound(
                        "TrusteeNotFound", $"The trustee '{trustee}' is not a mailbox in the Local store; rights can only be given to mailboxes.", trustee);
                }
                if (m == t)
                {
                    throw MailAdminException.Invalid("TrusteeIsOwner", $"'{trustee}' owns '{mailbox}' and already has every right on it.", trustee);
                }

                LocalDatabase.Exec(c, tx, "INSERT INTO permission(mailbox, trustee, access_right, granted_at) VALUES($m, $t, $r, $g) ON CONFLICT DO NOTHING",
                    ("$m", m), ("$t", t), ("$r", right.ToString()), ("$g", LocalDatabase.Now()));
                return m;
            });
            if (right == MailAccessRight.ReadOnly || right == MailAccessRight.FullAccess)
            {
                ApplyAcl(owner);
            }

            return Task.CompletedTask;
        }

        /// <summary>ReadOnly/FullAccess grants become IMAP ACLs when the store serves a Dovecot (Export-MailServerConfig recorded it).</summary>
        internal void ApplyAcl(string owner)
        {
            var rows = _db.Read(c =>
            {
                var list = new Dictionary<string, MailAccessRight>(StringComparer.OrdinalIgnoreCase);
                using (var cmd = LocalDatabase.Command(c, null,
                    "SELECT trustee, access_right FROM permission WHERE mailbox = $m AND access_right IN ('ReadOnly', 'FullAccess')", ("$m", owner)))
                {
                    using (var r = cmd.ExecuteReader())
                        while (r.Read())
                        {
                            var right = (MailAccessRight)Enum.Parse(typeof(MailAccessRight), r.GetString(1));
                            if (!list.TryGetValue(r.GetString(0), out var had) || right == MailAccessRight.FullAccess)
                            {
                                list[r.GetString(0)] = right;
                            }
                        }
                }
                return list;
            });
            _s.Server.ApplyAcl(owner, rows);
        }

        public Task RevokeAsync(string mailbox, string trustee, MailAccessRight right, CancellationToken ct)
        {
            var owner = _db.Write((c, tx) =>
            {
                var m = ResolveMailbox(c, tx, mailbox);
                var t = MailNames.NormalizeAddress(trustee);
                var resolved = LocalDatabase.Scalar(c, tx, "SELECT mailbox FROM mailbox_alias WHERE address = $a", ("$a", t)) as string;
                if (resolved != null)
                {
                    t = resolved;
                }

                if (LocalDatabase.Exec(
                    c, tx, "DELETE FROM permission WHERE mailbox = $m AND trustee = $t AND access_right = $r", ("$m", m), ("$t", t),
                    ("$r", right.ToString())) == 0)
                {
                    throw MailAdminException.NotFound("MailPermissionNotFound", $"'{trustee}' has no {right} right on '{mailbox}'.", trustee);
                }

                return m;
            });
            if (right == MailAccessRight.ReadOnly || right == MailAccessRight.FullAccess)
            {
                ApplyAcl(owner);
            }

            return Task.CompletedTask;
        }

        public Task SetRoleAsync(string mailbox, MailRole role, CancellationToken ct)
        {
            _db.Write((c, tx) =>
                LocalDatabase.Exec(c, tx, "UPDATE mailbox SET role = $r WHERE username = $u", ("$r", role.ToString()), ("$u", ResolveMailbox(c, tx, mailbox))));
            return Task.CompletedTask;
        }

        public Task SetSendScopeAsync(string mailbox, MailSendScope scope, CancellationToken ct)
        {
            var u = _db.Write((c, tx) =>
            {
                var m = ResolveMailbox(c, tx, mailbox);
                LocalDatabase.Exec(c, tx, "UPDATE mailbox SET send_scope = $s WHERE username = $u", ("$s", scope.ToString()), ("$u", m));
                return m;
            });
            _s.Rules.ReapplyForwards(u);
            return Task.CompletedTask;
        }

        public IAsyncEnumerable<MailPermission> ListPermissions(string mailbox, string trustee)
        {
            string m = null, t = null;
            if (!string.IsNullOrEmpty(mailbox))
            {
                m = _db.Read(c => ResolveMailbox(c, null, mailbox));
            }

            if (!string.IsNullOrEmpty(trustee))
            {
                t = MailNames.NormalizeAddress(trustee);
            }
            // One row per grant; a mailbox asked for by name with no grants still gets one row showing its Role and SendScope.
            var sql = @"SELECT * FROM (
                    SELECT m.username, p.trustee, p.access_right, m.role, m.send_scope,
                           m.username || '|' || coalesce(p.trustee, '') || '|' || coalesce(p.access_right, '') AS k
                    FROM mailbox m LEFT JOIN permission p ON p.mailbox = m.username
                    WHERE ($m IS NULL OR m.username = $m)
                      AND (($t IS NULL AND (p.trustee IS NOT NULL OR $m IS NOT NULL)) OR p.trustee = $t)) AS grants
                WHERE k > $last
                ORDER BY k LIMIT $n";
            return KeysetPages.Stream((last, size) => _db.Read(c => LocalDatabase.Query(c, null, sql,
                r => (row: new MailPermission
                {
                    Identity = MailNames.AddressToUnicode(r.GetString(0)),
                    Trustee = r.IsDBNull(1) ? null : MailNames.AddressToUnicode(r.GetString(1)),
                    AccessRights = r.IsDBNull(2) ? (MailAccessRight?)null : (MailAccessRight)Enum.Parse(typeof(MailAccessRight), r.GetString(2)),
                    Role = (MailRole)Enum.Parse(typeof(MailRole), r.GetString(3)),
                    SendScope = (MailSendScope)Enum.Parse(typeof(MailSendScope), r.GetString(4)),
                    Provider = Name,
                }, key: r.GetString(5)),
                ("$m", m), ("$t", t), ("$last", last), ("$n", size))), x => x.key, x => x.row, 1000);
        }

        // ---------------------------------------------------------------- settings

        public Task<MailboxSettings> GetSettingsAsync(string mailbox, CancellationToken ct)
            => Task.FromResult(_db.Read(c => ReadSettings(c, null, ResolveMailbox(c, null, mailbox))));

        private MailboxSettings ReadSettings(DbConnection c, DbTransaction tx, string u)
            => LocalDatabase.Query(c, tx, @"SELECT username, imap_enabled, pop_enabled, smtp_enabled, send_scope, archive_enabled, force_secure_login
                    FROM mailbox WHERE username = $u",
                r => new MailboxSettings
                {
                    Identity = MailNames.AddressToUnicode(r.GetString(0)),
                    ImapEnabled = r.GetInt64(1) != 0,
                    PopEnabled = r.GetInt64(2) != 0,
                    SmtpEnabled = r.GetInt64(3) != 0,
                    ExternalSendEnabled = r.GetString(4) == nameof(MailSendScope.Any),
                    ArchiveEnabled = r.GetInt64(5) != 0,
                    ForceSecureLogin = r.GetInt64(6) != 0,
                    Provider = Name,
                }, ("$u", u)).First();

        public Task<MailboxSettings> SetSettingsAsync(string mailbox, MailboxSettingsUpdate update, CancellationToken ct)
        {
            var settings = SetSettings(mailbox, update);
            if (update.ExternalSendEnabled.HasValue)
            {
                _s.Rules.ReapplyForwards(settings.Identity);
            }

            return Task.FromResult(settings);
        }

        private MailboxSettings SetSettings(string mailbox, MailboxSettingsUpdate update)
            => _db.Write((c, tx) =>
            {
                var u = ResolveMailbox(c, tx, mailbox);
                void Flag(string column, bool? value)
                {
                    if (value.HasValue)
                    {
                        LocalDatabase.Exec(c, tx, $"UPDATE mailbox SET {column} = $v WHERE username = $u", ("$v", value.Value ? 1 : 0), ("$u", u));
                    }
                }
                Flag("imap_enabled", update.ImapEnabled);
                Flag("pop_enabled", update.PopEnabled);
                Flag("smtp_enabled", update.SmtpEnabled);
                Flag("archive_enabled", update.ArchiveEnabled);
                Flag("force_secure_login", update.ForceSecureLogin);
                if (update.ExternalSendEnabled == true)
                {
                    LocalDatabase.Exec(c, tx, "UPDATE mailbox SET send_scope = 'Any' WHERE username = $u", ("$u", u));
                }
                else if (update.ExternalSendEnabled == false)
                {
                    LocalDatabase.Exec(c, tx, "UPDATE mailbox SET send_scope = 'Internal' WHERE username = $u AND send_scope = 'Any'", ("$u", u));
                }

                return ReadSettings(c, tx, u);
            });
    }
}
