using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// What Dovecot holds beside the store for each mailbox: its home (Maildir, Sieve scripts, the folder ACLs it gives), the
    /// ACL entries it holds on other mailboxes' folders, its rows in the logins file. Removal takes all of it; Reconcile finds
    /// and mends any difference (a removal or grant whose doveadm step failed, a mailbox deleted behind the module's back).
    /// Runs where Dovecot runs (doveadm, the mail root): Export-MailServerConfig records both in the store.
    /// </summary>
    internal sealed class DovecotServerState : IMailServerState
    {
        public const string MailRootSetting = "mail_root";
        /// <summary>Removed mailboxes' mail waits here (0700, out of every user's reach) until its time is up.</summary>
        public const string RemovedFolder = ".removed";
        private const string Marker = ".mailadmin-removed";
        private const string ReadOnlyLetters = "lr";
        private const string FullAccessLetters = "lrwstipekx";
        private readonly LocalStore _s;

        public DovecotServerState(LocalStore s)
        {
            _s = s;
        }

        public string MailRoot => _s.Setting(MailRootSetting);

        public void ApplySieve(string mailbox, string script) => DovecotSieve.Apply(_s.DovecotConfig(), mailbox, script);

        public void WriteDefaultSieve(string script)
        {
            var config = _s.DovecotConfig();
            if (config != null)
            {
                DovecotSieve.WriteDefault(config, script);
            }
        }

        public void RevokeOwnGrants(string mailbox)
        {
            var root = MailRoot;
            var config = _s.DovecotConfig();
            if (root == null || config == null || !AclFiles(HomeOf(root, mailbox)).Any())
            {
                return;
            }

            try
            {
                DovecotAcl.Apply(config, mailbox, new Dictionary<string, MailAccessRight>());
            }
            catch (MailAdminException e)
            {
                throw new MailAdminException(MailErrorKind.InvalidOperation, "MailServerStateDrift",
                    $"'{MailNames.AddressToUnicode(mailbox)}' is not removed: Dovecot (doveadm) could not take back the folder rights it gave "
                    + $"({e.Message}). Fix Dovecot and remove it again.", mailbox, e)
                { Provider = LocalMailProvider.ProviderName };
            }
        }

        public void ApplyAcl(string owner, IReadOnlyDictionary<string, MailAccessRight> trustees)
        {
            var config = _s.DovecotConfig();
            if (config != null)
            {
                DovecotAcl.Apply(config, owner, trustees);
            }
        }

        private static string HomeOf(string root, string address)
            => Path.Combine(root, MailNames.DomainOf(address), MailNames.LocalPartOf(address));

        private sealed class RemovedMarker
        {
            public string Address;
            public DateTime RemovedAt;
            public DateTime PurgeAfter;
        }

        /// <summary>Moves a home out of the way, to be purged after <paramref name="days"/>; returns where it went.</summary>
        private static string SetAside(string root, string address, string home, int days)
        {
            var removed = Path.Combine(root, RemovedFolder);
            if (!Directory.Exists(removed))
            {
                Directory.CreateDirectory(removed);
                LocalDatabase.Chmod(removed, "700");
            }
            var now = DateTime.UtcNow;
            var stamp = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var target = Path.Combine(removed, address + "." + stamp + "." + Guid.NewGuid().ToString("n").Substring(0, 6));
            Directory.Move(home, target);
            var marker = new RemovedMarker { Address = address, RemovedAt = now, PurgeAfter = now.AddDays(days) };
            File.WriteAllText(Path.Combine(target, Marker), JsonConvert.SerializeObject(marker));
            return target;
        }

        /// <summary>A home left by an earlier mailbox of this address goes aside before the address is used again.</summary>
        public void SetAsideOrphan(string address, DbConnection c, DbTransaction tx)
        {
            var root = MailRoot;
            if (root == null)
            {
                return;
            }

            var home = HomeOf(root, address);
            if (Directory.Exists(home))
            {
                SetAside(root, address, home, MailRemovalOptions.DefaultRetainDays);
            }
        }

        private static MailAdminException Drift(string what, IEnumerable<string> problems, object target)
            => new MailAdminException(MailErrorKind.InvalidOperation, "MailServerStateDrift",
                $"{what}, but the mail server still holds some of its state: {string.Join("; ", problems)}. "
                + "Fix the cause and run Sync-MailServerState to finish.", target)
            { Provider = LocalMailProvider.ProviderName };

        /// <summary>After the store rows are gone: the grants the removed mailboxes held leave their owners' ACLs, their own
        /// grants leave the shared-mailbox list, their sessions end, their mail goes aside (or is purged), their logins go.</summary>
        public bool EndSessions(string mailbox)
        {
            var config = _s.DovecotConfig();
            var doveadm = DovecotTools.Find("doveadm");
            if (doveadm == null || config == null || !File.Exists(config))
            {
                return false;
            }
            // doveadm kick exits non-zero when the mailbox has no session: nothing to end is not a failure
            DovecotTools.Run(doveadm, null, "-c", config, "kick", mailbox);
            return true;
        }

        public void CleanUpRemoved(IReadOnlyList<string> mailboxes, IReadOnlyList<string> owners, MailRemovalOptions options, string domain = null)
        {
            if (options.RetainDays < 0 || options.RetainDays > 3650)
            {
                throw MailAdminException.Invalid("InvalidRetention", $"-RetainMailDays {options.RetainDays} is out of range 0-3650.", options.RetainDays);
            }

            var problems = new List<string>();
            var config = _s.DovecotConfig();
            var root = MailRoot;
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
            var doveadm = DovecotTools.Find("doveadm");
            foreach (var m in mailboxes)
            {
                if (doveadm != null && config != null && File.Exists(config))
                {
                    DovecotTools.Run(doveadm, null, "-c", config, "kick", m);
                }

                if (root == null)
                {
                    continue;
                }

                var home = HomeOf(root, m);
                if (!Directory.Exists(home))
                {
                    continue;
                }

                try
                {
                    if (options.Purge)
                    {
                        Directory.Delete(home, true);
                    }
                    else
                    {
                        SetAside(root, m, home, options.RetainDays);
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    problems.Add($"the mail of {m} could not be {(options.Purge ? "deleted" : "moved aside")} ({e.Message})");
                }
            }
            if (root != null && domain != null)
            {
                var dir = Path.Combine(root, domain);
                try
                {
                    if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
                    {
                        Directory.Delete(dir);
                    }
                }
                catch (IOException e)
                {
                    // the domain's folder is only tidied away: another mailbox's mail arriving in it (or a busy folder) keeps it
                    System.Diagnostics.Trace.WriteLine($"{dir} not removed: {e.Message}");
                }
            }
            try
            {
                ForgetLogins(mailboxes);
            }
            catch (SqliteException e)
            {
                problems.Add("the logins file: " + e.Message);
            }
            if (problems.Count > 0)
            {
                var what = mailboxes.Count == 1
                    ? $"'{MailNames.AddressToUnicode(mailboxes[0])}' is removed from the store"
                    : $"{mailboxes.Count} mailboxes are removed from the store";
                throw Drift(what, problems, mailboxes.FirstOrDefault());
            }
        }

        private void ForgetLogins(IEnumerable<string> mailboxes)
        {
            var path = ServerConfigWriter.LoginsPathFor(_s.Db.Path);
            if (!File.Exists(path))
            {
                return;
            }

            LastLogins.Forget(path, mailboxes);
        }

        /// <summary>FullAccess wins over ReadOnly for a trustee given both.</summary>
        /// <summary>The folder rights the store's grants give, by owner and trustee (what every Dovecot's ACLs must say).</summary>
        internal static Dictionary<string, Dictionary<string, MailAccessRight>> FolderGrants(LocalStore s)
            => s.Db.Read(c => LocalDatabase.Query(c, null,
                    "SELECT mailbox, trustee, access_right FROM permission WHERE access_right IN ('ReadOnly', 'FullAccess')",
                    r => (mailbox: r.GetString(0), trustee: r.GetString(1), right: (MailAccessRight)Enum.Parse(typeof(MailAccessRight), r.GetString(2)))))
                .GroupBy(g => g.mailbox)
                .ToDictionary(g => g.Key, g => TrusteeRights(g.Select(x => (x.trustee, x.right))), StringComparer.Ordinal);

        private static Dictionary<string, MailAccessRight> TrusteeRights(IEnumerable<(string trustee, MailAccessRight right)> rows)
        {
            var d = new Dictionary<string, MailAccessRight>(StringComparer.Ordinal);
            foreach (var (t, r) in rows)
                if (!d.TryGetValue(t, out var have) || r == MailAccessRight.FullAccess)
                {
                    d[t] = r;
                }

            return d;
        }

        /// <summary>The vfile ACL files of a home's Maildir: the Inbox's and one per folder that has its own.</summary>
        private static IEnumerable<string> AclFiles(string home)
        {
            var maildir = Path.Combine(home, "Maildir");
            if (!Directory.Exists(maildir))
            {
                yield break;
            }

            var inbox = Path.Combine(maildir, "dovecot-acl");
            if (File.Exists(inbox))
            {
                yield return inbox;
            }

            foreach (var folder in Directory.EnumerateDirectories(maildir, ".*"))
            {
                var f = Path.Combine(folder, "dovecot-acl");
                if (File.Exists(f))
                {
                    yield return f;
                }
            }
        }

        /// <summary>user= entries of a vfile ACL file with their right letters (sorted).</summary>
        private static Dictionary<string, string> ReadAcl(string file)
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in File.ReadAllLines(file))
            {
                var parts = line.Trim().Split(new[] { ' ' }, 2, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0 || !parts[0].StartsWith("user=", StringComparison.Ordinal))
                {
                    continue;
                }

                d[parts[0].Substring(5)] = Letters(parts.Length > 1 ? parts[1] : "");
            }
            return d;
        }

        /// <summary>One row of Sync-MailServerState's report, for either server state (one host or several).</summary>
        internal static MailServerStateChange StateChange(string mailbox, string component, string change, string detail, bool applied)
            => new MailServerStateChange
            {
                Mailbox = mailbox == null ? null : MailNames.AddressToUnicode(mailbox),
                Component = component,
                Change = change,
                Detail = detail,
                Applied = applied,
                Provider = LocalMailProvider.ProviderName,
            };

        private static string Letters(string s) => new string(s.Where(char.IsLetter).Distinct().OrderBy(ch => ch).ToArray());

        public IReadOnlyList<MailServerStateChange> Reconcile(bool apply, IProgress<string> progress, CancellationToken ct)
        {
            var changes = new List<MailServerStateChange>();
            void Change(string mailbox, string component, string change, string detail, bool applied)
                => changes.Add(DovecotServerState.StateChange(mailbox, component, change, detail, applied));
            var root = MailRoot;
            var config = _s.DovecotConfig();
            var mailboxes = new HashSet<string>(
                _s.Db.Read(c => LocalDatabase.Query(c, null, "SELECT username FROM mailbox", r => r.GetString(0))), StringComparer.Ordinal);

            // 1. mail of no mailbox goes aside; mail aside past its time is purged
            if (root != null && Directory.Exists(root))
            {
                progress?.Report("mail folders");
                foreach (var domainDir in Directory.EnumerateDirectories(root))
                {
                    var domain = Path.GetFileName(domainDir);
                    if (domain.StartsWith(".", StringComparison.Ordinal) || domain.IndexOf('.') < 0)
                    {
                        continue;
                    }

                    foreach (var home in Directory.EnumerateDirectories(domainDir))
                    {
                        ct.ThrowIfCancellationRequested();
                        var address = Path.GetFileName(home) + "@" + domain;
                        if (mailboxes.Contains(address))
                        {
                            continue;
                        }

                        string detail = $"{home}: mail of a mailbox that is not in the store";
                        try
                        {
                            // checked again under the store's write lock: a mailbox made during this run keeps its mail
                            if (apply)
                            {
                                var moved = _s.Db.Write(
                                    (c, tx) => LocalDatabase.Scalar(c, tx, "SELECT 1 FROM mailbox WHERE username = $a", ("$a", address)) != null
                                    ? null : SetAside(root, address, home, MailRemovalOptions.DefaultRetainDays));
                                if (moved == null)
                                {
                                    continue;
                                }

                                detail += " -> " + moved;
                            }
                            Change(address, "Mail", "SetAside", detail, apply);
                        }
                        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                        {
                            Change(address, "Mail", "Failed", $"{home} could not be moved aside: {e.Message}", false);
                        }
                    }
                }
                var removed = Path.Combine(root, RemovedFolder);
                if (Directory.Exists(removed))
                    foreach (var dir in Directory.EnumerateDirectories(removed))
                    {
                        var marker = Path.Combine(dir, Marker);
                        if (!File.Exists(marker))
                        {
                            continue;
                        }

                        try
                        {
                            var m = JsonConvert.DeserializeObject<RemovedMarker>(File.ReadAllText(marker));
                            if (m == null || m.PurgeAfter > DateTime.UtcNow)
                            {
                                continue;
                            }

                            if (apply)
                            {
                                Directory.Delete(dir, true);
                            }

                            Change(m.Address, "Mail", "Purged", $"{dir}: kept since {m.RemovedAt:yyyy-MM-dd}, due for purging on {m.PurgeAfter:yyyy-MM-dd}",
                                apply);
                        }
                        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is JsonException)
                        {
                            // an unreadable marker keeps the mail: nothing is purged that cannot be dated
                            Change(null, "Mail", "Failed", $"{dir}: {e.Message}", false);
                        }
                    }
            }

            // 2. each mailbox's Sieve script and folder ACLs against the store
            if (root != null)
            {
                progress?.Report("Sieve scripts and folder rights");
                var scripted = new HashSet<string>(
                    _s.Db.Read(c => LocalDatabase.Query(c, null, LocalRuleStore.ScriptedMailboxes, r => r.GetString(0))), StringComparer.Ordinal);
                var grants = FolderGrants(_s);
                foreach (var m in mailboxes)
                {
                    ct.ThrowIfCancellationRequested();
                    var home = HomeOf(root, m);
                    grants.TryGetValue(m, out var expected);
                    // one mailbox that cannot be mended (doveadm fails for it) is reported, and the run goes on with the others
                    try
                    {
                        ReconcileSieve(m, home, scripted.Contains(m), config, apply, Change);
                    }
                    catch (Exception e) when (e is MailAdminException || e is IOException || e is UnauthorizedAccessException)
                    {
                        Change(m, "Sieve", "Failed", e.Message, false);
                    }
                    try
                    {
                        ReconcileAcl(m, home, expected ?? new Dictionary<string, MailAccessRight>(), config, apply, Change);
                    }
                    catch (Exception e) when (e is MailAdminException || e is IOException || e is UnauthorizedAccessException)
                    {
                        Change(m, "Acl", "Failed", e.Message, false);
                    }
                }
            }

            // 3. login and quota rows of mailboxes that are gone
            var logins = ServerConfigWriter.LoginsPathFor(_s.Db.Path);
            if (File.Exists(logins))
            {
                var stale = LastLogins.Users(logins).Where(u => !mailboxes.Contains(u)).ToList();
                if (apply && stale.Count > 0)
                {
                    LastLogins.Forget(logins, stale);
                }

                foreach (var u in stale)
                {
                    Change(u, "Logins", "Removed", "login and quota records of a mailbox that is not in the store", apply);
                }
            }
            return changes;
        }

        private void ReconcileSieve(string m, string home, bool hasScript, string config, bool apply, Action<string, string, string, string, bool> change)
        {
            var file = Path.Combine(home, "sieve", DovecotSieve.ScriptName + ".sieve");
            var active = ActiveScript(home);
            if (active != null && active != DovecotSieve.ScriptName)
            {
                // a user's own script (ManageSieve): left alone, but reported; its forwards still meet the send scope in Postfix
                var path = Path.Combine(home, "sieve", active + ".sieve");
                var text = File.Exists(path) ? File.ReadAllText(path) : "";
                var redirects = text.IndexOf("redirect", StringComparison.OrdinalIgnoreCase) >= 0;
                change(m, "Sieve", "Reported",
                    $"the active Sieve script '{active}' was uploaded by the user (ManageSieve), not made by "
                        + $"MailAdmin{(redirects ? "; it redirects mail" : "")}", false);
                return;
            }
            if (!hasScript)
            {
                if (!File.Exists(file))
                {
                    return;
                }

                if (apply)
                {
                    DovecotSieve.Apply(config, m, null);
                }

                change(m, "Sieve", "Removed", "a MailAdmin script for a mailbox that has no rules, auto-reply or own policy in the store", apply);
                return;
            }
            var expected = _s.Db.Read(c => SieveCompiler.Compile(_s.Rules.ReadSieveInput(c, m)));
            var current = File.Exists(file) ? File.ReadAllText(file) : null;
            if (current != null && active == DovecotSieve.ScriptName && Normalize(current) == Normalize(expected))
            {
                return;
            }

            if (apply)
            {
                DovecotSieve.Apply(config, m, expected);
            }

            var why = current == null ? "the script for its rules, auto-reply or policy was missing"
                : active == null ? "the script was not active"
                : "the script differed from the store";
            change(m, "Sieve", "Rewritten", why, apply);
        }

        private static string Normalize(string s) => s.Replace("\r\n", "\n").Trim();

        /// <summary>The name of the active script (~/.dovecot.sieve links to sieve/NAME.sieve), or null.</summary>
        private static string ActiveScript(string home)
        {
            var link = new FileInfo(Path.Combine(home, ".dovecot.sieve"));
            if (!link.Exists)
            {
                return null;
            }

            var target = ReadLink(link.FullName);
            if (target == null)
            {
                return null;
            }

            var name = Path.GetFileName(target);
            return name.EndsWith(".sieve", StringComparison.Ordinal) ? name.Substring(0, name.Length - 6) : name;
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "readlink", SetLastError = true)]
        private static extern long readlink(string path, byte[] buf, ulong size);

        private static string ReadLink(string path)
        {
            try
            {
                var buf = new byte[4096];
                var n = readlink(path, buf, (ulong)buf.Length);
                return n <= 0 ? null : System.Text.Encoding.UTF8.GetString(buf, 0, (int)n);
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return null;
            }
        }

        private void ReconcileAcl(
            string m, string home, Dictionary<string, MailAccessRight> expected, string config, bool apply, Action<string, string, string, string, bool> change)
        {
            var files = AclFiles(home).ToList();
            if (files.Count == 0 && expected.Count == 0)
            {
                return;
            }

            var want = expected.ToDictionary(e => e.Key,
                e => Letters(e.Value == MailAccessRight.FullAccess ? FullAccessLetters : ReadOnlyLetters), StringComparer.Ordinal);
            var problems = new List<string>();
            if (expected.Count > 0 && !files.Any(f => Path.GetDirectoryName(f) == Path.Combine(home, "Maildir")))
            {
                problems.Add("the Inbox carries no grants");
            }

            foreach (var f in files)
            {
                var have = ReadAcl(f);
                foreach (var extra in have.Keys.Where(k => !want.ContainsKey(k)))
                {
                    problems.Add($"{extra} still has rights");
                }

                foreach (var w in want.Where(w => !have.TryGetValue(w.Key, out var l) || l != w.Value))
                {
                    problems.Add($"{w.Key} lacks its {expected[w.Key]} rights");
                }
            }
            if (problems.Count == 0)
            {
                return;
            }

            if (apply)
            {
                DovecotAcl.Apply(config, m, expected);
            }

            change(m, "Acl", "Rewritten", "folder rights differed from the store: " + string.Join(", ", problems.Distinct()), apply);
        }
    }
}
