using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using MailAdmin.Validation;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.WeCom
{
    /// <summary>
    /// WeCom mail (企业微信邮箱, PROVIDERS-ADDENDUM.md section 1): mailboxes are WeCom members with a business mailbox
    /// (biz_mail), enabled and disabled through exmail/account/act_email, switched through exmail/useroption; mail groups through
    /// exmail/group/*. Members are named by UserID; the UserID ↔ address map is kept by <see cref="WeComAddressMap"/>.
    /// Department lookups are made once (single flight) and cached for the connection.
    /// </summary>
    public sealed partial class WeComProvider : IMailProvider, IMailboxStore, IMailboxPasswordStore, IGroupStore, IMailboxSettingsStore, IAdvancedFeatureSeats,
        IRemoteProvider
    {
        public const string DefaultBaseUri = "https://qyapi.weixin.qq.com/cgi-bin/";
        public const MailCapability Supported = MailCapability.Mailboxes | MailCapability.Groups | MailCapability.MailboxSettings
            | MailCapability.SharedMailboxes | MailCapability.Permissions | MailCapability.AppPasswords;
        /// <summary>Documented: 10,000 calls per minute per corp per API (WC/90454), 166.7 a second; the client keeps 166 a second over all APIs.</summary>
        public const double DefaultRequestsPerSecond = 166;

        private readonly RemoteApiClient _api;
        private readonly string _corpId;

        public WeComProvider(string corpId, SecretText secret, string mapPath, RemoteApiOptions options)
        {
            if (string.IsNullOrWhiteSpace(corpId))
            {
                throw MailAdminException.Invalid("WeComCorpIdMissing", "WeCom needs -CorpId (admin console: 我的企业 → 企业信息 → 企业ID).", corpId);
            }

            if (secret == null)
            {
                throw MailAdminException.Invalid(
                    "WeComSecretMissing", "WeCom needs -Secret: the secret of the application allowed to call the mail API.", corpId);
            }

            _corpId = corpId.Trim();
            options.BaseUri = RemoteApiOptions.ResolveBase(options.BaseUri, new Uri(DefaultBaseUri));
            _api = new RemoteApiClient(new WeComProtocol(_corpId, secret), options);
            Map = new WeComAddressMap(mapPath ?? DefaultMapPath(_corpId));
        }

        /// <summary>The per-user file the map is kept in when -Path is not given.</summary>
        public static string DefaultMapPath(string corpId)
            => System.IO.Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "MailAdmin",
                "wecom-" + corpId + ".map");

        /// <summary>How Connect-MailProvider opens it: CorpId, Secret, Path (the UserID map file), ApiBaseUri, RequestsPerSecond.</summary>
        public static ProviderDescriptor Descriptor { get; } = new ProviderDescriptor("WeCom",
            "WeCom mail (企业微信邮箱) server API: members' business mailboxes, departments, mail groups, protocol switches.",
            Supported, o => new WeComProvider(o.GetString("CorpId"), o["Secret"] as SecretText, o.GetString("Path"),
                new RemoteApiOptions
                {
                    BaseUri = o["ApiBaseUri"] as Uri,
                    RequestsPerSecond = o["RequestsPerSecond"] is double r && r > 0 ? r : DefaultRequestsPerSecond,
                    MaxRetryAfter = o["MaxRetryAfterSec"] is int m && m > 0 ? TimeSpan.FromSeconds(m) : RemoteApiOptions.DefaultMaxRetryAfter,
                }));

        public string Name => "WeCom";
        public MailCapability Capabilities => Supported;
        public string Target => $"{_api.Options.BaseUri} (corp {_corpId})";
        public RemoteApiClient Api => _api;
        public WeComAddressMap Map { get; }
        public void Dispose() => _api.Dispose();

        private async Task<JObject> Call(
            HttpMethod method, string path, string op, object target, JObject body, CancellationToken ct, bool idempotent = true,
            params (string k, string v)[] query)
        {
            var r = new RemoteRequest(method, path, op) { TokenKey = WeComProtocol.MailApp, Target = target?.ToString(), Body = body, Idempotent = idempotent };
            foreach (var (k, v) in query) r.Query[k] = v;
            return await _api.SendAsync(r, ct).ConfigureAwait(false);
        }

        private Task<JObject> Post(string path, string op, object target, JObject body, CancellationToken ct, bool idempotent = true)
            => Call(HttpMethod.Post, path, op, target, body, ct, idempotent);

        private Task<JObject> Get(string path, string op, object target, CancellationToken ct, params (string k, string v)[] query)
            => Call(HttpMethod.Get, path, op, target, null, ct, true, query);

        private MailAdminException NotSupported(string id, string text, object target)
            => new MailAdminException(MailErrorKind.NotSupported, id, "WeCom: " + text, target) { Provider = Name };

        /// <summary>A list in WeCom's documented wrapper: {"list":[...]}.</summary>
        private static JObject Wrap(IEnumerable<JToken> items) => new JObject { ["list"] = new JArray(items.ToArray()) };

        /// <summary>A list read leniently: wrapped ({"list":[...]}) or bare.</summary>
        private static JArray Unwrap(JToken t) => t is JObject o ? o["list"] as JArray ?? new JArray() : t as JArray ?? new JArray();

        // ---------------------------------------------------------------- departments (single flight, cached for the connection)

        private const long RootDepartment = 1;
        private SingleFlight<ConcurrentDictionary<long, (string name, long parent)>> _departmentTree;

        /// <summary>
        /// The department tree: one department/list for every caller at once (those arriving while it is in flight share it) and
        /// cached afterwards; <paramref name="reload"/> fetches it again unless a fetch is already in flight.
        /// </summary>
        private Task<ConcurrentDictionary<long, (string name, long parent)>> Departments(bool reload = false, CancellationToken ct = default)
        {
            if (_departmentTree == null)
            {
                Interlocked.CompareExchange(ref _departmentTree, new SingleFlight<ConcurrentDictionary<long, (string, long)>>(LoadDepartments), null);
            }

            return _departmentTree.GetAsync(ct, reload);
        }

        private async Task<ConcurrentDictionary<long, (string name, long parent)>> LoadDepartments()
        {
            var json = await Get("department/list", "list departments", null, CancellationToken.None, ("id", "1")).ConfigureAwait(false);
            var d = new ConcurrentDictionary<long, (string, long)>();
            foreach (var o in (json["department"] as JArray ?? new JArray()).OfType<JObject>())
            {
                var id = Json.Long(o["id"]);
                if (id.HasValue)
                {
                    d[id.Value] = (Json.Str(o["name"]) ?? "", Json.Long(o["parentid"]) ?? 0);
                }
            }
            // departments this connection made: a reload whose answer was read before a create finished still holds them
            foreach (var kv in _made)
            {
                d.TryAdd(kv.Key, kv.Value);
            }

            return d;
        }

        private static string[] SplitPath(string path)
            => (path ?? "").Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();

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

        private readonly ConcurrentDictionary<long, (string name, long parent)> _made = new ConcurrentDictionary<long, (string name, long parent)>();

        /// <summary>A department this connection has made under <paramref name="parent"/> with that name, if any.</summary>
        private long? MadeUnder(long parent, string name)
            => _made.Where(kv => kv.Value.parent == parent && string.Equals(kv.Value.name, name, StringComparison.OrdinalIgnoreCase))
                .Select(kv => (long?)kv.Key).FirstOrDefault();

        /// <summary>One creator at a time per department path (each level is created once); different paths are created in parallel.</summary>
        private readonly ConcurrentDictionary<string, SemaphoreSlim> _departmentGates = new ConcurrentDictionary<string,
            SemaphoreSlim>(StringComparer.OrdinalIgnoreCase);

        /// <summary>"Sales/East" -> its id; the missing levels are created when asked to (each level once, different paths at once).</summary>
        private async Task<long> ResolveDepartment(string path, bool create, object target, CancellationToken ct)
        {
            var parts = SplitPath(path);
            if (parts.Length == 0)
            {
                return RootDepartment;
            }

            var since = DateTime.UtcNow;
            foreach (var p in parts)
                if (p.Length > 32 || p.IndexOfAny("\\:*?\"<>|".ToCharArray()) >= 0)
                {
                    throw MailAdminException.Invalid(
                        "InvalidDepartmentName", $"The department name '{p}' in '{path}' is not allowed by WeCom: 1-32 characters, none of \\ : * ? \" < > |.",
                            target);
                }

            // with -CreateDepartment, while the first read of the tree is still in flight, the top level is created at once
            // beside it rather than after it (one round trip less before the first mailbox of a bulk run): a top level that
            // exists already is answered 60008 (nothing made) and then taken from the tree
            var tree = Departments();
            var speculate = create && !tree.IsCompleted;
            if (!speculate)
            {
                var found = Walk(await tree.ConfigureAwait(false), parts);
                if (found.missingAt < 0)
                {
                    return found.id;
                }
            }

            var parent = RootDepartment;
            for (var i = 0; i < parts.Length; i++)
            {
                var level = parts.Take(i + 1).ToArray();
                var first = speculate && i == 0;
                (long id, int missingAt) here;
                if (!first)
                {
                    here = Walk(await Departments().ConfigureAwait(false), level);
                    if (here.missingAt < 0)
                    {
                        parent = here.id;
                        continue;
                    }
                }
                var gate = _departmentGates.GetOrAdd(string.Join("/", level), _ => new SemaphoreSlim(1, 1));
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    var made = MadeUnder(parent, parts[i]);
                    if (made.HasValue)
                    {
                        parent = made.Value;
                        continue;
                    }
                    if (first && tree.IsCompleted)
                    {
                        first = false; // the tree came first after all: read it as below
                    }
                    // another row may have created it while this one waited (in the current tree, which a reload may have replaced);
                    // else read the tree again once (made in the console meanwhile?), unless it was read after this call began
                    here = first ? (parent, 0) : Walk(await Departments().ConfigureAwait(false), level);
                    if (here.missingAt < 0)
                    {
                        parent = here.id;
                        continue;
                    }
                    // under a department this connection has just made, nobody else has made one yet (and a create that meets
                    // one anyway is answered 60008, below); elsewhere the console may have
                    if (!first && !_made.ContainsKey(parent))
                    {
                        here = Walk(await _departmentTree.GetFreshAsync(since, ct).ConfigureAwait(false), level);
                        if (here.missingAt < 0)
                        {
                            parent = here.id;
                            continue;
                        }
                    }
                    if (!create)
                        throw MailAdminException.NotFound("DepartmentNotFound",
                            $"WeCom has no department '{string.Join("/", level)}' (for '{path}'). Create it in the admin console or add -CreateDepartment.",
                                target);
                    var name = parts[i];
                    var under = parent;
                    long? id = null;
                    await RemoteCreate.OnceAsync(async () =>
                    {
                        try
                        {
                            var json = await Post("department/create", $"create department {string.Join("/", level)}", target,
                                new JObject { ["name"] = name, ["parentid"] = under }, ct, idempotent: false).ConfigureAwait(false);
                            id = Json.Long(json["id"]);
                        }
                        catch (MailAdminException e) when (e.ErrorId == "DepartmentExists")
                        {
                            // made before: the tree this call has (the first read, sent before the speculative create) holds
                            // it; only one made meanwhile needs the tree read again
                            var again = Walk(await Departments().ConfigureAwait(false), level);
                            if (again.missingAt >= 0)
                            {
                                again = Walk(await Departments(reload: true).ConfigureAwait(false), level);
                            }

                            if (again.missingAt >= 0)
                            {
                                throw;
                            }

                            id = again.id;
                        }
                    }, async () =>
                    {
                        var again = Walk(await Departments(reload: true).ConfigureAwait(false), level);
                        if (again.missingAt < 0)
                        {
                            id = again.id;
                        }

                        return again.missingAt < 0;
                    }, ct).ConfigureAwait(false);
                    if (!id.HasValue)
                    {
                        throw new MailAdminException(
                            MailErrorKind.InvalidOperation, "WeComBadAnswer", "WeCom created a department but returned no id.", target) { Provider = Name };
                    }

                    _made[id.Value] = (name, under);
                    var deps = await Departments().ConfigureAwait(false);
                    deps[id.Value] = (name, under);
                    parent = id.Value;
                }
                finally
                {
                    gate.Release();
                }
            }
            return parent;
        }
    }
}
