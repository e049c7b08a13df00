using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>Puts scripts into Dovecot with doveadm (and sievec for the default script).</summary>
    internal static class DovecotSieve
    {
        public const string ScriptName = "mailadmin";
        public const string DefaultScriptFile = "mailadmin-default.sieve";

        /// <summary>Installs and activates the mailbox's script, or removes it when there is nothing to run.</summary>
        public static void Apply(string config, string mailbox, string script)
        {
            var doveadm = DovecotTools.Find("doveadm");
            if (doveadm == null || config == null || !File.Exists(config))
            {
                return;
            }

            if (script == null)
            {
                var (lc, list) = DovecotTools.Run(doveadm, null, "-c", config, "sieve", "list", "-u", mailbox);
                if (lc != 0)
                {
                    throw Fail(mailbox, "list its Sieve scripts", list);
                }
                // (doveadm lists "name" or "name ACTIVE"; the store's default script may be listed too, under its own name)
                if (!list.Split('\n').Any(l => l.Trim().Split(' ', '\t')[0] == ScriptName))
                {
                    return;
                }

                DovecotTools.Run(doveadm, null, "-c", config, "sieve", "deactivate", "-u", mailbox);
                var (dc, dout) = DovecotTools.Run(doveadm, null, "-c", config, "sieve", "delete", "-u", mailbox, ScriptName);
                if (dc != 0)
                {
                    throw Fail(mailbox, "remove its Sieve script", dout);
                }

                return;
            }
            var (code, output) = DovecotTools.Run(doveadm, script, "-c", config, "sieve", "put", "-u", mailbox, "-a", ScriptName);
            if (code != 0)
            {
                throw Fail(mailbox, "install its Sieve script", output);
            }
        }

        /// <summary>Writes the store's default script beside dovecot.conf and precompiles it when sievec is there (the delivery
        /// process may not write beside it); returns its path, or null when the folder is gone.</summary>
        public static string WriteDefault(string config, string script)
        {
            if (config == null)
            {
                return null;
            }

            var dir = Path.GetDirectoryName(config);
            if (dir == null || !Directory.Exists(dir))
            {
                return null;
            }

            var path = Path.Combine(dir, DefaultScriptFile);
            File.WriteAllText(path, script);
            var sievec = DovecotTools.Find("sievec");
            if (sievec == null || !File.Exists(config))
            {
                return path;
            }

            var (code, output) = DovecotTools.Run(sievec, null, "-c", config, path);
            if (code != 0)
            {
                throw Fail("the store", "compile the default Sieve script", output);
            }

            return path;
        }

        private static MailAdminException Fail(string mailbox, string what, string output)
            => new MailAdminException(MailErrorKind.InvalidOperation, "DovecotSieveFailed",
                $"The change is stored, but Dovecot (doveadm) could not {what} for {mailbox}: {output}. Fix Dovecot, then run Sync-MailServerState to bring "
                    + $"the server in line with the store.", mailbox)
            { Provider = LocalMailProvider.ProviderName };
    }
}
