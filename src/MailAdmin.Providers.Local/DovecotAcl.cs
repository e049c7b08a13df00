using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// Applies a mailbox's ReadOnly/FullAccess grants as IMAP ACLs on every folder of it, through doveadm (Dovecot 2.3 keeps
    /// ACLs in files, not in SQL). Runs when the store knows its Dovecot (Export-MailServerConfig records the config) and doveadm
    /// is installed; the shared namespace then lists the folders to the trustee.
    /// </summary>
    internal static class DovecotAcl
    {
        public const string ConfigSetting = "dovecot_config";
        internal const string ReadOnlyRights = "lookup read";
        internal const string FullAccessRights = "lookup read write write-seen write-deleted insert post expunge create delete";

        /// <summary>The shared namespace's prefix root in the generated dovecot.conf (prefix = shared/%%u/).</summary>
        private const string SharedRoot = "shared";

        public static string FindDoveadm() => DovecotTools.Find("doveadm");

        private static (int code, string output) Run(string doveadm, string config, params string[] args)
            => DovecotTools.Run(doveadm, null, new[] { "-c", config }.Concat(args).ToArray());

        /// <summary>Makes the owner's folders carry exactly the given trustees' rights (user= entries; others are left alone).</summary>
        public static void Apply(string config, string owner, IReadOnlyDictionary<string, MailAccessRight> trustees)
        {
            var doveadm = FindDoveadm();
            if (doveadm == null || !File.Exists(config))
            {
                return;
            }

            var (code, list) = Run(doveadm, config, "mailbox", "list", "-u", owner);
            if (code != 0)
            {
                throw Fail(owner, "list its folders", list);
            }
            // the owner's own folders only: the shared namespace lists other people's mailboxes it may open
            foreach (var folder in list.Split('\n').Select(l => l.Trim()).Where(
                l => l.Length > 0 && l != SharedRoot && !l.StartsWith(SharedRoot + "/", StringComparison.Ordinal)))
            {
                var (gc, current) = Run(doveadm, config, "acl", "get", "-u", owner, folder);
                if (gc != 0)
                {
                    throw Fail(owner, $"read the ACL of {folder}", current);
                }

                var existing = current.Split('\n').Select(l => l.Trim().Split(' ')[0]).Where(id => id.StartsWith("user=", StringComparison.Ordinal)).Select(
                    id => id.Substring(5)).ToList();
                foreach (var gone in existing.Where(u => !trustees.ContainsKey(u)))
                {
                    var (dc, dout) = Run(doveadm, config, "acl", "delete", "-u", owner, folder, "user=" + gone);
                    if (dc != 0)
                    {
                        throw Fail(owner, $"remove {gone} from {folder}", dout);
                    }
                }
                foreach (var t in trustees)
                {
                    var args = new List<string> { "acl", "set", "-u", owner, folder, "user=" + t.Key };
                    args.AddRange((t.Value == MailAccessRight.FullAccess ? FullAccessRights : ReadOnlyRights).Split(' '));
                    var (sc, sout) = Run(doveadm, config, args.ToArray());
                    if (sc != 0)
                    {
                        throw Fail(owner, $"give {t.Key} {t.Value} on {folder}", sout);
                    }
                }
            }
        }

        private static MailAdminException Fail(string owner, string what, string output)
            => new MailAdminException(MailErrorKind.InvalidOperation, "DovecotAclFailed",
                $"The permission is stored, but Dovecot (doveadm) could not {what} of {owner}: {output}. Fix Dovecot, then run Sync-MailServerState to bring "
                    + $"the folder rights in line with the store.", owner)
            { Provider = LocalMailProvider.ProviderName };
    }
}
