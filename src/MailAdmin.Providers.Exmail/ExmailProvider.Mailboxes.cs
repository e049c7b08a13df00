using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using MailAdmin.Validation;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.Exmail
{
    public sealed partial class ExmailProvider
    {
        private const long RootDepartment = 1;
        private readonly SemaphoreSlim _departmentGate = new SemaphoreSlim(1, 1);
        private SingleFlight<ConcurrentDictionary<long, (string name, long parent)>> _departmentTree;

        // ---------------------------------------------------------------- departments

        /// <summary>
        /// The department tree: one department/list shared by every caller at once (single flight) and cached for the connection;
        /// a reload joins one already in flight.
        /// </summary>
        private Task<ConcurrentDictionary<long, (string name, long parent)>> Departments(CancellationToken ct, bool reload = false)
        {
            if (_departmentTree == null)
            {
                Interlocked.CompareExchange(ref _departmentTree, new SingleFlight<ConcurrentDictionary<long, (string, long)>>(LoadDepartments), null);
            }

            return _departmentTree.GetAsync(ct, reload);
        }

        private async Task<ConcurrentDictionary<long, (string name, long parent)>> LoadDepartments()
        {
            var json = await GetJ("department/list", "list departments", null, CancellationToken.None, ExmailProtocol.Contacts, ("id", "1"))
                .ConfigureAwait(false);
            var d = new ConcurrentDictionary<long, (string, long)>();
            foreach (var o in (json["department"] as JArray ?? new JArray()).OfType<JObject>())
            {
                var id = Json.Long(o["id"]);
                if (id.HasValue)
                {
                    d[id.Value] = (Json.Str(o["name"]) ?? "", Json.Long(o["parentid"]) ?? 0);
                }
            }
            return d;
        }

        private static string[] SplitPath(string path)
            => (path ?? "").Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();

        /// <summary>"Sales/East" -> its id under the root; creates the missing levels when asked to.</summary>
        private async Task<long> ResolveDepartment(string path, bool create, object target, CancellationToken ct)
        {
            var parts = SplitPath(path);
            if (parts.Length == 0)
            {
                return RootDepartment;
            }

            var since = DateTime.UtcNow;
            foreach (var p in parts)
                if (Encoding(p) > 64 || Regex.IsMatch(p, "[\\\\:*?\"<>|]"))
                {
                    throw MailAdminException.Invalid(
                        "InvalidDepartmentName", $"The department name '{p}' in '{path}' is not allowed by Exmail: 1-64 bytes, none of \\ : * ? \" < > |.",
                            target);
                }

            var found = Walk(await Departments(ct).ConfigureAwait(false), parts);
            if (found.missingAt < 0)
            {
                return found.id;
            }

            await _departmentGate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                // another row may have created it while this one waited (in the current tree); else read the tree again once, unless it
                // was read after this call began (the rows of one department then wait for one reload, not one each)
                var deps = await Departments(ct).ConfigureAwait(false);
                found = Walk(deps, parts);
                if (found.missingAt < 0)
                {
                    return found.id;
                }

                deps = await _departmentTree.GetFreshAsync(since, ct).ConfigureAwait(false);
                found = Walk(deps, parts);
                if (found.missingAt < 0)
                {
                    return found.id;
                }

                if (!create)
                    throw MailAdminException.NotFound("DepartmentNotFound",
                        $"Exmail has no department '{string.Join("/", parts.Take(found.missingAt + 1))}' (for '{path}'). Create it in the admin console or "
                            + $"add -CreateDepartment.", target);
                var parent = found.id;
                for (var i = found.missingAt; i < parts.Length; i++)
                {
                    var name = parts[i];
                    var under = parent;
                    long? id = null;
                    await CreateOnce(async () =>
                    {
                        var json = await Post("department/create", $"create department {string.Join("/", parts.Take(i + 1))}", target,
                            new JObject { ["name"] = name, ["parentid"] = under }, ct, idempotent: false).ConfigureAwait(false);
                        id = Json.Long(json["id"]);
                    }, async () =>
                    {
                        var again = Walk(await Departments(ct, reload: true).ConfigureAwait(false), parts.Take(i + 1).ToArray());
                        if (again.missingAt < 0)
                        {
                            id = again.id;
                        }

                        return again.missingAt < 0;
                    }, ct).ConfigureAwait(false);
                    if (!id.HasValue)
                    {
                        throw new MailAdminException(
                            MailErrorKind.InvalidOperation, "ExmailBadAnswer", "Exmail created a department but returned no id.", target) { Provider = Name };
                    }

                    deps = await Departments(ct).ConfigureAwait(false);
                    deps[id.Value] = (name, under);
                    parent = id.Value;
                }
                return parent;
            }
            finally
            {
                _departmentGate.Release();
            }
        }

        private static int Encoding(string s) => System.Text.Encoding.UTF8.GetByteCount(s);

        private static (long id, int missingAt) Walk(IDictionary<long, (string name, long parent)> deps, string[] parts)
        {
            var current = RootDepartment;
            for (var i = 0; i < parts.Length; i++)
            {
                var child = deps.Where(kv => kv.Value.parent == current && string.Equals(kv.Value.name, parts[i], StringComparison.OrdinalIgnoreCase)).Select(
                    kv => (long?)kv.Key).FirstOrDefault();
                if (child == null)
                {
                    return (current, i);
                }

                current = child.Value;
            }
            return (current, -1);
        }

        private static string PathOf(IDictionary<long, (string name, long parent)> deps, long id)
        {
            var parts = new List<string>();
            for (var guard = 0; id != RootDepartment && id != 0 && deps.TryGetValue(id, out var d) && guard < 20; guard++)
            {
                parts.Insert(0, d.name);
                id = d.parent;
            }
            return parts.Count == 0 ? null : string.Join("/", parts);
        }

        // ---------------------------------------------------------------- mailboxes

        private Mailbox ToMailbox(JObject u, IDictionary<long, (string name, long parent)> deps)
        {
            var address = (Json.Str(u["userid"]) ?? "").ToLowerInvariant();
            var depIds = (u["department"] as JArray ?? new JArray()).Select(Json.Long).Where(x => x.HasValue).Select(x => x.Value).ToList();
            return new Mailbox
            {
                Address = address,
                Id = address,
                DisplayName = Json.Str(u["name"]),
                Department = depIds.Count == 0 ? null : PathOf(deps, depIds[0]),
                JobTitle = NullIfEmpty(Json.Str(u["position"])),
                Mobile = NullIfEmpty(Json.Str(u["mobile"])),
                Enabled = Json.Bool(u["enable"]) ?? true,
                Aliases = Json.Strings(u["slaves"]).Select(s => s.ToLowerInvariant()).ToArray(),
                Domain = address.Contains("@") ? address.Substring(address.IndexOf('@') + 1) : null,
                HasPassword = true,
                Provider = Name,
            };
        }

        private static string NullIfEmpty(string s) => string.IsNullOrEmpty(s) ? null : s;

        public async Task<Mailbox> CreateMailboxAsync(MailboxCreateRequest request, CancellationToken ct)
        {
            var address = MailNames.NormalizeAddress(request.Address);
            if (string.IsNullOrWhiteSpace(request.DisplayName))
            {
                throw MailAdminException.Invalid(
                    "DisplayNameRequired", $"Exmail requires a display name (-DisplayName, 1-64 bytes) for '{request.Address}'.", request.Address);
            }

            if (Encoding(request.DisplayName.Trim()) > 64)
            {
                throw MailAdminException.Invalid(
                    "DisplayNameTooLong",
                        $"The display name '{request.DisplayName}' is {Encoding(request.DisplayName.Trim())} bytes; Exmail allows at most 64.",
                        request.Address);
            }

            if (request.Password == null)
            {
                throw MailAdminException.Invalid(
                    "PasswordRequired", $"Exmail requires an initial password for '{request.Address}' (-Password; add -ForcePasswordChange to make the user "
                        + $"choose their own).", request.Address);
            }

            if (request.Role == MailRole.Admin)
            {
                throw new MailAdminException(
                    MailErrorKind.NotSupported, "ExmailRolesNotSupported",
                    "Exmail's API cannot make a mailbox an administrator; set admins in the admin console.", request.Address) { Provider = Name };
            }

            if (request.QuotaMB.HasValue)
            {
                throw new MailAdminException(
                    MailErrorKind.NotSupported, "ExmailQuotaNotSupported", "Exmail's API does not set mailbox quotas.", request.Address) { Provider = Name };
            }

            var aliases = (request.Aliases ?? new string[0]).Select(MailNames.NormalizeAddress).Distinct().ToList();
            if (aliases.Count > 5)
            {
                throw MailAdminException.Invalid(
                    "TooManyAliases", $"Exmail allows at most 5 aliases per mailbox; '{request.Address}' has {aliases.Count}.", request.Address);
            }

            var dep = await ResolveDepartment(request.Department, request.CreateDepartment, request.Address, ct).ConfigureAwait(false);
            var body = new JObject
            {
                ["userid"] = address,
                ["name"] = request.DisplayName.Trim(),
                ["department"] = new JArray(dep),
                ["password"] = request.Password.Reveal(),
                ["cpwd_login"] = request.ForcePasswordChange ? 1 : 0,
            };
            if (!string.IsNullOrWhiteSpace(request.JobTitle))
            {
                body["position"] = request.JobTitle.Trim();
            }

            if (!string.IsNullOrWhiteSpace(request.Mobile))
            {
                body["mobile"] = request.Mobile.Trim();
            }

            if (aliases.Count > 0)
            {
                body["slaves"] = new JArray(aliases);
            }

            JObject created = null;
            await CreateOnce(
                () => Post("user/create", $"create mailbox {address}", address, body, ct, idempotent: false),
                async () => (created = await TryGetUser(address, ct).ConfigureAwait(false)) != null, ct).ConfigureAwait(false);
            if (!request.Enabled)
            {
                // Exmail creates mailboxes enabled: a create that cannot also disable must not leave an enabled mailbox behind
                // (a -SkipExisting re-run would pass over it), so it is removed again, or the error says it is enabled
                try
                {
                    await Post("user/update", $"disable mailbox {address}", address, new JObject { ["userid"] = address, ["enable"] = 0 }, ct)
                        .ConfigureAwait(false);
                }
                catch (MailAdminException e)
                {
                    try
                    {
                        await GetJ("user/delete", $"remove mailbox {address} (it could not be disabled)", address, CancellationToken.None,
                            ExmailProtocol.Contacts, ("userid", address)).ConfigureAwait(false);
                    }
                    catch (MailAdminException e2)
                    {
                        throw new MailAdminException(MailErrorKind.InvalidOperation, "MailboxCreatedEnabled",
                            $"'{address}' was created but could not be disabled ({e.Message}) nor removed again ({e2.Message}): it exists and is ENABLED. "
                                + $"Disable it with: Disable-Mailbox '{address}'", request.Address, e)
                        { Provider = Name };
                    }
                    throw new MailAdminException(
                        e.Kind == MailErrorKind.ConnectionError ? MailErrorKind.ConnectionError : MailErrorKind.InvalidOperation, "MailboxNotCreatedDisabled",
                        $"'{address}' was not created: Exmail creates mailboxes enabled and disabling it failed ({e.Message}), so it was removed again.",
                            request.Address, e)
                    { Provider = Name };
                }
            }
            // what was sent is what exists; no second call to read it back (it would halve throughput under the rate limit)
            var deps = await Departments(ct).ConfigureAwait(false);
            return new Mailbox
            {
                Address = address,
                Id = address,
                DisplayName = request.DisplayName.Trim(),
                Department = PathOf(deps, dep),
                JobTitle = NullIfEmpty(request.JobTitle?.Trim()),
                Mobile = NullIfEmpty(request.Mobile?.Trim()),
                Enabled = request.Enabled,
                Aliases = aliases.ToArray(),
                Domain = MailNames.DomainOf(address),
                HasPassword = true,
                CreatedAt = DateTime.UtcNow,
                Provider = Name,
            };
        }

        private async Task<JObject> TryGetUser(string address, CancellationToken ct)
        {
            try
            {
                return await GetJ("user/get", $"get mailbox {address}", address, ct, ExmailProtocol.Contacts, ("userid", address)).ConfigureAwait(false);
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ObjectNotFound)
            {
                return null;
            }
        }

        public async Task<Mailbox> GetMailboxAsync(string address, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            var u = await TryGetUser(a, ct).ConfigureAwait(false);
            if (u == null)
            {
                // an alias: batchcheck says so, and the list tells whose it is
                var check = (await CheckAddressesAsync(new[] { a }, ct).ConfigureAwait(false))[0];
                if (check.Status == MailAddressStatus.Alias)
                {
                    var json = await GetJ(
                        "user/list", "find the owner of an alias", a, ct, ExmailProtocol.Contacts, ("department_id", "1"), ("fetch_child", "1"))
                            .ConfigureAwait(false);
                    u = (json["userlist"] as JArray ?? new JArray()).OfType<JObject>().FirstOrDefault(
                        x => Json.Strings(x["slaves"]).Any(s => string.Equals(s, a, StringComparison.OrdinalIgnoreCase)));
                }
            }
            if (u == null)
            {
                throw MailAdminException.NotFound("MailboxNotFound", $"Exmail has no mailbox '{address}'.", address);
            }

            return ToMailbox(u, await Departments(ct).ConfigureAwait(false));
        }

        public IAsyncEnumerable<Mailbox> ListMailboxes(MailboxQuery query)
        {
            return RemotePages.Stream<Mailbox>(async ct =>
            {
                var deps = await Departments(ct, reload: true).ConfigureAwait(false);
                var dep = RootDepartment;
                if (!string.IsNullOrEmpty(query.Department))
                {
                    var w = Walk(deps, SplitPath(query.Department));
                    if (w.missingAt >= 0)
                    {
                        return new List<Mailbox>();
                    }

                    dep = w.id;
                }
                if (!string.IsNullOrEmpty(query.Identity) && !HasWildcard(query.Identity))
                {
                    var u = await TryGetUser(MailNames.NormalizeAddress(query.Identity), ct).ConfigureAwait(false);
                    return u == null ? new List<Mailbox>() : new List<Mailbox> { ToMailbox(u, deps) };
                }
                var json = await GetJ("user/list", "list mailboxes", query.Department, ct, ExmailProtocol.Contacts,
                    ("department_id", dep.ToString(CultureInfo.InvariantCulture)), ("fetch_child", "1")).ConfigureAwait(false);
                var pattern = string.IsNullOrEmpty(query.Identity) ? null
                    : new Regex("^" + Regex.Escape(query.Identity.ToLowerInvariant()).Replace("\\*", ".*").Replace("\\?", ".") + "$");
                return (json["userlist"] as JArray ?? new JArray()).OfType<JObject>().Select(u => ToMailbox(u, deps))
                    .Where(m => pattern == null || pattern.IsMatch(m.Address) || m.Aliases.Any(pattern.IsMatch))
                    .Where(m => query.Domain == null || string.Equals(m.Domain, MailNames.NormalizeDomain(query.Domain), StringComparison.OrdinalIgnoreCase))
                    .Where(m => query.Enabled == null || m.Enabled == query.Enabled)
                    .Where(m => query.Role == null || query.Role == MailRole.User)
                    .ToList();
            });
        }

        private static bool HasWildcard(string s) => s.IndexOfAny(new[] { '*', '?' }) >= 0;

        public async Task<Mailbox> UpdateMailboxAsync(string address, MailboxUpdate update, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            if (update.QuotaMB.HasValue || update.ClearQuota)
            {
                throw new MailAdminException(
                    MailErrorKind.NotSupported, "ExmailQuotaNotSupported", "Exmail's API does not set mailbox quotas.", address) { Provider = Name };
            }

            var body = new JObject { ["userid"] = a };
            if (update.DisplayName != null)
            {
                body["name"] = update.DisplayName.Trim();
            }

            if (update.JobTitle != null)
            {
                body["position"] = update.JobTitle.Trim();
            }

            if (update.Mobile != null)
            {
                body["mobile"] = update.Mobile.Trim();
            }

            if (update.Department != null)
            {
                body["department"] = new JArray(await ResolveDepartment(update.Department, false, address, ct).ConfigureAwait(false));
            }

            if ((update.AddAliases?.Length ?? 0) + (update.RemoveAliases?.Length ?? 0) > 0)
            {
                var current = await GetMailboxAsync(a, ct).ConfigureAwait(false);
                var set = new List<string>(current.Aliases);
                foreach (var x in update.AddAliases ?? new string[0])
                {
                    var n = MailNames.NormalizeAddress(x);
                    if (!set.Contains(n))
                    {
                        set.Add(n);
                    }
                }
                foreach (var x in update.RemoveAliases ?? new string[0])
                {
                    set.Remove(MailNames.NormalizeAddress(x));
                }

                if (set.Count > 5)
                {
                    throw MailAdminException.Invalid(
                        "TooManyAliases", $"Exmail allows at most 5 aliases per mailbox; '{address}' would have {set.Count}.", address);
                }

                body["slaves"] = new JArray(set);
            }
            if (body.Count > 1)
            {
                await Post("user/update", $"update mailbox {a}", a, body, ct).ConfigureAwait(false);
            }

            return await GetMailboxAsync(a, ct).ConfigureAwait(false);
        }

        public async Task RemoveMailboxAsync(string address, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            await GetJ("user/delete", $"remove mailbox {a}", a, ct, ExmailProtocol.Contacts, ("userid", a)).ConfigureAwait(false);
        }

        public async Task<Mailbox> SetMailboxEnabledAsync(string address, bool enabled, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            await Post("user/update", $"{(enabled ? "enable" : "disable")} mailbox {a}", a, new JObject { ["userid"] = a, ["enable"] = enabled ? 1 : 0 },
                ct).ConfigureAwait(false);
            return await GetMailboxAsync(a, ct).ConfigureAwait(false);
        }

        public async Task SetPasswordAsync(string address, SecretText password, bool forceChange, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            await Post("user/update", $"set the password of {a}", a,
                new JObject { ["userid"] = a, ["password"] = password.Reveal(), ["cpwd_login"] = forceChange ? 1 : 0 }, ct).ConfigureAwait(false);
        }

        // ---------------------------------------------------------------- settings (useroption)

        public async Task<MailboxSettings> GetSettingsAsync(string mailbox, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(mailbox);
            var json = await Post(
                "useroption/get", $"read the settings of {a}", a, new JObject { ["userid"] = a, ["type"] = new JArray(1, 2, 3, 4) }, ct,
                    ExmailProtocol.Settings).ConfigureAwait(false);
            var values = (json["option"] as JArray ?? new JArray()).OfType<JObject>().ToDictionary(
                o => Json.Int(o["type"]) ?? 0, o => Json.Bool(o["value"]) ?? false);
            bool V(int t) => values.TryGetValue(t, out var v) && v;
            return new MailboxSettings
            {
                Identity = a,
                ForceSecureLogin = V(1),
                ImapEnabled = V(2),
                PopEnabled = V(3),
                SmtpEnabled = V(2) || V(3),
                SecureLoginActive = values.ContainsKey(4) ? V(4) : (bool?)null,
                ExternalSendEnabled = true,
                ArchiveEnabled = false,
                Provider = Name,
            };
        }

        public async Task<MailboxSettings> SetSettingsAsync(string mailbox, MailboxSettingsUpdate update, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(mailbox);
            if (update.SmtpEnabled.HasValue || update.ExternalSendEnabled.HasValue || update.ArchiveEnabled.HasValue)
                throw new MailAdminException(MailErrorKind.NotSupported, "ExmailSettingNotSupported",
                    "Exmail's API switches ForceSecureLogin, IMAP (with SMTP) and POP (with SMTP) only; SMTP alone, external sending and archiving are set in "
                        + "the admin console.", mailbox)
                { Provider = Name };
            var options = new JArray();
            if (update.ForceSecureLogin.HasValue)
            {
                options.Add(new JObject { ["type"] = 1, ["value"] = update.ForceSecureLogin.Value ? "1" : "0" });
            }

            if (update.ImapEnabled.HasValue)
            {
                options.Add(new JObject { ["type"] = 2, ["value"] = update.ImapEnabled.Value ? "1" : "0" });
            }

            if (update.PopEnabled.HasValue)
            {
                options.Add(new JObject { ["type"] = 3, ["value"] = update.PopEnabled.Value ? "1" : "0" });
            }

            if (options.Count > 0)
            {
                await Post("useroption/update", $"change the settings of {a}", a, new JObject { ["userid"] = a, ["option"] = options }, ct,
                    ExmailProtocol.Settings).ConfigureAwait(false);
            }

            return await GetSettingsAsync(a, ct).ConfigureAwait(false);
        }
    }
}
