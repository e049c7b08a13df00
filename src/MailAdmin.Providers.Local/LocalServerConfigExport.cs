using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    using static LocalLookups;

    /// <summary>Export-MailServerConfig for a Local store: Postfix, Dovecot (and with -Rspamd, rspamd) files, and what the store
    /// must remember of them (the Dovecot configuration and the mail root, for the mail-server state).</summary>
    internal static class LocalServerConfigExport
    {
        public static List<string> Export(LocalStore s, string templateDirectory, string outputDirectory, MailServerConfigOptions options, bool overwrite)
        {
            options.StorePath = s.Db.Path;
            var pg = s.Db.Dialect as PostgresStoreDialect;
            if (pg != null)
            {
                RequireMailHostAccess(options);
                options.DatabaseHost = string.IsNullOrWhiteSpace(options.DatabaseHost) ? pg.Host : options.DatabaseHost;
                options.DatabasePort = pg.Port;
                options.DatabaseName = pg.Database;
            }
            else
            {
                LastLogins.CreateStore(ServerConfigWriter.LoginsPathFor(options.StorePath));
            }

            var files = ServerConfigWriter.Write(templateDirectory, outputDirectory, options, overwrite);
            // remembered so that ReadOnly/FullAccess grants reach Dovecot as IMAP ACLs at once (doveadm acl)
            var dovecot = files.FirstOrDefault(f => f.EndsWith("dovecot.conf", StringComparison.Ordinal));
            if (pg != null)
            {
                files.Add(WriteRoles(outputDirectory, options, overwrite));
                s.Hosts.Register(options.HostName, options.DoveadmUrl, options.MailRoot, options.DoveadmApiKey);
            }

            if (dovecot != null)
            {
                var level = s.Db.Write((c, tx) =>
                {
                    // a SQLite store serves the Dovecot on this machine; a shared store's hosts are recorded in mail_host
                    if (pg == null)
                    {
                        SetSetting(c, tx, DovecotAcl.ConfigSetting, dovecot);
                        // where the mailboxes' homes are: removal and Sync-MailServerState work there
                        SetSetting(c, tx, DovecotServerState.MailRootSetting, options.MailRoot.TrimEnd('/'));
                    }

                    return s.Security.ReadPolicy(c, tx).SpamFilterLevel.Value;
                });
                // the default script Dovecot runs for mailboxes without their own. When sievec cannot compile it yet (Dovecot not
                // installed, certificate not in place) Dovecot compiles it at each delivery instead and logs that it cannot save it.
                try
                {
                    DovecotSieve.WriteDefault(dovecot, SieveCompiler.CompileDefault(level));
                }
                catch (MailAdminException e)
                {
                    // expected before Dovecot or the certificate is in place (see above); the export goes on, and this method
                    // has no pipeline to warn on
                    System.Diagnostics.Trace.WriteLine($"the default Sieve script was not compiled: {e.Message}");
                }
                files.Add(Path.Combine(Path.GetDirectoryName(dovecot), DovecotSieve.DefaultScriptFile));
            }
            if (options.Rspamd)
            {
                files.AddRange(s.Dkim.ExportRspamdConfig(templateDirectory, outputDirectory, options, overwrite));
            }

            return files;
        }

        private static void RequireMailHostAccess(MailServerConfigOptions o)
        {
            if (o.DoveadmUrl == null || o.DoveadmApiKey == null || o.DoveadmApiKey.Length < 16)
            {
                throw MailAdminException.Invalid("DoveadmApiRequired",
                    "This Local store is in PostgreSQL and may be served by several mail hosts, so the module reaches each host's Dovecot through "
                    + "its doveadm HTTP API: give -DoveadmUrl http://address:port and -DoveadmApiKey (at least 16 characters; the store keeps it "
                    + "among its secrets, and dovecot.conf reads the same text from doveadm-api.key).", o.HostName);
            }
        }

        /// <summary>The SQL that makes the mail hosts' database roles (run once by the database owner; no password in it).</summary>
        private static string WriteRoles(string outputDirectory, MailServerConfigOptions o, bool overwrite)
        {
            var dir = Path.Combine(outputDirectory, "postgresql");
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, "mailhost-roles.sql");
            if (File.Exists(file) && !overwrite)
            {
                throw MailAdminException.Exists("ConfigFileExists", $"'{file}' exists; add -Force to overwrite it.", file);
            }

            string Q(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
            var postfix = Q(o.PostfixDatabaseUser);
            var dovecot = Q(o.DovecotDatabaseUser);
            var sql = $@"-- Written by Export-MailServerConfig (MailAdmin {o.Version}) for the Local store {o.StorePath}.
-- The database roles the mail hosts read the directory as. Run once as the owner of the store's tables:
--   psql -h {o.DatabaseHost} -p {o.DatabasePort.ToString(CultureInfo.InvariantCulture)} -d {o.DatabaseName} -f mailhost-roles.sql
-- then give each role a way to sign in that suits the site (a password in each service user's ~/.pgpass or PGPASSFILE, a
-- client certificate, or pg_hba.conf rules for the mail hosts' addresses). No password is written here.
DO $do$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{o.PostfixDatabaseUser}') THEN CREATE ROLE {postfix} LOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{o.DovecotDatabaseUser}') THEN CREATE ROLE {dovecot} LOGIN; END IF;
END $do$;
ALTER ROLE {postfix} SET search_path = main;
ALTER ROLE {dovecot} SET search_path = main;
GRANT CONNECT ON DATABASE {Q(o.DatabaseName)} TO {postfix}, {dovecot};
-- the directory (no secret is in it): Postfix's maps, the group sender policy, Dovecot's userdb and deny lists
GRANT USAGE ON SCHEMA main TO {postfix}, {dovecot};
GRANT SELECT ON ALL TABLES IN SCHEMA main TO {postfix}, {dovecot};
ALTER DEFAULT PRIVILEGES IN SCHEMA main GRANT SELECT ON TABLES TO {postfix}, {dovecot};
-- Dovecot's dict records last logins and used space
GRANT INSERT, UPDATE, DELETE ON main.last_login, main.quota_usage TO {dovecot};
-- the password hashes and app passwords: Dovecot's passdb only (Postfix never reads them)
GRANT USAGE ON SCHEMA secret TO {dovecot};
GRANT SELECT ON secret.mailbox_secret, secret.app_password TO {dovecot};
";
            File.WriteAllText(file, sql.Replace("\r\n", "\n"));
            return file;
        }
    }
}
