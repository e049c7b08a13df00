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
    /// <summary>Renders the Postfix and Dovecot templates ({{Name}} placeholders) shipped with the module.</summary>
    public static class ServerConfigWriter
    {
        public static readonly string[] PostfixFiles =
            {
                "main.cf", "master.cf", "sqlite-domains.cf", "sqlite-local-domains.cf", "sqlite-mailboxes.cf", "sqlite-aliases.cf", "sqlite-sender-logins.cf",
                    "sqlite-send-scope.cf", "sqlite-archive.cf", "sqlite-group-policy.cf", "sqlite-sender-filter.cf", "mailadmin-policy.sh",
              "sqlite-sender-scope.cf", "mailadmin-trusted.cidr", "mailadmin-detail.regexp"
            };
        public static readonly string[] DovecotFiles =
        {
            "dovecot.conf", "dovecot-sql.conf.ext", "dovecot-dict-logins.conf.ext", "dovecot-sql-deny-main.conf.ext", "dovecot-sql-secret.conf.ext",
        };
        /// <summary>App passwords per mailbox: one Dovecot passdb each.</summary>
        public const int AppPasswordSlots = 5;

        public static Dictionary<string, string> Values(MailServerConfigOptions o, string configDirectory)
        {
            string Abs(string p, string name, bool any = false)
            {
                if (any)
                {
                    return p;
                }

                if (string.IsNullOrWhiteSpace(p) || !Path.IsPathRooted(p))
                {
                    throw MailAdminException.Invalid(
                        "PathNotAbsolute", $"{name} '{p}' must be an absolute path: Postfix and Dovecot start from other directories.", p);
                }

                return p.TrimEnd('/');
            }
            RequireOwnPolicyUser(o);
            if (string.IsNullOrWhiteSpace(o.HostName)
                || !Regex.IsMatch(o.HostName, @"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$"))
            {
                throw MailAdminException.Invalid(
                    "InvalidHostName", $"-HostName '{o.HostName}' must be the server's fully qualified name (e.g. mail.contoso.com).", o.HostName);
            }

            foreach (var (name, port) in new[]
            {
                ("SmtpPort", o.SmtpPort), ("SubmissionPort", o.SubmissionPort), ("SubmissionsPort", o.SubmissionsPort), ("ImapPort", o.ImapPort),
                ("ImapsPort", o.ImapsPort), ("Pop3Port", o.Pop3Port), ("Pop3sPort", o.Pop3sPort), ("LmtpPort", o.LmtpPort),
                    ("ManageSievePort", o.ManageSievePort)
            })
                if (port < 1 || port > 65535)
                {
                    throw MailAdminException.Invalid("InvalidPort", $"-{name} {port} is out of range 1-65535.", port);
                }

            var ci = CultureInfo.InvariantCulture;
            var pg = !string.IsNullOrEmpty(o.DatabaseName);
            var store = Abs(o.StorePath, "The store", pg);
            var secrets = pg ? null : LocalDatabase.SecretsPathFor(store);
            string Conninfo(string user) => $"host={o.DatabaseHost} port={o.DatabasePort.ToString(ci)} dbname={o.DatabaseName} user={user}";
            var outbound = o.NoOutbound
                ? "default_transport = error:outbound mail is disabled on this host\nrelay_transport = error:outbound mail is disabled on this "
                    + "host\nsmtp_dns_support_level = disabled\nsmtpd_peername_lookup = no"
                : "smtp_dns_support_level = dnssec";
            return new Dictionary<string, string>
            {
                ["Version"] = o.Version,
                ["StorePath"] = store,
                ["MapType"] = pg ? "pgsql" : "sqlite",
                ["SqlDriver"] = pg ? "pgsql" : "sqlite",
                ["PostfixMapConnection"] = pg
                    ? $"hosts = {o.DatabaseHost}:{o.DatabasePort.ToString(ci)}\nuser = {UserName(o.PostfixDatabaseUser, "-PostfixDatabaseUser")}\ndbname = "
                        + $"{o.DatabaseName}"
                    : "dbpath = " + store,
                ["DirectoryConnect"] = pg ? Conninfo(UserName(o.DovecotDatabaseUser, "-DovecotDatabaseUser")) : store,
                ["SecretsConnect"] = pg ? Conninfo(o.DovecotDatabaseUser) : secrets,
                ["LoginsConnect"] = pg ? Conninfo(o.DovecotDatabaseUser) : LoginsPathFor(store),
                ["SecretSchema"] = pg ? "secret." : "",
                ["PolicyQueryCommand"] = pg
                    ? $"psql -X -q -t -A -w -h '{o.DatabaseHost}' -p {o.DatabasePort.ToString(ci)} -U '{o.PostfixDatabaseUser}' -d '{o.DatabaseName}' -c"
                    : "sqlite3 -readonly -batch -noheader -cmd \".timeout 3000\" \"$store\"",
                ["DoveadmSettings"] = pg ? DoveadmSettings(o, configDirectory) : "",
                ["HostName"] = o.HostName,
                ["ConfigDirectory"] = configDirectory,
                ["CertificateFile"] = Abs(o.CertificateFile, "-CertificateFile"),
                ["KeyFile"] = Abs(o.KeyFile, "-KeyFile"),
                ["ListenAddress"] = o.ListenAddress,
                ["SmtpPort"] = o.SmtpPort.ToString(ci),
                ["SubmissionPort"] = o.SubmissionPort.ToString(ci),
                ["SubmissionsPort"] = o.SubmissionsPort.ToString(ci),
                ["ImapPort"] = o.ImapPort.ToString(ci),
                ["ImapsPort"] = o.ImapsPort.ToString(ci),
                ["Pop3Port"] = o.Pop3Port.ToString(ci),
                ["Pop3sPort"] = o.Pop3sPort.ToString(ci),
                ["LmtpPort"] = o.LmtpPort.ToString(ci),
                ["ManageSievePort"] = o.ManageSievePort.ToString(ci),
                ["MailRoot"] = Abs(o.MailRoot, "-MailRoot"),
                ["VmailUid"] = o.VmailUid.ToString(ci),
                ["VmailGid"] = o.VmailGid.ToString(ci),
                ["RunDirectory"] = Abs(o.RunDirectory, "-RunDirectory"),
                ["LogDirectory"] = Abs(o.LogDirectory, "-LogDirectory"),
                ["QueueDirectory"] = Abs(o.QueueDirectory, "-QueueDirectory"),
                ["DataDirectory"] = Abs(o.DataDirectory, "-DataDirectory"),
                ["InstanceName"] = o.InstanceName,
                ["AuthFailureDelay"] = o.AuthFailureDelay.ToString(ci),
                ["OutboundSettings"] = outbound,
                ["DhFile"] = Abs(o.DhFile, "-DhFile"),
                ["PolicyUser"] = PolicyUser(o.PolicyUser),
                ["VmailUser"] = UserName(o.VmailUser, "-VmailUser"),
                ["MilterSettings"] = RspamdConfig.MilterSettings(o),
                ["AppPasswordPassdbs"] = string.Join(
                    "\n", Enumerable.Range(1, AppPasswordSlots).Select(i => $"passdb {{\n  driver = sql\n  args = "
                        + $"{configDirectory}/dovecot-sql-app{i}.conf.ext\n}}")),
            };
        }

        /// <summary>doveadm's HTTP API for the module (a store in PostgreSQL): the key is read from a file the admin writes.</summary>
        private static string DoveadmSettings(MailServerConfigOptions o, string configDirectory)
        {
            var u = o.DoveadmUrl;
            if (u == null || u.Scheme != Uri.UriSchemeHttp || u.Port <= 0 || u.AbsolutePath != "/")
            {
                throw MailAdminException.Invalid("DoveadmUrlRequired",
                    $"-DoveadmUrl '{u}' must be http://address:port (no path): with a store in PostgreSQL the module reaches each mail host's "
                    + "Dovecot through its doveadm HTTP API. Keep that port reachable from the admins' workstations only.", u);
            }

            var ci = CultureInfo.InvariantCulture;
            var address = u.HostNameType == UriHostNameType.Dns ? "*" : u.Host;
            return "# doveadm's HTTP API: MailAdmin applies Sieve scripts, folder rights, session ends and removals through it. Its key is\n"
                + "# the text of doveadm-api.key beside this file (mode 0600; the same text as -DoveadmApiKey, which the store keeps).\n"
                + $"doveadm_api_key = <{configDirectory}/doveadm-api.key\n"
                + "service doveadm {\n  inet_listener http {\n"
                + $"    address = {address}\n    port = {u.Port.ToString(ci)}\n    ssl = no\n  }}\n}}";
        }

        /// <summary>Where Dovecot records each mailbox's last IMAP/POP3 login (last_login plugin): a file beside the store, so that
        /// Dovecot never writes the directory itself.</summary>
        public static string LoginsPathFor(string storePath)
            => Path.Combine(Path.GetDirectoryName(storePath) ?? "", Path.GetFileNameWithoutExtension(storePath) + ".logins.db");

        private static string UserName(string user, string parameter)
        {
            if (string.IsNullOrWhiteSpace(user) || !Regex.IsMatch(user, "^[a-z_][a-z0-9_-]{0,31}$"))
            {
                throw MailAdminException.Invalid("InvalidUserName", $"{parameter} '{user}' is not a system user name.", user);
            }

            return user;
        }

        private static string PolicyUser(string user)
        {
            if (UserName(user, "-PolicyUser") == "postfix" || user == "root")
            {
                throw MailAdminException.Invalid(
                    "InvalidPolicyUser", $"-PolicyUser '{user}' must be an unprivileged system user name other than root and postfix (Postfix's spawn refuses "
                        + $"both); it must be able to read the store.", user);
            }

            return user;
        }

        /// <summary>The policy service must not run as the mail user: every IMAP, LMTP and Sieve process runs as that user.</summary>
        private static void RequireOwnPolicyUser(MailServerConfigOptions o)
        {
            if (string.Equals(o.PolicyUser, o.VmailUser, StringComparison.Ordinal))
                throw MailAdminException.Invalid("InvalidPolicyUser",
                    $"-PolicyUser '{o.PolicyUser}' is the mail user (-VmailUser): the group sender policy needs a user of its own (e.g. mailadmin-policy, "
                        + $"which the README's Debian steps create), so that the mail processes cannot read the store.", o.PolicyUser);
        }

        public static string Render(string template, IReadOnlyDictionary<string, string> values)
            => Regex.Replace(template, @"\{\{(\w+)\}\}", m => values.TryGetValue(m.Groups[1].Value, out var v) ? v
                : throw new InvalidOperationException($"The template uses {{{{{m.Groups[1].Value}}}}}, which has no value."));

        /// <summary>Writes postfix/ and dovecot/ under <paramref name="outputDirectory"/>; returns the files written.</summary>
        public static List<string> Write(string templateDirectory, string outputDirectory, MailServerConfigOptions o, bool overwrite)
        {
            var written = new List<string>();
            foreach (var (sub, files) in new[] { ("postfix", PostfixFiles), ("dovecot", DovecotFiles) })
            {
                var dir = Path.Combine(outputDirectory, sub);
                var values = Values(o, dir);
                Directory.CreateDirectory(dir);
                // (output file, template, values): each template once, the app-password passdb once per slot
                var jobs = files.Select(f => (f.StartsWith("sqlite-", StringComparison.Ordinal) ? values["MapType"] + f.Substring("sqlite".Length) : f, f,
                    (IReadOnlyDictionary<string, string>)values)).ToList();
                if (sub == "dovecot")
                    jobs.AddRange(Enumerable.Range(1, AppPasswordSlots).Select(slot => ($"dovecot-sql-app{slot}.conf.ext", "dovecot-sql-app.conf.ext",
                        (IReadOnlyDictionary<string, string>)new Dictionary<string,
                            string>(values) { ["Slot"] = slot.ToString(CultureInfo.InvariantCulture) })));
                foreach (var (file, template, v) in jobs)
                {
                    var target = Path.Combine(dir, file);
                    if (File.Exists(target) && !overwrite)
                    {
                        throw MailAdminException.Exists("ConfigFileExists", $"'{target}' exists; add -Force to overwrite it.", target);
                    }

                    File.WriteAllText(target, Render(File.ReadAllText(Path.Combine(templateDirectory, sub, template)), v).Replace("\r\n", "\n"));
                    written.Add(target);
                }
            }
            return written;
        }
    }
}
