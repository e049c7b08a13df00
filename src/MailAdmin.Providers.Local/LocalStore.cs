using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// The Local provider's one database and the stores over it, one per capability: domains (with DKIM keys), mailboxes,
    /// groups, permissions (with mailbox settings), rules (with auto-replies and their Sieve scripts), the security policy, app
    /// passwords, and the mail server's own state (<see cref="IMailServerState"/>). LocalMailProvider is only the face that
    /// the cmdlets see.
    /// </summary>
    internal sealed class LocalStore
    {
        public LocalStore(string path)
            : this(new LocalDatabase(path))
        {
        }

        public LocalStore(LocalDatabase db)
        {
            Db = db;
            Domains = new LocalDomainStore(this);
            Dkim = new LocalDkimKeyStore(this);
            Mailboxes = new LocalMailboxStore(this);
            Groups = new LocalGroupStore(this);
            Permissions = new LocalPermissionStore(this);
            Security = new LocalSecurityStore(this);
            Rules = new LocalRuleStore(this);
            AppPasswords = new LocalAppPasswordStore(this);
            Hosts = new MailHostRegistry(this);
            // a SQLite store serves the Dovecot beside it (doveadm, the mail root); a shared store every recorded mail host
            Server = db.Dialect.IsShared ? new DoveadmHttpServerState(this) : (IMailServerState)new DovecotServerState(this);
        }

        public LocalDatabase Db { get; }
        public LocalDomainStore Domains { get; }
        public LocalDkimKeyStore Dkim { get; }
        public LocalMailboxStore Mailboxes { get; }
        public LocalGroupStore Groups { get; }
        public LocalPermissionStore Permissions { get; }
        public LocalSecurityStore Security { get; }
        public LocalRuleStore Rules { get; }
        public LocalAppPasswordStore AppPasswords { get; }
        public IMailServerState Server { get; }
        public MailHostRegistry Hosts { get; }

        /// <summary>Last IMAP/POP3 logins by mailbox (Dovecot's last_login plugin), or null when no mail host records them yet.</summary>
        public Dictionary<string, DateTime> ReadLastLogins()
        {
            if (!Db.Dialect.IsShared)
            {
                return LastLogins.Read(ServerConfigWriter.LoginsPathFor(Db.Path));
            }

            return Db.Read(c => LocalDatabase.Query(c, null, "SELECT username, last_login FROM last_login",
                r => (user: r.GetString(0), at: DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(1)).UtcDateTime)))
                .ToDictionary(x => x.user, x => x.at, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>Used bytes by mailbox (Dovecot's quota_clone plugin) for the mailboxes given.</summary>
        public Dictionary<string, long> ReadUsage(IReadOnlyCollection<string> usernames)
        {
            if (!Db.Dialect.IsShared)
            {
                return LastLogins.Usage(ServerConfigWriter.LoginsPathFor(Db.Path), usernames);
            }

            var result = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            if (usernames.Count == 0)
            {
                return result;
            }

            var args = usernames.Select((u, i) => ("$u" + i.ToString(CultureInfo.InvariantCulture), (object)u)).ToArray();
            var sql = $"SELECT username, bytes FROM quota_usage WHERE username IN ({string.Join(", ", args.Select(a => a.Item1))})";
            foreach (var (user, bytes) in Db.Read(c => LocalDatabase.Query(c, null, sql, r => (r.GetString(0), r.GetInt64(1)), args)))
            {
                result[user] = bytes;
            }

            return result;
        }

        /// <summary>Drops the login and usage rows of removed mailboxes (a re-created address starts with no history).</summary>
        public void ForgetLogins(IReadOnlyList<string> usernames)
        {
            Db.Write((c, tx) =>
            {
                foreach (var u in usernames)
                {
                    LocalDatabase.Exec(c, tx, "DELETE FROM last_login WHERE lower(username) = lower($u)", ("$u", u));
                    LocalDatabase.Exec(c, tx, "DELETE FROM quota_usage WHERE lower(username) = lower($u)", ("$u", u));
                }

                return 0;
            });
        }

        /// <summary>A settings row, or null.</summary>
        public string Setting(string name)
            => Db.Read(c => LocalDatabase.Scalar(c, null, "SELECT value FROM settings WHERE name = $n", ("$n", name)) as string);

        /// <summary>The dovecot.conf Export-MailServerConfig wrote for this store (null: the store serves no Dovecot yet).</summary>
        public string DovecotConfig() => Setting(DovecotAcl.ConfigSetting);

        /// <summary>Whether any Dovecot serves the store yet: the one beside a SQLite store, or a mail host recorded in a shared one.</summary>
        public bool ServesMail() => Db.Dialect.IsShared ? Hosts.List().Count > 0 : DovecotConfig() != null;
    }
}
