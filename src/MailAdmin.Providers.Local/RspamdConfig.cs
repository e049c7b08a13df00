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
    /// <summary>
    /// Renders module/templates/rspamd into OUT/rspamd (rspamd's LOCAL_CONFDIR: local.d/*.conf and rspamd.local.lua), writes the
    /// DKIM keys rspamd signs with (OUT/rspamd/dkim, 0700, files 0600, owned by rspamd's user) and the selector map naming the
    /// key in use per domain, and gives Postfix's main.cf the milter lines.
    /// </summary>
    internal static class RspamdConfig
    {
        public static readonly string[] Files =
        {
            "local.d/options.inc", "local.d/logging.inc", "local.d/worker-proxy.inc", "local.d/worker-normal.inc", "local.d/worker-controller.inc",
            "local.d/fuzzy_check.conf", "local.d/dkim_signing.conf", "local.d/arc.conf", "local.d/dmarc.conf", "local.d/actions.conf",
            "local.d/antivirus.conf", "local.d/force_actions.conf", "local.d/milter_headers.conf", "rspamd.local.lua",
        };
        /// <summary>The settings rows that remember the exported rspamd folder and its user (key rotation rewrites the keys there).</summary>
        public const string ConfigSetting = "rspamd_config";
        public const string UserSetting = "rspamd_user";
        public const string SelectorMapFile = "dkim_selectors.map";
        public const string KeyDirectoryName = "dkim";

        /// <summary>main.cf's milter lines ({{MilterSettings}}): none without -Rspamd.</summary>
        public static string MilterSettings(MailServerConfigOptions o)
        {
            if (!o.Rspamd)
            {
                return "# no content filter: Export-MailServerConfig -Rspamd makes rspamd (DKIM, SPF/DMARC, spam, ClamAV) Postfix's milter";
            }

            var address = HostPort(o.RspamdMilterAddress, "-RspamdMilterAddress");
            return "# rspamd is the milter of every message (Export-MailServerConfig -Rspamd): DKIM signing and checks, SPF, DMARC, spam scores, ClamAV\n"
                + $"smtpd_milters = inet:{address}\n"
                + "non_smtpd_milters = $smtpd_milters\n"
                + "milter_protocol = 6\n"
                + "milter_mail_macros = i {mail_addr} {client_addr} {client_name} {auth_type} {auth_authen}\n"
                + (o.ContentFilterFailOpen
                    ? "# -ContentFilterFailOpen: while rspamd is down mail passes unsigned and unscanned (Postfix logs the milter "
                        + "failure)\nmilter_default_action = accept"
                    : "# fail closed: while rspamd is down mail is deferred (4.7.1, the sender retries); postfix.log names the milter\nmilter_default_action "
                        + "= tempfail");
        }

        private static string HostPort(string value, string parameter)
        {
            if (string.IsNullOrWhiteSpace(value) || !Regex.IsMatch(value, @"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$")
                || int.Parse(value.Substring(value.LastIndexOf(':') + 1), CultureInfo.InvariantCulture) is var port && (port < 1 || port > 65535))
            {
                throw MailAdminException.Invalid("InvalidAddress", $"{parameter} '{value}' must be host:port (for example 127.0.0.1:11332).", value);
            }

            return value;
        }

        private static string NameServer(string value)
        {
            var v = (value ?? "").Trim();
            if (Regex.IsMatch(v, @"^\d{1,3}(\.\d{1,3}){3}$") || Regex.IsMatch(v, @"^[0-9A-Fa-f:]+$") && v.Contains(":") && !v.Contains("."))
            {
                return v;
            }

            if (Regex.IsMatch(v, @"^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$") || Regex.IsMatch(v, @"^\[[0-9A-Fa-f:]+\]:\d{1,5}$"))
            {
                return v;
            }

            throw MailAdminException.Invalid("InvalidDnsServer", $"-DnsServer '{value}' must be an IP address, optionally with :port (127.0.0.1:5353).", value);
        }

        public static Dictionary<string, string> Values(MailServerConfigOptions o, string rspamdDirectory, SpamFilterLevel level)
        {
            if (!Regex.IsMatch(o.RspamdUser ?? "", "^[a-z_][a-z0-9_-]{0,31}$"))
            {
                throw MailAdminException.Invalid("InvalidUserName", $"-RspamdUser '{o.RspamdUser}' is not a system user name.", o.RspamdUser);
            }

            if (o.RspamdWorkers < 1 || o.RspamdWorkers > 64)
            {
                throw MailAdminException.Invalid("InvalidWorkerCount", $"-RspamdWorkers {o.RspamdWorkers} is out of range 1-64.", o.RspamdWorkers);
            }

            var clamd = (o.ClamdAddress ?? "").Trim();
            if (!(clamd.StartsWith("/", StringComparison.Ordinal) && clamd.IndexOfAny(new[] { '"', '\n', ' ' }) < 0))
            {
                clamd = HostPort(clamd, "-ClamdAddress");
            }

            var servers = (o.DnsServer ?? new string[0]).Where(s => !string.IsNullOrWhiteSpace(s)).Select(NameServer).ToList();
            var ci = CultureInfo.InvariantCulture;
            var failRule = o.ContentFilterFailOpen ? "  # -ContentFilterFailOpen: mail passes unscanned (rspamd logs \"clamav: failed to scan\")"
                : "  MAILADMIN_CLAMD_DOWN {\n    expression = \"CLAM_VIRUS_FAIL\";\n    action = \"soft reject\";\n"
                  + $"    message = \"The virus scanner (ClamAV clamd at {clamd}, through rspamd) is not answering; the message is deferred until it is "
                      + $"back\";\n  }}";
            return new Dictionary<string, string>
            {
                ["Version"] = o.Version,
                ["LogDirectory"] = o.LogDirectory.TrimEnd('/'),
                ["RspamdMilterAddress"] = HostPort(o.RspamdMilterAddress, "-RspamdMilterAddress"),
                ["RspamdControllerAddress"] = HostPort(o.RspamdControllerAddress, "-RspamdControllerAddress"),
                ["RspamdWorkers"] = o.RspamdWorkers.ToString(ci),
                ["RspamdDirectory"] = rspamdDirectory,
                ["RspamdKeyDirectory"] = Path.Combine(rspamdDirectory, KeyDirectoryName),
                ["RspamdUser"] = o.RspamdUser,
                ["SpamFilterLevel"] = level.ToString(),
                ["ClamdAddress"] = clamd,
                ["ClamdFailRule"] = failRule,
                ["VirusScanFailure"] = o.ContentFilterFailOpen ? "fail open (-ContentFilterFailOpen): mail is delivered unscanned"
                    : "fail closed: mail is deferred (4.7.1) until clamd answers",
                ["RspamdNameServerSetting"] = servers.Count == 0
                    ? "# nameserver: the system resolver (/etc/resolv.conf); Export-MailServerConfig -DnsServer sets one"
                    : "nameserver = [" + string.Join(", ", servers.Select(s => "\"" + s + "\"")) + "];",
            };
        }

        /// <summary>Writes OUT/rspamd; returns the files written (the keys' names, never their content).</summary>
        public static List<string> Write(string templateDirectory, string outputDirectory, MailServerConfigOptions o, bool overwrite, SpamFilterLevel level,
            IReadOnlyList<DkimKeyFile> keys, IReadOnlyList<DkimKeyFile> signing)
        {
            var dir = Path.Combine(outputDirectory, "rspamd");
            var values = Values(o, dir, level);
            var written = new List<string>();
            foreach (var file in Files)
            {
                var target = Path.Combine(dir, file);
                if (File.Exists(target) && !overwrite)
                {
                    throw MailAdminException.Exists("ConfigFileExists", $"'{target}' exists; add -Force to overwrite it.", target);
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target));
                File.WriteAllText(
                    target, ServerConfigWriter.Render(File.ReadAllText(Path.Combine(templateDirectory, "rspamd", file)), values).Replace("\r\n", "\n"));
                written.Add(target);
            }
            written.AddRange(WriteKeys(dir, o.RspamdUser, keys, signing));
            return written;
        }

        /// <summary>Makes OUT/rspamd/dkim hold exactly the given keys (0600, owned by <paramref name="user"/>, in a 0700 folder of
        /// that user) and the selector map name the signing ones. The content goes in only after the mode and owner are set.</summary>
        public static List<string> WriteKeys(string rspamdDirectory, string user, IReadOnlyList<DkimKeyFile> keys, IReadOnlyList<DkimKeyFile> signing)
        {
            var keyDir = Path.Combine(rspamdDirectory, KeyDirectoryName);
            Directory.CreateDirectory(keyDir);
            Secure(keyDir, "700", user);
            var written = new List<string>();
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var k in keys)
            {
                var path = Path.Combine(keyDir, $"{k.Domain}.{k.Selector}.key");
                wanted.Add(path);
                if (!File.Exists(path))
                {
                    File.WriteAllText(path, "");
                }

                Secure(path, "600", user);
                File.WriteAllText(path, k.PrivateKeyPem);
                written.Add(path);
            }
            // a key that signs nothing and will not (a previous key, a removed domain) leaves the disk
            foreach (var stale in Directory.GetFiles(keyDir, "*.key").Where(f => !wanted.Contains(f)))
            {
                File.Delete(stale);
            }

            var map = Path.Combine(rspamdDirectory, SelectorMapFile);
            var tmp = map + ".tmp";
            File.WriteAllText(
                tmp, "# domain selector: the DKIM key rspamd signs each domain's mail with (written by MailAdmin; Switch-MailDkimKey changes it)\n"
                + string.Concat(signing.OrderBy(k => k.Domain, StringComparer.Ordinal).Select(k => $"{k.Domain} {k.Selector}\n")));
            // one rename: rspamd never finds the map missing
            if (File.Exists(map))
            {
                File.Replace(tmp, map, null);
            }
            else
            {
                File.Move(tmp, map);
            }

            written.Add(map);
            return written;
        }

        private static void Secure(string path, string mode, string user)
        {
            var chmod = DovecotTools.Find("chmod") ?? "/bin/chmod";
            var (mc, mo) = DovecotTools.Run(chmod, null, mode, path);
            if (mc != 0)
            {
                throw new MailAdminException(MailErrorKind.InvalidOperation, "DkimKeyNotSecured", $"chmod {mode} '{path}' failed: {mo}", path);
            }

            var chown = DovecotTools.Find("chown") ?? "/bin/chown";
            var (oc, oo) = DovecotTools.Run(chown, null, user + ":", path);
            if (oc != 0)
                throw new MailAdminException(MailErrorKind.InvalidOperation, "RspamdUserMissing",
                    $"The DKIM keys for rspamd must belong to rspamd's user '{user}', and chown failed: {oo}. Install rspamd (apt-get install rspamd creates "
                        + $"_rspamd), run as root, or give -RspamdUser.", path);
        }
    }
}
