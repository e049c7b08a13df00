using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
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

    /// <summary>Domains, their DNS record suggestions and their DKIM private keys (kept in the secrets file).</summary>
    internal sealed class LocalDomainStore : LocalStorePart
    {
        internal LocalDomainStore(LocalStore s) : base(s)
        {
        }

        // ---------------------------------------------------------------- domains

        private const string DomainColumns = @"d.domain, d.mail_host, d.is_primary, d.active, d.created_at,
            (SELECT count(*) FROM mailbox m WHERE m.domain = d.domain), (SELECT count(*) FROM mail_group g WHERE g.domain = d.domain)";

        private MailDomain MapDomain(DbDataReader r) => new MailDomain
        {
            AsciiName = r.GetString(0),
            Name = MailNames.ToUnicode(r.GetString(0)),
            MailHost = r.GetString(1),
            IsPrimary = r.GetInt64(2) != 0,
            Enabled = r.GetInt64(3) != 0,
            CreatedAt = LocalDatabase.ParseTime(r.GetString(4)),
            MailboxCount = r.GetInt32(5),
            GroupCount = r.GetInt32(6),
            // A self-hosted domain needs no third party to confirm ownership; Test-MailDomain checks its DNS.
            Status = MailDomainStatus.Verified,
            Provider = Name,
        };

        public Task<MailDomain> AddDomainAsync(string name, string mailHost, CancellationToken ct)
        {
            var domain = MailNames.NormalizeDomain(name);
            var host = string.IsNullOrWhiteSpace(mailHost) ? "mail." + domain : MailNames.NormalizeDomain(mailHost);
            ct.ThrowIfCancellationRequested();
            var key = DkimKeys.Generate();
            var added = _db.Write((c, tx) =>
            {
                if (LocalDatabase.Scalar(c, tx, "SELECT 1 FROM domain WHERE domain = $d", ("$d", domain)) != null)
                {
                    throw MailAdminException.Exists("MailDomainExists", $"The domain '{MailNames.ToUnicode(domain)}' is already in the Local store.", name);
                }

                var first = Convert.ToInt64(LocalDatabase.Scalar(c, tx, "SELECT count(*) FROM domain"), CultureInfo.InvariantCulture) == 0;
                var now = LocalDatabase.Now();
                LocalDatabase.Exec(c, tx, "INSERT INTO domain(domain, mail_host, is_primary, created_at) VALUES($d, $h, $p, $t)",
                    ("$d", domain), ("$h", host), ("$p", first ? 1 : 0), ("$t", now));
                var selector = "ma" + DateTime.UtcNow.ToString("yyyyMM", CultureInfo.InvariantCulture);
                LocalDatabase.Exec(c, tx, "INSERT INTO dkim_key(domain, selector, public_key, created_at) VALUES($d, $s, $p, $t)",
                    ("$d", domain), ("$s", selector), ("$p", key.publicBase64), ("$t", now));
                StoreDkimPrivateKey(c, tx, domain, selector, key.privatePem);
                return ReadDomain(c, tx, domain);
            });
            // rspamd signs the new domain's mail at once (when Export-MailServerConfig -Rspamd set it up)
            _s.Dkim.SyncRspamdKeys();
            return Task.FromResult(added);
        }

        private MailDomain ReadDomain(DbConnection c, DbTransaction tx, string asciiDomain)
            => LocalDatabase.Query(c, tx, $"SELECT {DomainColumns} FROM domain d WHERE d.domain = $d", MapDomain, ("$d", asciiDomain)).FirstOrDefault();

        internal static MailAdminException DomainNotFound(string name)
            => MailAdminException.NotFound(
                "MailDomainNotFound", $"The domain '{name}' is not in the Local store. Add it with Add-MailDomain, or list the domains with Get-MailDomain.",
                    name);

        public Task<MailDomain> GetDomainAsync(string name, CancellationToken ct)
        {
            var domain = MailNames.NormalizeDomain(name);
            var d = _db.Read(c => ReadDomain(c, null, domain));
            if (d == null)
            {
                throw DomainNotFound(name);
            }

            return Task.FromResult(d);
        }

        public IAsyncEnumerable<MailDomain> ListDomains(string pattern)
        {
            var glob = string.IsNullOrEmpty(pattern) ? "*" : Glob.ToGlob(pattern);
            var asciiGlob = glob;
            if (!Glob.HasWildcard(pattern ?? "*"))
            {
                asciiGlob = MailNames.NormalizeDomain(pattern);
            }

            return KeysetPages.Stream((last, size) => _db.Read(c => LocalDatabase.Query(c, null,
                $"SELECT {DomainColumns} FROM domain d WHERE d.domain > $last AND (glob($g, d.domain) OR glob($ga, d.domain)) ORDER BY d.domain LIMIT $n",
                MapDomain, ("$last", last), ("$g", glob), ("$ga", asciiGlob), ("$n", size))), d => d.AsciiName, 500);
        }

        public Task RemoveDomainAsync(string name, bool force, CancellationToken ct) => RemoveDomainAsync(name, force, null, ct);

        /// <summary>Removes the domain; with <paramref name="force"/> every mailbox and group in it, and what the mail servers hold
        /// for those mailboxes.</summary>
        public Task RemoveDomainAsync(string name, bool force, MailRemovalOptions options, CancellationToken ct)
        {
            var domain = MailNames.NormalizeDomain(name);
            // the rights its mailboxes gave go first, while Dovecot still knows them (only with -Force are there any)
            if (force)
                foreach (var m in _db.Read(
                    c => LocalDatabase.Query(c, null, "SELECT username FROM mailbox WHERE domain = $d", r => r.GetString(0), ("$d", domain))))
                {
                    _s.Server.RevokeOwnGrants(m);
                }

            var (removed, owners) = _db.Write((c, tx) =>
            {
                if (LocalDatabase.Scalar(c, tx, "SELECT 1 FROM domain WHERE domain = $d", ("$d", domain)) == null)
                {
                    throw DomainNotFound(name);
                }

                var mailboxes = Convert.ToInt64(
                    LocalDatabase.Scalar(c, tx, "SELECT count(*) FROM mailbox WHERE domain = $d", ("$d", domain)), CultureInfo.InvariantCulture);
                var groups = Convert.ToInt64(
                    LocalDatabase.Scalar(c, tx, "SELECT count(*) FROM mail_group WHERE domain = $d", ("$d", domain)), CultureInfo.InvariantCulture);
                if ((mailboxes > 0 || groups > 0) && !force)
                    throw new MailAdminException(MailErrorKind.InvalidOperation, "MailDomainNotEmpty",
                        $"The domain '{MailNames.ToUnicode(domain)}' still has {mailboxes} mailbox(es) and {groups} group(s). Remove them first, or use "
                            + $"-Force to remove the domain with everything in it.", name);
                var suffix = "%@" + domain;
                var gone = LocalDatabase.Query(c, tx, "SELECT username FROM mailbox WHERE domain = $d", r => r.GetString(0), ("$d", domain));
                // mailboxes elsewhere that gave rights to one of these: their ACLs lose them
                var granted = LocalDatabase.Query(c, tx, @"SELECT DISTINCT p.mailbox FROM permission p JOIN mailbox m ON m.username = p.trustee
                    WHERE m.domain = $d AND p.access_right IN ('ReadOnly', 'FullAccess')", r => r.GetString(0), ("$d", domain))
                    .Where(o => MailNames.DomainOf(o) != domain).ToList();
                // Everything that points into the domain goes with it.
                foreach (var m in gone)
                {
                    DeleteMailboxRows(c, tx, m);
                }

                LocalDatabase.Exec(c, tx, "DELETE FROM permission WHERE trustee LIKE $s ESCAPE '\\'", ("$s", EscapeLike(suffix)));
                LocalDatabase.Exec(
                    c, tx, "DELETE FROM group_member WHERE member IN (SELECT address FROM mail_group WHERE domain = $d) OR group_address IN (SELECT address "
                        + "FROM mail_group WHERE domain = $d)", ("$d", domain));
                LocalDatabase.Exec(c, tx, "DELETE FROM group_sender WHERE group_address IN (SELECT address FROM mail_group WHERE domain = $d)", ("$d", domain));
                LocalDatabase.Exec(c, tx, "DELETE FROM mailbox_alias WHERE address LIKE $s ESCAPE '\\'", ("$s", EscapeLike(suffix)));
                LocalDatabase.Exec(c, tx, "DELETE FROM mail_group WHERE domain = $d", ("$d", domain));
                LocalDatabase.Exec(c, tx, "DELETE FROM dkim_key WHERE domain = $d", ("$d", domain));
                LocalDatabase.Exec(c, tx, "DELETE FROM dkim_key_rotation WHERE domain = $d", ("$d", domain));
                PruneDkimPrivateKeys(c, tx);
                LocalDatabase.Exec(c, tx, "DELETE FROM domain WHERE domain = $d", ("$d", domain));
                var hasPrimary = LocalDatabase.Scalar(c, tx, "SELECT 1 FROM domain WHERE is_primary = 1") != null;
                if (!hasPrimary)
                {
                    LocalDatabase.Exec(c, tx, "UPDATE domain SET is_primary = 1 WHERE domain = (SELECT domain FROM domain ORDER BY created_at LIMIT 1)");
                }

                return (gone, granted);
            });
            _s.Server.CleanUpRemoved(removed, owners, options ?? new MailRemovalOptions(), domain);
            _s.Dkim.SyncRspamdKeys();
            return Task.CompletedTask;
        }

        private static string EscapeLike(string s) =>
            s.Replace("\\", "\\\\").Replace("_", "\\_").Replace("%@", "\u0001").Replace("%", "\\%").Replace("\u0001", "%@");

        public Task<IReadOnlyList<MailDnsRecord>> GetDnsRecordsAsync(string name, CancellationToken ct)
        {
            var domain = MailNames.NormalizeDomain(name);
            var row = _db.Read(c => LocalDatabase.Query(c, null,
                "SELECT d.mail_host, d.created_at, k.selector, k.public_key FROM domain d LEFT JOIN dkim_key k ON k.domain = d.domain WHERE d.domain = $d",
                r => (host: r.GetString(0), created: LocalDatabase.ParseTime(r.GetString(1)), selector: r.IsDBNull(2) ? null : r.GetString(2),
                    key: r.IsDBNull(3) ? null : r.GetString(3)),
                ("$d", domain)).FirstOrDefault());
            if (row.host == null)
            {
                throw DomainNotFound(name);
            }

            var records = LocalDnsRecords.For(domain, row.host, row.selector, row.key, row.created);
            // key rotation: the next key is published before it signs, the previous one stays published after
            records.InsertRange(records.FindLastIndex(r => r.Purpose == MailDnsPurpose.Dkim) + 1, _s.Dkim.RotationDnsRecords(domain));
            return Task.FromResult<IReadOnlyList<MailDnsRecord>>(records);
        }

        /// <summary>A DKIM private key goes to the secrets file (root only), in the same transaction as its selector's row.</summary>
        internal static void StoreDkimPrivateKey(DbConnection c, DbTransaction tx, string domain, string selector, string pem)
            => LocalDatabase.Exec(c, tx, "INSERT INTO secret.dkim_private_key(domain, selector, private_key) VALUES($d, $s, $k) "
                + "ON CONFLICT(domain, selector) DO UPDATE SET private_key = excluded.private_key",
                ("$d", domain), ("$s", selector), ("$k", pem));

        /// <summary>Drops the private keys no active, next or previous key of the directory names any more.</summary>
        internal static void PruneDkimPrivateKeys(DbConnection c, DbTransaction tx)
            => LocalDatabase.Exec(c, tx, @"DELETE FROM secret.dkim_private_key WHERE NOT EXISTS
                    (SELECT 1 FROM main.dkim_key k WHERE k.domain = dkim_private_key.domain AND k.selector = dkim_private_key.selector)
                AND NOT EXISTS (SELECT 1 FROM main.dkim_key_rotation r WHERE r.domain = dkim_private_key.domain AND r.selector = dkim_private_key.selector)");

        /// <summary>The DKIM private key (PKCS#1 PEM) of a domain, for the server configuration export.</summary>
        public (string selector, string privateKeyPem) GetDkimPrivateKey(string name)
        {
            var domain = MailNames.NormalizeDomain(name);
            var row = _db.Read(
                c => LocalDatabase.Query(
                c, null, "SELECT k.selector, s.private_key FROM dkim_key k JOIN secret.dkim_private_key s ON s.domain = k.domain AND s.selector = k.selector "
                    + "WHERE k.domain = $d",
                r => (r.GetString(0), r.GetString(1)), ("$d", domain)).FirstOrDefault());
            if (row.Item1 == null)
            {
                throw DomainNotFound(name);
            }

            return row;
        }
    }
}
