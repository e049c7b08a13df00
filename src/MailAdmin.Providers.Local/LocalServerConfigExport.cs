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
            var StorePath = s.Db.Path;
            options.StorePath = StorePath;
            LastLogins.CreateStore(ServerConfigWriter.LoginsPathFor(StorePath));
            var files = ServerConfigWriter.Write(templateDirectory, outputDirectory, options, overwrite);
            // remembered so that ReadOnly/FullAccess grants reach Dovecot as IMAP ACLs at once (doveadm acl)
            var dovecot = files.FirstOrDefault(f => f.EndsWith("dovecot.conf", StringComparison.Ordinal));
            if (dovecot != null)
            {
                var level = s.Db.Write((c, tx) =>
                {
                    SetSetting(c, tx, DovecotAcl.ConfigSetting, dovecot);
                    // where the mailboxes' homes are: removal and Sync-MailServerState work there
                    SetSetting(c, tx, DovecotServerState.MailRootSetting, options.MailRoot.TrimEnd('/'));
                    return s.Security.ReadPolicy(c, tx).SpamFilterLevel.Value;
                });
                // the default script Dovecot runs for mailboxes without their own. When sievec cannot compile it yet (Dovecot not
                // installed, certificate not in place) Dovecot compiles it at each delivery instead and logs that it cannot save it.
                try
                {
                    DovecotSieve.WriteDefault(dovecot, SieveCompiler.CompileDefault(level));
                }
                catch (MailAdminException)
                {
                }
                files.Add(Path.Combine(Path.GetDirectoryName(dovecot), DovecotSieve.DefaultScriptFile));
            }
            if (options.Rspamd)
            {
                files.AddRange(s.Dkim.ExportRspamdConfig(templateDirectory, outputDirectory, options, overwrite));
            }

            return files;
        }
    }
}
