using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using System.Threading;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// The mailbox-side state of a shared store (PostgreSQL), applied to every mail host the store records, through each host's
    /// doveadm HTTP API: the module never needs a shell on a mail host. Sieve scripts (sieve put/activate/delete), IMAP ACLs
    /// (acl set/delete per folder), session ends (kick) and removed mailboxes' homes (fs delete) go to each host in turn; a host
    /// that cannot be reached does not stop the others, and the change is reported as drift that Sync-MailServerState mends
    /// when the host is back (it compares each host with the store: scripts, folder rights, homes due for purging).
    /// </summary>
    internal sealed class DoveadmHttpServerState : IMailServerState
    {
        private const string SharedRoot = "shared";
        private static readonly string[] ReadOnlyRights = DovecotAcl.ReadOnlyRights.Split(' ');
        private static readonly string[] FullAccessRights = DovecotAcl.FullAccessRights.Split(' ');

        private readonly LocalStore _s;

        public DoveadmHttpServerState(LocalStore s)
        {
            _s = s;
        }

        private List<(MailHost host, DoveadmClient client)> Hosts() => _s.Hosts.List().Select(h => (h, new DoveadmClient(h))).ToList();

        /// <summary>Runs the work on every host; what failed on some is one drift error naming them, after all were tried.
        /// Returns how many hosts there are.</summary>
        private int OnEveryHost(string what, string mailbox, Action<MailHost, DoveadmClient> work)
        {
            var problems = new List<string>();
            var hosts = Hosts();
            foreach (var (host, client) in hosts)
            {
                try
                {
                    work(host, client);
                }
                catch (MailAdminException e)
                {
                    problems.Add($"{host.Name}: {e.Message}");
                }
            }

            if (problems.Count > 0)
            {
                throw Drift(what, problems, mailbox);
            }

            return hosts.Count;
        }

        private static MailAdminException Drift(string what, IEnumerable<string> problems, object target)
            => new MailAdminException(MailErrorKind.InvalidOperation, "MailServerStateDrift",
                $"{what}, but not every mail host has it yet: {string.Join("; ", problems)}. "
                + "Run Sync-MailServerState when the hosts are back to bring them in line with the store.", target)
            { Provider = LocalMailProvider.ProviderName };

        public void ApplySieve(string mailbox, string script)
            => OnEveryHost($"The rules of '{MailNames.AddressToUnicode(mailbox)}' are stored", mailbox, (h, c) => PutSieve(c, mailbox, script));

        private static void PutSieve(DoveadmClient c, string mailbox, string script)
        {
            if (script == null)
            {
                var list = c.Run("sieveList", new { user = mailbox });
                if (!list.Values("script").Contains(DovecotSieve.ScriptName))
                {
                    return;
                }

                c.Run("sieveDeactivate", new { user = mailbox });
                c.Run("sieveDelete", new { user = mailbox, scriptname = new[] { DovecotSieve.ScriptName } });
                return;
            }

            c.Run("sievePut", new { user = mailbox, scriptname = DovecotSieve.ScriptName, file = script });
            c.Run("sieveActivate", new { user = mailbox, scriptname = DovecotSieve.ScriptName });
        }

        /// <summary>
        /// The default script is a file beside each host's dovecot.conf, which only Export-MailServerConfig writes: the API
        /// cannot reach it. A change of it (the store's spam filing level) is reported so that the admin exports again.
        /// </summary>
        public void WriteDefaultSieve(string script)
        {
            var hosts = _s.Hosts.List();
            if (hosts.Count == 0)
            {
                return;
            }

            throw new MailAdminException(MailErrorKind.InvalidOperation, "MailServerStateDrift",
                "The spam filing level is stored, but the default Sieve script it becomes is a file beside each mail host's dovecot.conf: run "
                + $"Export-MailServerConfig -Force again for {string.Join(", ", hosts.Select(h => h.Name))} to write it there.", null)
            { Provider = LocalMailProvider.ProviderName };
        }

        public void ApplyAcl(string owner, IReadOnlyDictionary<string, MailAccessRight> trustees)
            => OnEveryHost($"The folder rights of '{MailNames.AddressToUnicode(owner)}' are stored", owner, (h, c) => PutAcl(c, owner, trustees));

        private static IEnumerable<string> OwnFolders(DoveadmClient c, string owner)
        {
            var list = c.Run("mailboxList", new { user = owner });
            // the owner's own folders only: the shared namespace lists other people's mailboxes it may open
            return list.Values("mailbox").Where(f => f != SharedRoot && !f.StartsWith(SharedRoot + "/", StringComparison.Ordinal)).ToList();
        }

        private static Dictionary<string, string> ReadAcl(DoveadmClient c, string owner, string folder)
            => c.Run("aclGet", new { user = owner, mailbox = folder }).Rows
                .Select(r => (id: (string)r["id"], rights: (string)r["rights"]))
                .Where(x => x.id != null && x.id.StartsWith("user=", StringComparison.Ordinal))
                .ToDictionary(x => x.id.Substring(5), x => x.rights ?? "", StringComparer.Ordinal);

        private static string[] RightsOf(MailAccessRight right) => right == MailAccessRight.FullAccess ? FullAccessRights : ReadOnlyRights;

        /// <summary>Makes the owner's folders on one host carry exactly these trustees' rights; returns the folders changed.</summary>
        private static List<string> PutAcl(DoveadmClient c, string owner, IReadOnlyDictionary<string, MailAccessRight> trustees, bool apply = true)
        {
            var changed = new List<string>();
            foreach (var folder in OwnFolders(c, owner))
            {
                var current = ReadAcl(c, owner, folder);
                var differs = false;
                foreach (var gone in current.Keys.Where(u => !trustees.ContainsKey(u)).ToList())
                {
                    differs = true;
                    if (apply)
                    {
                        c.Run("aclDelete", new { user = owner, mailbox = folder, id = "user=" + gone });
                    }
                }

                foreach (var t in trustees)
                {
                    var want = RightsOf(t.Value);
                    if (current.TryGetValue(t.Key, out var have) && SameRights(have, want))
                    {
                        continue;
                    }

                    differs = true;
                    if (apply)
                    {
                        c.Run("aclSet", new { user = owner, mailbox = folder, id = "user=" + t.Key, right = want });
                    }
                }

                if (differs)
                {
                    changed.Add(folder);
                }
            }

            return changed;
        }

        private static bool SameRights(string have, string[] want)
            => new HashSet<string>(have.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal).SetEquals(want);

        public void RevokeOwnGrants(string mailbox)
            => OnEveryHost($"'{MailNames.AddressToUnicode(mailbox)}' is not removed yet: the folder rights it gave must go first", mailbox,
                (h, c) => PutAcl(c, mailbox, new Dictionary<string, MailAccessRight>()));

        private static string HomeOf(MailHost host, string address)
            => host.MailRoot.TrimEnd('/') + "/" + MailNames.DomainOf(address) + "/" + MailNames.LocalPartOf(address);

        private static void DeleteHome(DoveadmClient c, MailHost host, string address)
            => c.Run("fsDelete", new { fsDriver = "posix", fsArgs = "dirs", path = new[] { HomeOf(host, address) }, recursive = true });

        /// <summary>The home an earlier mailbox of this address left on the hosts (kept after its removal) is deleted before the
        /// address is used again: a new hire never finds the old mail, scripts or folder rights.</summary>
        public void SetAsideOrphan(string address, DbConnection c, DbTransaction tx)
        {
            var kept = LocalDatabase.Scalar(c, tx, "SELECT purge_after FROM removed_home WHERE address = $a", ("$a", address));
            if (kept == null || kept is DBNull)
            {
                return;
            }

            OnEveryHost($"'{MailNames.AddressToUnicode(address)}' cannot be created yet: the mail its earlier mailbox left must be deleted first",
                address, (h, client) => DeleteHome(client, h, address));
            LocalDatabase.Exec(c, tx, "DELETE FROM removed_home WHERE address = $a", ("$a", address));
        }

        public bool EndSessions(string mailbox)
            => OnEveryHost($"'{MailNames.AddressToUnicode(mailbox)}' is changed", mailbox, (h, c) => c.Run("kick", new { mask = new[] { mailbox } })) > 0;

        /// <summary>
        /// After the store rows are gone: the grants the removed mailboxes held leave their owners' ACLs on every host, their
        /// sessions end, and their homes are deleted at once (-PurgeMail) or kept until the retention ends (recorded in the store;
        /// Sync-MailServerState deletes them on every host when due). A host that is down gets its part at the next sync.
        /// </summary>
        public void CleanUpRemoved(IReadOnlyList<string> mailboxes, IReadOnlyList<string> owners, MailRemovalOptions options, string domain = null)
        {
            if (options.RetainDays < 0 || options.RetainDays > 3650)
            {
                throw MailAdminException.Invalid("InvalidRetention", $"-RetainMailDays {options.RetainDays} is out of range 0-3650.", options.RetainDays);
            }

            var problems = new List<string>();
            foreach (var owner in owners.Except(mailboxes))
            {
                try
                {
                    _s.Permissions.ApplyAcl(owner);
                }
                catch (MailAdminException e)
                {
                    problems.Add(e.Message);
                }
            }

            var purgeAfter = options.Purge ? DateTime.UtcNow : DateTime.UtcNow.AddDays(options.RetainDays);
            _s.Db.Write((c, tx) =>
            {
                foreach (var m in mailboxes)
                {
                    LocalDatabase.Exec(c, tx, @"INSERT INTO removed_home(address, purge_after) VALUES($a, $p)
                        ON CONFLICT(address) DO UPDATE SET purge_after = excluded.purge_after",
                        ("$a", m), ("$p", purgeAfter.ToString("o", CultureInfo.InvariantCulture)));
                }

                return 0;
            });
            foreach (var (host, client) in Hosts())
            {
                foreach (var m in mailboxes)
                {
                    try
                    {
                        client.Run("kick", new { mask = new[] { m } });
                    }
                    catch (MailAdminException e)
                    {
                        problems.Add($"{host.Name}: {e.Message}");
                    }

                    try
                    {
                        if (options.Purge)
                        {
                            DeleteHome(client, host, m);
                        }
                    }
                    catch (MailAdminException e)
                    {
                        problems.Add($"{host.Name}: {e.Message}");
                    }
                }
            }

            if (options.Purge && problems.Count == 0)
            {
                _s.Db.Write((c, tx) =>
                {
                    foreach (var m in mailboxes)
                    {
                        LocalDatabase.Exec(c, tx, "DELETE FROM removed_home WHERE address = $a", ("$a", m));
                    }

                    return 0;
                });
            }

            _s.ForgetLogins(mailboxes);
            if (problems.Count > 0)
            {
                var what = mailboxes.Count == 1
                    ? $"'{MailNames.AddressToUnicode(mailboxes[0])}' is removed from the store"
                    : $"{mailboxes.Count} mailboxes are removed from the store";
                throw Drift(what, problems, mailboxes.FirstOrDefault());
            }
        }

        public IReadOnlyList<MailServerStateChange> Reconcile(bool apply, IProgress<string> progress, CancellationToken ct)
        {
            var changes = new List<MailServerStateChange>();
            void Change(string mailbox, string component, string change, string detail, bool applied)
                => changes.Add(DovecotServerState.StateChange(mailbox, component, change, detail, applied));
            var mailboxes = _s.Db.Read(c => LocalDatabase.Query(c, null, "SELECT username FROM mailbox ORDER BY username", r => r.GetString(0)));
            var scripted = new HashSet<string>(_s.Db.Read(c => LocalDatabase.Query(c, null, LocalRuleStore.ScriptedMailboxes, r => r.GetString(0))),
                StringComparer.Ordinal);
            var grants = DovecotServerState.FolderGrants(_s);
            var due = _s.Db.Read(c => LocalDatabase.Query(c, null, "SELECT address, purge_after FROM removed_home", r => (r.GetString(0), r.GetString(1))))
                .Where(x => LocalDatabase.ParseTime(x.Item2) <= DateTime.UtcNow).Select(x => x.Item1).ToList();
            var purgedEverywhere = new HashSet<string>(due, StringComparer.Ordinal);
            foreach (var (host, client) in Hosts())
            {
                progress?.Report(host.Name);
                try
                {
                    client.Run("mailboxList", new { user = mailboxes.FirstOrDefault() ?? "postmaster@invalid" });
                }
                catch (MailAdminException e)
                {
                    Change(null, "Host", "Failed", $"{host.Name}: {e.Message}", false);
                    purgedEverywhere.Clear();
                    continue;
                }

                // 1. homes of removed mailboxes whose retention has ended
                foreach (var address in due)
                {
                    ct.ThrowIfCancellationRequested();
                    try
                    {
                        if (apply)
                        {
                            DeleteHome(client, host, address);
                        }

                        Change(address, "Mail", "Purged", $"{host.Name}: {HomeOf(host, address)} (a removed mailbox's mail, due for purging)", apply);
                    }
                    catch (MailAdminException e)
                    {
                        purgedEverywhere.Remove(address);
                        Change(address, "Mail", "Failed", $"{host.Name}: {e.Message}", false);
                    }
                }

                // 2. each mailbox's Sieve script and folder rights against the store
                foreach (var m in mailboxes)
                {
                    ct.ThrowIfCancellationRequested();
                    try
                    {
                        ReconcileSieve(client, host, m, scripted.Contains(m), apply, Change);
                        grants.TryGetValue(m, out var expected);
                        var folders = PutAcl(client, m, expected ?? new Dictionary<string, MailAccessRight>(), apply);
                        if (folders.Count > 0)
                        {
                            Change(m, "Acl", "Rewritten", $"{host.Name}: folder rights differed from the store on {string.Join(", ", folders)}", apply);
                        }
                    }
                    catch (MailAdminException e)
                    {
                        Change(m, "Host", "Failed", $"{host.Name}: {e.Message}", false);
                    }
                }
            }

            if (apply && purgedEverywhere.Count > 0)
            {
                _s.Db.Write((c, tx) =>
                {
                    foreach (var a in purgedEverywhere)
                    {
                        LocalDatabase.Exec(c, tx, "DELETE FROM removed_home WHERE address = $a", ("$a", a));
                    }

                    return 0;
                });
            }

            return changes;
        }

        private void ReconcileSieve(DoveadmClient c, MailHost host, string m, bool hasScript, bool apply, Action<string, string, string, string, bool> change)
        {
            var list = c.Run("sieveList", new { user = m });
            // the store's default script (sieve_default_name) is listed as active for a mailbox with no script of its own
            var active = list.Rows.Where(r => (string)r["active"] == "ACTIVE").Select(r => (string)r["script"])
                .FirstOrDefault(s => s != System.IO.Path.GetFileNameWithoutExtension(DovecotSieve.DefaultScriptFile));
            if (active != null && active != DovecotSieve.ScriptName)
            {
                change(m, "Sieve", "Reported", $"{host.Name}: the active Sieve script '{active}' was uploaded by the user (ManageSieve), not made by MailAdmin",
                    false);
                return;
            }

            var has = list.Values("script").Contains(DovecotSieve.ScriptName);
            if (!hasScript)
            {
                if (!has)
                {
                    return;
                }

                if (apply)
                {
                    PutSieve(c, m, null);
                }

                change(m, "Sieve", "Removed", $"{host.Name}: a MailAdmin script for a mailbox that has no rules or auto-reply in the store", apply);
                return;
            }

            var expected = _s.Db.Read(db => SieveCompiler.Compile(_s.Rules.ReadSieveInput(db, m)));
            var current = has ? c.Run("sieveGet", new { user = m, scriptname = DovecotSieve.ScriptName }).Values("sieve script").FirstOrDefault() : null;
            if (current != null && active == DovecotSieve.ScriptName && Normalize(current) == Normalize(expected))
            {
                return;
            }

            if (apply)
            {
                PutSieve(c, m, expected);
            }

            var why = current == null ? "the script for its rules or auto-reply was missing"
                : active == null ? "the script was not active"
                : "the script differed from the store";
            change(m, "Sieve", "Rewritten", $"{host.Name}: {why}", apply);
        }

        private static string Normalize(string s) => (s ?? "").Replace("\r\n", "\n").Trim();
    }
}
