using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using MailAdmin.Validation;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.Alimail
{
    /// <summary>
    /// Alibaba Mail's open API (阿里邮箱 API 开放平台, PROVIDERS.md section 2): mailboxes on /v2/users, departments as paths,
    /// domains on /v2/domains, the organisation. Groups, mailbox settings, delegation and the audit log are not offered:
    /// their paths are unconfirmed and are not guessed.
    /// </summary>
    public sealed class AlimailProvider : IMailProvider, IMailboxStore, IMailboxPasswordStore, IDomainStore, IDomainDnsRecordSource,
        IDomainVerifier, IDomainAliasStore, IOrganizationInfo, IRemoteProvider
    {
        public const MailCapability Supported = MailCapability.Mailboxes | MailCapability.MailboxPasswords | MailCapability.Domains
            | MailCapability.DomainDnsRecords | MailCapability.DomainVerification | MailCapability.DomainAliases | MailCapability.Organization
            | MailCapability.SecurityReport;
        private const string Token = "app";
        private const string Root = "$root";
        private const int PageSize = 100;

        public static readonly IReadOnlyDictionary<string, string> Regions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["cn"] = "https://alimail-cn.aliyuncs.com/",
            ["cn-xc"] = "https://mail-open.xc.aliyun.com/",
            ["sg"] = "https://alimail-sg.aliyuncs.com/",
            ["hk"] = "https://alimail-hk.aliyuncs.com/",
            ["de"] = "https://alimail-de.aliyuncs.com/",
            ["us"] = "https://alimail-us.aliyuncs.com/",
        };

        private readonly RemoteApiClient _api;
        private readonly string _clientId;
        private readonly SemaphoreSlim _departmentGate = new SemaphoreSlim(1, 1);
        private SingleFlight<ConcurrentDictionary<string, (string name, string parent)>> _departmentTree;

        public AlimailProvider(string clientId, SecretText clientSecret, string region, RemoteApiOptions options)
        {
            if (string.IsNullOrWhiteSpace(clientId) || clientSecret == null)
            {
                throw MailAdminException.Invalid(
                    "AlimailCredentialsMissing", "Alimail needs -ClientId and -ClientSecret (admin console: 高级应用 → API 开放平台 → the app's App ID and Secret).",
                        clientId);
            }

            region = string.IsNullOrEmpty(region) ? "cn" : region;
            if (!Regions.TryGetValue(region, out var host))
            {
                throw MailAdminException.Invalid(
                    "AlimailUnknownRegion", $"'{region}' is not an Alibaba Mail region; use one of {string.Join(", ", Regions.Keys)} (do not mix clusters).",
                        region);
            }

            _clientId = clientId.Trim();
            Region = region.ToLowerInvariant();
            options.BaseUri = RemoteApiOptions.ResolveBase(options.BaseUri, new Uri(host));
            _api = new RemoteApiClient(new AlimailProtocol(_clientId, clientSecret), options);
        }

        public static ProviderDescriptor Descriptor { get; } = new ProviderDescriptor("Alimail",
            "Alibaba Mail (阿里邮箱) open API, also behind DingTalk's enterprise mailbox: mailboxes, departments, domains, organisation.",
            Supported, o => new AlimailProvider(o.GetString("ClientId"), o["ClientSecret"] as SecretText, o.GetString("Region"),
                new RemoteApiOptions
                {
                    BaseUri = o["ApiBaseUri"] as Uri,
                    RequestsPerSecond = o["RequestsPerSecond"] is double r && r > 0 ? r : 40,
                    MaxRetryAfter = o["MaxRetryAfterSec"] is int m && m > 0 ? TimeSpan.FromSeconds(m) : RemoteApiOptions.DefaultMaxRetryAfter
                }));

        public string Name => "Alimail";
        public string Region { get; }
        public MailCapability Capabilities => Supported;
        public string Target => $"{_api.Options.BaseUri} (app {_clientId})";
        public RemoteApiClient Api => _api;
        public void Dispose() => _api.Dispose();

        private Task<JObject> Send(
            HttpMethod m, string path, string op, object target, CancellationToken ct, JObject body = null, bool idempotent = true,
            params (string k, string v)[] query)
        {
            var r = new RemoteRequest(m, path, op) { TokenKey = Token, Body = body, Idempotent = idempotent, Target = target?.ToString() };
            foreach (var (k, v) in query) r.Query[k] = v;
            return _api.SendAsync(r, ct);
        }

        private static readonly HttpMethod Patch = new HttpMethod("PATCH");
        private static string Seg(string s) => Uri.EscapeDataString(s);

        private static Task CreateOnce(Func<Task> create, Func<Task<bool>> exists, CancellationToken ct) => RemoteCreate.OnceAsync(create, exists, ct);

        // ---------------------------------------------------------------- departments

        /// <summary>Every department (id -> name, parent), read page by page from the root down.</summary>
        /// <remarks>One walk shared by every caller at once (single flight) and cached for the connection; a reload joins one in flight.</remarks>
        private Task<ConcurrentDictionary<string, (string name, string parent)>> Departments(CancellationToken ct, bool reload = false)
        {
            if (_departmentTree == null)
            {
                Interlocked.CompareExchange(ref _departmentTree, new SingleFlight<ConcurrentDictionary<string, (string, string)>>(LoadDepartments), null);
            }

            return _departmentTree.GetAsync(ct, reload);
        }

        private async Task<ConcurrentDictionary<string, (string name, string parent)>> LoadDepartments()
        {
            var ct = CancellationToken.None; // shared by every waiting caller; each of them can stop waiting
            var all = new ConcurrentDictionary<string, (string, string)>();
            var queue = new Queue<string>();
            queue.Enqueue(Root);
            while (queue.Count > 0)
            {
                var parent = queue.Dequeue();
                for (var offset = 0; ; offset += PageSize)
                {
                    var json = await Send(HttpMethod.Get, $"v2/departments/{Seg(parent)}/departments", "list departments", parent, ct, null, true,
                        ("offset", offset.ToString(CultureInfo.InvariantCulture)), ("limit", PageSize.ToString(CultureInfo.InvariantCulture)))
                            .ConfigureAwait(false);
                    var page = (json["departments"] as JArray ?? new JArray()).OfType<JObject>().ToList();
                    foreach (var d in page)
                    {
                        var id = Json.Str(d["id"]);
                        if (id == null || all.ContainsKey(id))
                        {
                            continue;
                        }

                        all[id] = (Json.Str(d["name"]) ?? "", parent);
                        if (Json.Bool(d["hasSubDepartments"]) != false)
                        {
                            queue.Enqueue(id);
                        }
                    }
                    var total = Json.Long(json["total"]) ?? 0;
                    if (page.Count == 0 || offset + page.Count >= total)
                    {
                        break;
                    }
                }
            }
            return all;
        }

        private static string[] SplitPath(string path) =>
            (path ?? "").Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();

        private static (string id, int missingAt) Walk(IDictionary<string, (string name, string parent)> deps, string[] parts)
        {
            var current = Root;
            for (var i = 0; i < parts.Length; i++)
            {
                var child = deps.Where(kv => kv.Value.parent == current && string.Equals(kv.Value.name, parts[i], StringComparison.OrdinalIgnoreCase)).Select(
                    kv => kv.Key).FirstOrDefault();
                if (child == null)
                {
                    return (current, i);
                }

                current = child;
            }
            return (current, -1);
        }

        private static string PathOf(IDictionary<string, (string name, string parent)> deps, string id)
        {
            var parts = new List<string>();
            for (var g = 0; id != null && id != Root && deps.TryGetValue(id, out var d) && g < 30; g++)
            {
                parts.Insert(0, d.name);
                id = d.parent;
            }
            return parts.Count == 0 ? null : string.Join("/", parts);
        }

        private async Task<string> ResolveDepartment(string path, bool create, object target, CancellationToken ct)
        {
            var parts = SplitPath(path);
            if (parts.Length == 0)
            {
                return Root;
            }

            var since = DateTime.UtcNow;
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
                {
                    throw MailAdminException.NotFound(
                        "DepartmentNotFound", $"Alibaba Mail has no department '{string.Join("/", parts.Take(found.missingAt + 1))}' (for '{path}'). Create "
                            + $"it in the console or add -CreateDepartment.", target);
                }

                var parent = found.id;
                for (var i = found.missingAt; i < parts.Length; i++)
                {
                    string id = null;
                    var under = parent;
                    var name = parts[i];
                    var upTo = parts.Take(i + 1).ToArray();
                    await CreateOnce(async () =>
                    {
                        var d = await Send(HttpMethod.Post, "v2/departments", $"create department {string.Join("/", upTo)}", target, ct,
                            new JObject { ["name"] = name, ["parentId"] = under }, idempotent: false).ConfigureAwait(false);
                        id = Json.Str(d["id"]);
                    }, async () =>
                    {
                        var w = Walk(await Departments(ct, reload: true).ConfigureAwait(false), upTo);
                        if (w.missingAt < 0)
                        {
                            id = w.id;
                        }

                        return w.missingAt < 0;
                    }, ct).ConfigureAwait(false);
                    deps = await Departments(ct).ConfigureAwait(false);
                    deps[id] = (name, under);
                    parent = id;
                }
                return parent;
            }
            finally
            {
                _departmentGate.Release();
            }
        }

        // ---------------------------------------------------------------- mailboxes

        private static DateTime? Time(JToken t)
            => DateTime.TryParse(Json.Str(t), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) ? d
                : (DateTime?)null;

        private Mailbox ToMailbox(JObject u, IDictionary<string, (string name, string parent)> deps)
        {
            var email = (Json.Str(u["email"]) ?? "").ToLowerInvariant();
            var depIds = Json.Strings(u["departmentIds"]);
            var segments = (u["departmentPath"]?["paths"] as JArray)?.FirstOrDefault()?["segments"];
            var path = segments is JArray seg && seg.Count > 0 ? string.Join("/", seg.Select(Json.Str)) : depIds.Length > 0 ? PathOf(deps, depIds[0]) : null;
            return new Mailbox
            {
                Address = email,
                Id = Json.Str(u["id"]),
                DisplayName = Json.Str(u["name"]),
                Department = path,
                JobTitle = Empty(Json.Str(u["jobTitle"])),
                Mobile = Empty(Json.Str(u["phone"])),
                Enabled = !string.Equals(Json.Str(u["status"]), "FREEZE", StringComparison.OrdinalIgnoreCase),
                Aliases = Json.Strings(u["emailAliases"]).Select(a => a.ToLowerInvariant()).ToArray(),
                Domain = email.Contains("@") ? email.Substring(email.IndexOf('@') + 1) : null,
                HasPassword = true,
                PasswordLastSet = Time(u["lastPasswordChangeTime"]),
                CreatedAt = Time(u["createdTime"]) ?? default(DateTime),
                Provider = Name,
            };
        }

        private static string Empty(string s) => string.IsNullOrEmpty(s) ? null : s;

        private async Task<JObject> TryGetUser(string idOrEmail, CancellationToken ct)
        {
            try
            {
                return await Send(HttpMethod.Get, $"v2/users/{Seg(idOrEmail)}", $"get mailbox {idOrEmail}", idOrEmail, ct).ConfigureAwait(false);
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ObjectNotFound)
            {
                return null;
            }
        }

        public async Task<Mailbox> CreateMailboxAsync(MailboxCreateRequest request, CancellationToken ct)
        {
            var email = MailNames.NormalizeAddress(request.Address);
            if (string.IsNullOrWhiteSpace(request.DisplayName))
            {
                throw MailAdminException.Invalid(
                    "DisplayNameRequired", $"Alibaba Mail requires a name (-DisplayName) for '{request.Address}'.", request.Address);
            }

            if (request.Password == null)
            {
                throw MailAdminException.Invalid(
                    "PasswordRequired", $"Alibaba Mail requires an initial password for '{request.Address}' (-Password; add -ForcePasswordChange to make the "
                        + $"user choose their own).", request.Address);
            }

            if (request.Role == MailRole.Admin)
            {
                throw new MailAdminException(
                    MailErrorKind.NotSupported, "AlimailRolesNotSupported",
                    "Alibaba Mail's API does not make a mailbox an administrator; set admins in the console.", request.Address) { Provider = Name };
            }

            if (request.QuotaMB.HasValue)
            {
                throw new MailAdminException(
                    MailErrorKind.NotSupported, "AlimailQuotaNotSupported", "Alibaba Mail's API does not set mailbox quotas.",
                    request.Address) { Provider = Name };
            }

            var dep = await ResolveDepartment(request.Department, request.CreateDepartment, request.Address, ct).ConfigureAwait(false);
            var body = new JObject
            {
                ["email"] = email,
                ["name"] = request.DisplayName.Trim(),
                ["password"] = request.Password.Reveal(),
                ["forceChangePasswordNextSignIn"] = request.ForcePasswordChange,
                ["status"] = request.Enabled ? "NORMAL" : "FREEZE",
                ["employeeType"] = "EMPLOYEE",
            };
            if (dep != Root)
            {
                body["departmentIds"] = new JArray(dep);
            }

            if (!string.IsNullOrWhiteSpace(request.JobTitle))
            {
                body["jobTitle"] = request.JobTitle.Trim();
            }

            if (!string.IsNullOrWhiteSpace(request.Mobile))
            {
                body["phone"] = request.Mobile.Trim();
            }

            JObject user = null;
            await CreateOnce(
                async () => user = await Send(HttpMethod.Post, "v2/users", $"create mailbox {email}", email, ct, body, idempotent: false).ConfigureAwait(false),
                async () => (user = await TryGetUser(email, ct).ConfigureAwait(false)) != null, ct).ConfigureAwait(false);
            var id = Json.Str(user?["id"]) ?? email;
            foreach (var alias in (request.Aliases ?? new string[0]).Select(MailNames.NormalizeAddress).Distinct())
            {
                await AddAlias(id, alias, email, ct).ConfigureAwait(false);
            }

            var deps = await Departments(ct).ConfigureAwait(false);
            var m = user != null && user.Count > 0 ? ToMailbox(user, deps)
                : new Mailbox
                {
                    Address = email, DisplayName = request.DisplayName.Trim(), Enabled = request.Enabled, Domain = MailNames.DomainOf(email),
                    Provider = Name,
                };
            if (m.Department == null && dep != Root)
            {
                m.Department = PathOf(deps, dep);
            }

            if (request.Aliases != null && request.Aliases.Length > 0)
            {
                m.Aliases = m.Aliases.Union(request.Aliases.Select(MailNames.NormalizeAddress)).ToArray();
            }

            return m;
        }

        private async Task AddAlias(string id, string alias, string target, CancellationToken ct)
        {
            try
            {
                await Send(HttpMethod.Post, $"v2/users/{Seg(id)}/emailAliases", $"add alias {alias}", target, ct,
                    new JObject { ["alias"] = alias, ["asDefault"] = false }, idempotent: false).ConfigureAwait(false);
            }
            catch (RemoteAmbiguousException)
            {
                var u = await TryGetUser(id, ct).ConfigureAwait(false);
                if (u == null || !Json.Strings(u["emailAliases"]).Any(a => string.Equals(a, alias, StringComparison.OrdinalIgnoreCase)))
                {
                    throw;
                }
            }
        }

        public async Task<Mailbox> GetMailboxAsync(string address, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            var u = await TryGetUser(a, ct).ConfigureAwait(false);
            if (u == null)
            {
                throw MailAdminException.NotFound("MailboxNotFound", $"Alibaba Mail has no mailbox '{address}'.", address);
            }

            return ToMailbox(u, await Departments(ct).ConfigureAwait(false));
        }

        /// <summary>Streams mailboxes department by department, a page (100) at a time; a mailbox in several departments is written once.</summary>
        public IAsyncEnumerable<Mailbox> ListMailboxes(MailboxQuery query) => StreamMailboxes(query ?? new MailboxQuery(), default);

        private async IAsyncEnumerable<Mailbox> StreamMailboxes(MailboxQuery q, [EnumeratorCancellation] CancellationToken ct)
        {
            var deps = await Departments(ct, reload: true).ConfigureAwait(false);
            var exact = !string.IsNullOrEmpty(q.Identity) && q.Identity.IndexOfAny(new[] { '*', '?' }) < 0;
            var pattern = string.IsNullOrEmpty(q.Identity) || exact ? null
                : new Regex("^" + Regex.Escape(q.Identity.ToLowerInvariant()).Replace("\\*", ".*").Replace("\\?", ".") + "$");
            bool Wanted(Mailbox m) => (pattern == null || pattern.IsMatch(m.Address) || m.Aliases.Any(pattern.IsMatch))
                && (q.Domain == null || string.Equals(m.Domain, MailNames.NormalizeDomain(q.Domain), StringComparison.OrdinalIgnoreCase))
                && (q.Enabled == null || m.Enabled == q.Enabled) && q.Role != MailRole.Admin;
            if (exact)
            {
                var u = await TryGetUser(MailNames.NormalizeAddress(q.Identity), ct).ConfigureAwait(false);
                var m = u == null ? null : ToMailbox(u, deps);
                if (m != null && Wanted(m))
                {
                    yield return m;
                }

                yield break;
            }

            var start = Root;
            if (!string.IsNullOrEmpty(q.Department))
            {
                var w = Walk(deps, SplitPath(q.Department));
                if (w.missingAt >= 0)
                {
                    yield break;
                }

                start = w.id;
            }

            var todo = new Queue<string>();
            todo.Enqueue(start);
            var seen = new HashSet<string>();
            while (todo.Count > 0)
            {
                var dept = todo.Dequeue();
                foreach (var child in deps.Where(kv => kv.Value.parent == dept).Select(kv => kv.Key))
                {
                    todo.Enqueue(child);
                }

                for (long offset = 0, total = -1; total < 0 || offset < total;)
                {
                    var json = await Send(HttpMethod.Get, $"v2/departments/{Seg(dept)}/users", "list mailboxes", dept, ct, null, true,
                        ("offset", offset.ToString(CultureInfo.InvariantCulture)), ("limit", PageSize.ToString(CultureInfo.InvariantCulture)))
                            .ConfigureAwait(false);
                    var users = (json["users"] as JArray ?? new JArray()).OfType<JObject>().ToList();
                    total = users.Count == 0 ? 0 : Json.Long(json["total"]) ?? 0;
                    offset += users.Count;
                    var page = users.Where(u => seen.Add(Json.Str(u["id"]) ?? Json.Str(u["email"]) ?? "")).Select(u => ToMailbox(u, deps)).ToList();
                    foreach (var m in page.Where(Wanted))
                    {
                        yield return m;
                    }
                }
            }
        }

        public async Task<Mailbox> UpdateMailboxAsync(string address, MailboxUpdate update, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            if (update.QuotaMB.HasValue || update.ClearQuota)
            {
                throw new MailAdminException(
                    MailErrorKind.NotSupported, "AlimailQuotaNotSupported", "Alibaba Mail's API does not set mailbox quotas.", address) { Provider = Name };
            }

            var body = new JObject();
            if (update.DisplayName != null)
            {
                body["name"] = update.DisplayName.Trim();
            }

            if (update.JobTitle != null)
            {
                body["jobTitle"] = update.JobTitle.Trim();
            }

            if (update.Mobile != null)
            {
                body["phone"] = update.Mobile.Trim();
            }

            if (update.Department != null)
            {
                body["departmentIds"] = new JArray(await ResolveDepartment(update.Department, false, address, ct).ConfigureAwait(false));
            }

            if (body.Count > 0)
            {
                await Send(Patch, $"v2/users/{Seg(a)}", $"update mailbox {a}", a, ct, body).ConfigureAwait(false);
            }

            foreach (var x in update.AddAliases ?? new string[0])
            {
                await AddAlias(a, MailNames.NormalizeAddress(x), a, ct).ConfigureAwait(false);
            }

            foreach (var x in update.RemoveAliases ?? new string[0])
            {
                await Send(HttpMethod.Delete, $"v2/users/{Seg(a)}/emailAliases", $"remove alias {x}", a, ct,
                    new JObject { ["alias"] = MailNames.NormalizeAddress(x) }).ConfigureAwait(false);
            }

            return await GetMailboxAsync(a, ct).ConfigureAwait(false);
        }

        public async Task RemoveMailboxAsync(string address, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            await Send(HttpMethod.Delete, $"v2/users/{Seg(a)}", $"remove mailbox {a}", a, ct).ConfigureAwait(false);
        }

        public async Task<Mailbox> SetMailboxEnabledAsync(string address, bool enabled, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            var u = await Send(
                Patch, $"v2/users/{Seg(a)}", $"{(enabled ? "enable" : "disable")} mailbox {a}", a, ct,
                new JObject { ["status"] = enabled ? "NORMAL" : "FREEZE" }).ConfigureAwait(false);
            return u.Count > 0 ? ToMailbox(u, await Departments(ct).ConfigureAwait(false)) : await GetMailboxAsync(a, ct).ConfigureAwait(false);
        }

        public async Task SetPasswordAsync(string address, SecretText password, bool forceChange, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            await Send(HttpMethod.Post, $"v2/users/{Seg(a)}/resetPassword", $"reset the password of {a}", a, ct,
                new JObject { ["password"] = password.Reveal(), ["forceChangePasswordNextSignIn"] = forceChange }).ConfigureAwait(false);
        }

        // ---------------------------------------------------------------- domains and organisation

        private MailDomain ToDomain(JObject d)
        {
            var name = Json.Str(d["domain"]) ?? "";
            return new MailDomain
            {
                Name = MailNames.ToUnicode(name),
                AsciiName = name,
                Status = Json.Bool(d["isVerified"]) == true ? MailDomainStatus.Verified : MailDomainStatus.Pending,
                IsMxVerified = Json.Bool(d["isMxVerified"]),
                IsPrimary = Json.Bool(d["isMaster"]) == true,
                Aliases = Json.Strings(d["aliases"]),
                CreatedAt = Time(d["createdTime"]) ?? default(DateTime),
                Provider = Name,
            };
        }

        public async Task<MailDomain> AddDomainAsync(string name, string mailHost, CancellationToken ct)
        {
            var d = MailNames.NormalizeDomain(name);
            if (!string.IsNullOrEmpty(mailHost))
            {
                throw MailAdminException.Invalid(
                    "MailHostNotApplicable", $"Alibaba Mail receives the mail of '{name}' on its own servers; -MailHost applies to the Local provider only.",
                        name);
            }

            JObject created = null;
            await CreateOnce(
                async () => created = await Send(
                HttpMethod.Post, "v2/domains", $"add domain {d}", d, ct, new JObject { ["domain"] = d }, idempotent: false).ConfigureAwait(false),
                async () => (created = await TryGetDomain(d, ct).ConfigureAwait(false)) != null, ct).ConfigureAwait(false);
            return created != null && created.Count > 0 ? ToDomain(created) : await GetDomainAsync(d, ct).ConfigureAwait(false);
        }

        private async Task<JObject> TryGetDomain(string d, CancellationToken ct)
        {
            try
            {
                return await Send(HttpMethod.Get, $"v2/domains/{Seg(d)}", $"get domain {d}", d, ct).ConfigureAwait(false);
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ObjectNotFound)
            {
                return null;
            }
        }

        public async Task<MailDomain> GetDomainAsync(string name, CancellationToken ct)
        {
            var d = MailNames.NormalizeDomain(name);
            var j = await TryGetDomain(d, ct).ConfigureAwait(false);
            if (j == null)
            {
                throw MailAdminException.NotFound("MailDomainNotFound", $"Alibaba Mail has no domain '{name}'.", name);
            }

            return ToDomain(j);
        }

        public IAsyncEnumerable<MailDomain> ListDomains(string pattern)
        {
            return RemotePages.Stream<MailDomain>(async ct =>
            {
                var j = await Send(HttpMethod.Get, "v2/domains", "list domains", null, ct).ConfigureAwait(false);
                var rx = string.IsNullOrEmpty(pattern) ? null
                    : new Regex("^" + Regex.Escape(pattern.ToLowerInvariant()).Replace("\\*", ".*").Replace("\\?", ".") + "$");
                return (j["domains"] as JArray ?? new JArray()).OfType<JObject>().Select(ToDomain).Where(
                    d => rx == null || rx.IsMatch(d.Name) || rx.IsMatch(d.AsciiName)).ToList();
            });
        }

        public async Task RemoveDomainAsync(string name, bool force, CancellationToken ct)
        {
            var d = MailNames.NormalizeDomain(name);
            await Send(HttpMethod.Delete, $"v2/domains/{Seg(d)}", $"remove domain {d}", d, ct).ConfigureAwait(false);
        }

        public async Task<MailDomain> VerifyDomainAsync(string name, CancellationToken ct)
        {
            var d = MailNames.NormalizeDomain(name);
            await Send(HttpMethod.Post, $"v2/domains/{Seg(d)}/verify", $"verify domain {d}", d, ct).ConfigureAwait(false);
            return await GetDomainAsync(d, ct).ConfigureAwait(false);
        }

        public async Task<MailDomain> AddDomainAliasAsync(string domain, string alias, CancellationToken ct)
        {
            var d = MailNames.NormalizeDomain(domain);
            var a = MailNames.NormalizeDomain(alias);
            try
            {
                await Send(HttpMethod.Post, $"v2/domains/{Seg(d)}/aliases", $"add domain alias {a}", a, ct, new JObject { ["alias"] = a },
                    idempotent: false).ConfigureAwait(false);
            }
            catch (RemoteAmbiguousException)
            {
                var now = await GetDomainAsync(d, ct).ConfigureAwait(false);
                if (!now.Aliases.Any(x => string.Equals(x, a, StringComparison.OrdinalIgnoreCase)))
                {
                    throw;
                }
            }
            return await GetDomainAsync(d, ct).ConfigureAwait(false);
        }

        public async Task<MailDomain> RemoveDomainAliasAsync(string domain, string alias, CancellationToken ct)
        {
            var d = MailNames.NormalizeDomain(domain);
            var a = MailNames.NormalizeDomain(alias);
            await Send(HttpMethod.Delete, $"v2/domains/{Seg(d)}/aliases/{Seg(a)}", $"remove domain alias {a}", a, ct).ConfigureAwait(false);
            return await GetDomainAsync(d, ct).ConfigureAwait(false);
        }

        public Task<IReadOnlyList<MailDnsRecord>> GetDnsRecordsAsync(string domain, CancellationToken ct)
        {
            var d = MailNames.NormalizeDomain(domain);
            var list = ProviderProfiles.For("Alimail", d).ToList();
            // client host names (CHECKS.md provider table): conveniences for mail clients, not needed for mail flow
            foreach (var (host, target) in new[]
            {
                ("imap", "imap.qiye.aliyun.com"), ("pop3", "pop.qiye.aliyun.com"), ("smtp", "smtp.qiye.aliyun.com"), ("mail", "qiye.aliyun.com"),
            })
                list.Add(new MailDnsRecord
                {
                    Zone = d, Name = host + "." + d, Type = "CNAME", Value = target, Purpose = MailDnsPurpose.Autoconfig,
                    Note = "Mail clients and webmail under the company's own name.",
                });
            return Task.FromResult<IReadOnlyList<MailDnsRecord>>(list);
        }

        public async Task<MailOrganization> GetOrganizationAsync(CancellationToken ct)
        {
            var o = await Send(HttpMethod.Get, "v2/organization/$current", "read the organisation", null, ct).ConfigureAwait(false);
            return new MailOrganization
            {
                Id = Json.Str(o["id"]),
                Name = Json.Str(o["name"]),
                Domain = Json.Str(o["domain"]),
                Telephone = Json.Str(o["telephone"]),
                Address = Json.Str(o["address"]),
                Introduction = Json.Str(o["introduction"]),
                PreferredLanguage = Json.Str(o["preferredLanguage"]),
                CreatedAt = Time(o["createdTime"]),
                Provider = Name,
            };
        }
    }
}
