// WeCom mail (企业微信邮箱) server API emulator, built from PROVIDERS-ADDENDUM.md section 1: gettoken per application
// secret with a settable lifetime; the contact calls a mailbox needs (department/list|create, user/create|get|update|delete|list,
// biz_mail withheld from user/get and user/list as it is for applications made after 2022-06-20); user/update enable 0/1 (member disabled);
// exmail/account/act_email (userid or publicemail_id),
// exmail/useroption/get|update, exmail/vip/batch_add|batch_del|list, exmail/group/create|update|delete|get|search (lists wrapped as {"list":[...]}),
// exmail/publicmail/create|update|delete|get|search|get_auth_code_list|delete_auth_code (WC/95511, 98000-98003, 100183-100184: public
// mailboxes with users, aliases (<=5, replaced as a set) and client-specific passwords shown once, <=10 made through the API), success errmsg
// "ok"; lenient types (numbers accepted as strings; group/search's count is sent as a string). Errcodes: 40001, 40013, 40014,
// 42001, 41001, 48002, 60020 (caller's IP not trusted: set trustedIp=false), 60003, 60008, 60102, 60106, 60111, 81015, 45009.
// Codes the documentation does not give for mail groups are marked [?] below. Rate limit per API path per second (45009), latency,
// faults (errcode -1/45009, HTTP 429/503/500, slow, dropped before or after the change is applied).
// Control: GET /_emulator/state, POST /_emulator/config, POST /_emulator/reset.
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

var cfg = new EmulatorConfig();
for (var i = 0; i + 1 < args.Length; i += 2) cfg.Set(args[i].TrimStart('-'), args[i + 1]);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, cfg.Port));
var app = builder.Build();
var state = new EmulatorState(cfg);

app.Map("/_emulator/{action}", async (HttpContext ctx, string action) =>
{
    if (action == "reset") { state.Reset(); return Results.Json(new { ok = true }); }
    if (action == "config" && ctx.Request.Method == "POST")
    {
        var body = await JsonNode.ParseAsync(ctx.Request.Body) as JsonObject;
        foreach (var kv in body ?? new JsonObject()) cfg.Set(kv.Key, kv.Value?.ToString() ?? "");
        return Results.Json(new { ok = true });
    }
    return Results.Text(state.Snapshot().ToJsonString(), "application/json");
});

app.Map("/cgi-bin/{**path}", async (HttpContext ctx, string path) =>
{
    Interlocked.Increment(ref state.Requests);
    var arrived = DateTime.UtcNow;
    if (cfg.LatencyMs > 0) await Task.Delay(cfg.LatencyMs);
    JsonObject body = null;
    if (ctx.Request.Method == "POST")
    {
        try { body = await JsonNode.ParseAsync(ctx.Request.Body) as JsonObject; }
        catch (JsonException) { return Reply(Err(47001, "data format error")); }
    }
    var q = ctx.Request.Query;
    var fault = (path == "gettoken" && !cfg.FaultTokens) || (cfg.FaultPaths.Length > 0 && !cfg.FaultPaths.Contains(path)) ? null : state.PickFault();
    if (fault != null) Interlocked.Increment(ref state.FaultsInjected);
    switch (fault)
    {
        case "-1": return Reply(Err(-1, "system busy"));
        case "45009": return Reply(Err(45009, "api freq out of limit"));
        case "429": ctx.Response.Headers.RetryAfter = "1"; return Results.StatusCode(429);
        case "503": return Results.StatusCode(503);
        case "drop": ctx.Abort(); return Results.Empty;
        case "slow": await Task.Delay(cfg.SlowMs); break;
    }
    JsonObject result;
    if (path == "gettoken") result = state.GetToken(q["corpid"], q["corpsecret"]);
    else
    {
        var auth = state.Authorize(q["access_token"]);
        if (auth != null) return Reply(auth);
        if (!cfg.TrustedIp) return Reply(Err(60020, "not allow to access from your ip, hint: [from ip: 127.0.0.1]"));
        if (state.Throttled(path, arrived)) { Interlocked.Increment(ref state.RateLimited); return Reply(Err(45009, "api freq out of limit")); }
        try { result = state.Handle(path, ctx.Request.Method, q, body); }
        catch (KeyNotFoundException) { return Results.StatusCode(404); }
    }
    if (fault == "500") return Results.StatusCode(500);
    if (fault == "dropAfter") { ctx.Abort(); return Results.Empty; }
    return Reply(result);
});

await app.StartAsync();
Console.WriteLine($"LISTENING {app.Urls.First()}");
Console.Out.Flush();
await app.WaitForShutdownAsync();

static IResult Reply(JsonObject o) => Results.Text(o.ToJsonString(), "application/json; charset=utf-8");
static JsonObject Err(long code, string msg) => new JsonObject { ["errcode"] = code, ["errmsg"] = msg };

sealed class EmulatorConfig
{
    public int Port;
    public string CorpId = "wwwecomcorp";
    public string Secret = "mail-app-secret";
    public string[] Domains = { "contoso.com" };
    public int TokenLifetime = 7200;
    public int LatencyMs;
    public double RateLimit;             // requests per second per API path; 0 = none (documented: 10,000/min per corp per API)
    public double FaultRate;
    public string[] Faults = { "-1", "45009", "429", "503", "500", "drop", "dropAfter", "slow" };
    public bool FaultTokens;
    public string[] FaultPaths = new string[0];
    public int SlowMs = 1500;
    public int Seed = 1;
    public bool TrustedIp = true;
    public bool RevealBizMail;           // false: user/get and user/list omit biz_mail, as for applications made after 2022-06-20

    public void Set(string key, string value)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        switch (key.ToLowerInvariant())
        {
            case "port": Port = int.Parse(value); break;
            case "corpid": CorpId = value; break;
            case "secret": Secret = value; break;
            case "domains": Domains = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
            case "tokenlifetime": TokenLifetime = int.Parse(value); break;
            case "latency": case "latencyms": LatencyMs = int.Parse(value); break;
            case "ratelimit": RateLimit = double.Parse(value, inv); break;
            case "faultrate": FaultRate = double.Parse(value, inv); break;
            case "faults": Faults = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
            case "faulttokens": FaultTokens = bool.Parse(value); break;
            case "faultpaths": FaultPaths = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
            case "slowms": SlowMs = int.Parse(value); break;
            case "seed": Seed = int.Parse(value); break;
            case "trustedip": TrustedIp = bool.Parse(value); break;
            case "revealbizmail": RevealBizMail = bool.Parse(value); break;
            default: throw new ArgumentException("unknown setting " + key);
        }
    }
}

sealed class EmulatorState
{
    private readonly EmulatorConfig _cfg;
    private readonly object _lock = new();
    private Random _random;
    public long Requests, FaultsInjected, RateLimited, TokensIssued, DuplicateCreates;
    private readonly ConcurrentDictionary<string, DateTime> _tokens = new();
    private readonly ConcurrentDictionary<string, Queue<DateTime>> _windows = new();
    private Dictionary<long, JsonObject> _departments = new();
    private Dictionary<string, JsonObject> _users = new();
    private Dictionary<string, JsonObject> _groups = new();
    private Dictionary<string, Dictionary<int, string>> _options = new();
    private Dictionary<string, bool> _mail = new();
    private Dictionary<long, JsonObject> _public = new();
    private long _nextPublic, _nextAuthCode;
    private SortedSet<string> _vip = new(StringComparer.OrdinalIgnoreCase);
    private ConcurrentDictionary<string, int> _paths = new();
    private long _nextDept;

    public EmulatorState(EmulatorConfig cfg) { _cfg = cfg; Reset(); }

    public void Reset()
    {
        lock (_lock)
        {
            _random = new Random(_cfg.Seed);
            _departments = new() { [1] = new JsonObject { ["id"] = 1L, ["name"] = "WeCom Test Corp", ["parentid"] = 0L, ["order"] = 0 } };
            _users = new(StringComparer.OrdinalIgnoreCase); _groups = new(StringComparer.OrdinalIgnoreCase);
            _options = new(StringComparer.OrdinalIgnoreCase); _mail = new(StringComparer.OrdinalIgnoreCase); _vip = new(StringComparer.OrdinalIgnoreCase);
            _paths = new();
            _nextDept = 2;
            _public = new(); _nextPublic = 3000001; _nextAuthCode = 1;
            _tokens.Clear(); _windows.Clear(); TightestWindowMs = double.PositiveInfinity;
            Requests = FaultsInjected = RateLimited = TokensIssued = DuplicateCreates = 0;
        }
    }

    public JsonObject Snapshot()
    {
        lock (_lock)
        {
            var paths = new JsonObject();
            foreach (var kv in _paths.OrderBy(k => k.Key)) paths[kv.Key] = kv.Value;
            return new JsonObject
            {
                ["requests"] = Requests, ["faults"] = FaultsInjected, ["rateLimited"] = RateLimited, ["tokens"] = TokensIssued, ["duplicateCreates"] = DuplicateCreates,
                ["tightestWindowMs"] = double.IsInfinity(TightestWindowMs) ? null : Math.Round(TightestWindowMs, 1),
                ["paths"] = paths,
                ["users"] = new JsonArray(_users.Values.OrderBy(u => S(u["userid"])).Select(u => (JsonNode)new JsonObject
                {
                    ["userid"] = S(u["userid"]), ["biz_mail"] = S(u["biz_mail"]), ["mailEnabled"] = _mail.TryGetValue(S(u["userid"]), out var m) && m,
                }).ToArray()),
                ["groups"] = new JsonArray(_groups.Keys.OrderBy(k => k).Select(k => (JsonNode)k).ToArray()),
                ["publicMailboxes"] = new JsonArray(_public.Values.OrderBy(p => S(p["email"])).Select(p => (JsonNode)new JsonObject
                {
                    ["id"] = L(p["id"]), ["email"] = S(p["email"]), ["name"] = S(p["name"]),
                        ["users"] = new JsonArray(List(p["userid_list"]).Select(x => (JsonNode)x).ToArray()),
                    ["aliases"] = new JsonArray(List(p["alias_list"]).Select(x => (JsonNode)x).ToArray()),
                        ["mailEnabled"] = _mail.TryGetValue("public:" + S(p["id"]), out var pm) ? pm : true,
                    ["authCodes"] = (p["auth_codes"] as JsonArray)?.Count ?? 0,
                }).ToArray()),
                ["vip"] = new JsonArray(_vip.Select(k => (JsonNode)k).ToArray()),
                ["departments"] = new JsonArray(_departments.Values.Select(d => (JsonNode)new JsonObject { ["id"] = d["id"]!.GetValue<long>(), ["name"] = d["name"]!.GetValue<string>(), ["parentid"] = d["parentid"]!.GetValue<long>() }).ToArray()),
            };
        }
    }

    public string PickFault()
    {
        lock (_lock)
        {
            if (_cfg.FaultRate <= 0 || _random.NextDouble() >= _cfg.FaultRate) return null;
            return _cfg.Faults[_random.Next(_cfg.Faults.Length)];
        }
    }

    private static JsonObject Ok() => new() { ["errcode"] = 0, ["errmsg"] = "ok" };
    private static JsonObject Err(long code, string msg) => new() { ["errcode"] = code, ["errmsg"] = msg };

    public JsonObject GetToken(string corpId, string secret)
    {
        if (corpId != _cfg.CorpId) return Err(40013, "invalid corpid");
        if (secret != _cfg.Secret) return Err(40001, "invalid credential");
        var token = "wctok-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        _tokens[token] = DateTime.UtcNow.AddSeconds(_cfg.TokenLifetime);
        Interlocked.Increment(ref TokensIssued);
        var o = Ok(); o["access_token"] = token; o["expires_in"] = _cfg.TokenLifetime.ToString(System.Globalization.CultureInfo.InvariantCulture); // lenient: a string
        return o;
    }

    public JsonObject Authorize(string token)
    {
        if (string.IsNullOrEmpty(token)) return Err(41001, "access_token missing");
        if (!_tokens.TryGetValue(token, out var expires)) return Err(40014, "invalid access_token");
        if (expires < DateTime.UtcNow) return Err(42001, "access_token expired");
        return null;
    }

    public bool Throttled(string path, DateTime arrived)
    {
        if (_cfg.RateLimit <= 0) return false;
        var q = _windows.GetOrAdd(path, _ => new Queue<DateTime>());
        lock (q)
        {
            var recent = q.Count(t => t > arrived.AddSeconds(-1) && t <= arrived);
            while (q.Count > 0 && (DateTime.UtcNow - q.Peek()).TotalSeconds >= 3) q.Dequeue();
            if (recent >= _cfg.RateLimit) return true;
            NoteSpan(q, arrived);
            q.Enqueue(arrived);
            return false;
        }
    }

    /// <summary>Diagnostics only (no effect on answers): the shortest time spanned by one more accepted request than the limit
    /// allows in a second, i.e. how close the client came to the limit; above 1,000 ms always, unless the limit was broken.</summary>
    public double TightestWindowMs = double.PositiveInfinity;

    private void NoteSpan(IEnumerable<DateTime> accepted, DateTime arrived)
    {
        var limit = (int)Math.Ceiling(_cfg.RateLimit);
        var earlier = accepted.Where(t => t <= arrived).OrderByDescending(t => t).Skip(limit - 1).Take(1).ToList();
        if (earlier.Count == 1) TightestWindowMs = Math.Min(TightestWindowMs, (arrived - earlier[0]).TotalMilliseconds);
    }

    private static string S(JsonNode n) => n == null ? null : n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n.ToJsonString().Trim('"');
    private static long? L(JsonNode n) { var s = S(n); return long.TryParse(s, out var v) ? v : null; }
    private static bool ValidEmail(string s) => s != null && System.Text.RegularExpressions.Regex.IsMatch(s, @"^[^@\s]+@[^@\s]+\.[^@\s]+$");

    /// <summary>A list field, wrapped ({"list":[...]}) as documented or, leniently, a bare array.</summary>
    private static List<string> List(JsonNode n)
    {
        var arr = n is JsonObject o ? o["list"] as JsonArray : n as JsonArray;
        return arr == null ? null : arr.Select(S).Where(x => x != null).ToList();
    }
    private static JsonObject Wrap(IEnumerable<string> items) => new() { ["list"] = new JsonArray(items.Select(x => (JsonNode)x).ToArray()) };
    private static JsonObject WrapLong(IEnumerable<string> items) => new() { ["list"] = new JsonArray(items.Select(x => (JsonNode)long.Parse(x)).ToArray()) };

    private JsonObject UserView(JsonObject u)
    {
        var v = (JsonObject)u.DeepClone();
        if (!_cfg.RevealBizMail) { v.Remove("biz_mail"); v.Remove("email"); }
        return v;
    }

    private bool DomainOk(string address) => _cfg.Domains.Any(d => address.EndsWith("@" + d, StringComparison.OrdinalIgnoreCase));

    public JsonObject Handle(string path, string method, IQueryCollection q, JsonObject b)
    {
        _paths.AddOrUpdate(path, 1, (_, n) => n + 1);
        lock (_lock)
        {
            switch (path)
            {
                case "department/list":
                {
                    var id = long.TryParse(q["id"], out var x) ? x : 1;
                    if (!_departments.ContainsKey(id)) return Err(60003, "department not found");
                    var all = new List<JsonObject>();
                    void Add(long d) { all.Add((JsonObject)_departments[d].DeepClone()); foreach (var c in _departments.Values.Where(c => c["parentid"]!.GetValue<long>() == d)) Add(c["id"]!.GetValue<long>()); }
                    Add(id);
                    var o = Ok(); o["department"] = new JsonArray(all.ToArray()); return o;
                }
                case "department/create":
                {
                    var name = S(b?["name"]); var parent = L(b?["parentid"]);
                    if (string.IsNullOrEmpty(name) || name.Length > 32 || name.IndexOfAny("\\:*?\"<>|".ToCharArray()) >= 0) return Err(60009, "department name invalid");
                    if (parent == null || !_departments.ContainsKey(parent.Value)) return Err(60004, "parent department not found");
                    if (_departments.Values.Any(d => d["parentid"]!.GetValue<long>() == parent && string.Equals(S(d["name"]), name, StringComparison.OrdinalIgnoreCase)))
                    { Interlocked.Increment(ref DuplicateCreates); return Err(60008, "department existed"); }
                    var id = _nextDept++;
                    _departments[id] = new JsonObject { ["id"] = id, ["name"] = name, ["parentid"] = parent.Value, ["order"] = 0 };
                    var o = Ok(); o["errmsg"] = "created"; o["id"] = id; return o;
                }
                case "user/create":
                {
                    var userid = S(b?["userid"]); var name = S(b?["name"]); var mail = S(b?["biz_mail"])?.ToLowerInvariant();
                    if (string.IsNullOrEmpty(userid) || userid.Length > 64 || !System.Text.RegularExpressions.Regex.IsMatch(userid, @"^[A-Za-z0-9_.@\-]+$")) return Err(60111, "invalid userid");
                    if (string.IsNullOrEmpty(name)) return Err(60112, "invalid name");
                    if (_users.ContainsKey(userid)) { Interlocked.Increment(ref DuplicateCreates); return Err(60102, "userid existed"); }
                    if (mail != null)
                    {
                        if (!ValidEmail(mail)) return Err(60105, "invalid email");
                        if (!DomainOk(mail)) return Err(81015, "email domain not match corp mail domain");
                        if (_users.Values.Any(u => string.Equals(S(u["biz_mail"]), mail, StringComparison.OrdinalIgnoreCase))) return Err(60106, "email existed");
                    }
                    else mail = userid.ToLowerInvariant() + "@" + _cfg.Domains[0]; // documented: WeCom makes a default mailbox
                    var deps = (b?["department"] as JsonArray)?.Select(L).Where(d => d.HasValue).Select(d => d.Value).ToList() ?? new List<long> { 1 };
                    if (deps.Count == 0) deps.Add(1);
                    if (deps.Any(d => !_departments.ContainsKey(d))) return Err(60003, "department not found");
                    var u = new JsonObject
                    {
                        ["userid"] = userid, ["name"] = name, ["department"] = new JsonArray(deps.Select(d => (JsonNode)d).ToArray()),
                        ["position"] = S(b?["position"]) ?? "", ["mobile"] = S(b?["mobile"]) ?? "", ["biz_mail"] = mail, ["status"] = 1, ["enable"] = 1,
                    };
                    _users[userid] = u; _mail[userid] = true;
                    var o = Ok(); o["errmsg"] = "created"; return o;
                }
                case "user/get":
                {
                    var userid = (string)q["userid"];
                    if (userid == null || !_users.TryGetValue(userid, out var u)) return Err(60111, "userid not found");
                    var o = UserView(u); o["errcode"] = 0; o["errmsg"] = "ok"; return o;
                }
                case "user/list":
                {
                    var dep = long.TryParse(q["department_id"], out var x) ? x : 1;
                    if (!_departments.ContainsKey(dep)) return Err(60003, "department not found");
                    var within = new HashSet<long> { dep };
                    if (q["fetch_child"] == "1")
                        for (var added = true; added;)
                        {
                            added = false;
                            foreach (var d in _departments.Values) if (within.Contains(d["parentid"]!.GetValue<long>()) && within.Add(d["id"]!.GetValue<long>())) added = true;
                        }
                    var list = _users.Values.Where(u => (u["department"] as JsonArray)!.Any(d => within.Contains(d!.GetValue<long>()))).OrderBy(u => S(u["userid"])).Select(u => (JsonNode)UserView(u)).ToArray();
                    var o = Ok(); o["userlist"] = new JsonArray(list); return o;
                }
                case "user/update":
                {
                    var userid = S(b?["userid"]);
                    if (userid == null || !_users.TryGetValue(userid, out var u)) return Err(60111, "userid not found");
                    foreach (var f in new[] { "name", "position", "mobile" }) if (b[f] != null) u[f] = S(b[f]);
                    if (b["enable"] != null)
                    {
                        // WC/90197: enable 1 enables the member, 0 disables it (a disabled member cannot sign in to WeCom or its mail)
                        var en = L(b["enable"]);
                        if (en != 0 && en != 1) return Err(40058, "invalid enable");
                        u["enable"] = (int)en.Value; u["status"] = en == 1 ? 1 : 2;
                    }
                    if (b["department"] is JsonArray deps)
                    {
                        var ids = deps.Select(L).Where(d => d.HasValue).Select(d => d.Value).ToList();
                        if (ids.Any(d => !_departments.ContainsKey(d))) return Err(60003, "department not found");
                        u["department"] = new JsonArray(ids.Select(d => (JsonNode)d).ToArray());
                    }
                    if (b["biz_mail_alias"] is JsonObject alias)
                    {
                        var items = (alias["item"] as JsonArray)?.Select(S).Where(x => x != null).ToList() ?? new List<string>();
                        if (items.Any(a => !ValidEmail(a) || !DomainOk(a))) return Err(81015, "email domain not match corp mail domain");
                        u["biz_mail_alias"] = new JsonObject { ["item"] = new JsonArray(items.Select(a => (JsonNode)a.ToLowerInvariant()).ToArray()) };
                    }
                    var o = Ok(); o["errmsg"] = "updated"; return o;
                }
                case "user/delete":
                {
                    var userid = (string)q["userid"];
                    if (userid == null || !_users.Remove(userid)) return Err(60111, "userid not found");
                    _options.Remove(userid); _mail.Remove(userid); _vip.Remove(userid);
                    var o = Ok(); o["errmsg"] = "deleted"; return o;
                }
                case "exmail/account/act_email":
                {
                    var userid = S(b?["userid"]); var type = L(b?["type"]);
                    // WC/95512: userid or publicemail_id; with both, only userid is acted on
                    if (userid == null && b?["publicemail_id"] != null)
                    {
                        var pid = L(b["publicemail_id"]);
                        if (pid == null || !_public.ContainsKey(pid.Value)) return Err(40058, "invalid publicemail_id"); // [?] the code is not documented
                        if (type != 1 && type != 2) return Err(40058, "invalid type");
                        _mail["public:" + pid.Value] = type == 1;
                        return Ok();
                    }
                    if (userid == null || !_users.ContainsKey(userid)) return Err(60111, "userid not found");
                    if (type != 1 && type != 2) return Err(40058, "invalid type");
                    _mail[userid] = type == 1;
                    return Ok();
                }
                case "exmail/useroption/get":
                {
                    var userid = S(b?["userid"]);
                    if (userid == null || !_users.ContainsKey(userid)) return Err(60111, "userid not found");
                    var types = (b["type"] as JsonArray)?.Select(L).Where(t => t.HasValue).Select(t => (int)t.Value).ToList() ?? new List<int> { 1, 2, 3, 4 };
                    var opts = _options.TryGetValue(userid, out var d) ? d : new Dictionary<int, string> { [1] = "0", [2] = "1", [3] = "1", [4] = "0" };
                    var o = Ok();
                    o["option"] = new JsonObject { ["list"] = new JsonArray(types.Where(t => t >= 1 && t <= 4).Select(t => (JsonNode)new JsonObject { ["type"] = t, ["value"] = opts.TryGetValue(t, out var v) ? v : "0" }).ToArray()) };
                    return o;
                }
                case "exmail/useroption/update":
                {
                    var userid = S(b?["userid"]);
                    if (userid == null || !_users.ContainsKey(userid)) return Err(60111, "userid not found");
                    var list = (b["option"] as JsonObject)?["list"] as JsonArray;
                    if (list == null || list.Any(i => i is not JsonObject)) return Err(40058, "option.list must be a list of {type, value}");
                    if (!_options.TryGetValue(userid, out var d)) _options[userid] = d = new Dictionary<int, string> { [1] = "0", [2] = "1", [3] = "1", [4] = "0" };
                    foreach (var item in list.OfType<JsonObject>())
                    {
                        var t = (int)(L(item["type"]) ?? 0); var v = S(item["value"]);
                        if (t < 1 || t > 3 || (v != "0" && v != "1")) return Err(40058, "invalid option");
                        d[t] = v;
                        if (t == 1) d[4] = v;
                    }
                    return Ok();
                }
                case "exmail/group/create": return GroupWrite(b, create: true);
                case "exmail/group/update": return GroupWrite(b, create: false);
                case "exmail/group/delete":
                {
                    var id = S(b?["groupid"]);
                    if (id == null || !_groups.Remove(id)) return Err(60123, "group not found"); // [?] the code is not documented
                    return Ok();
                }
                case "exmail/group/get":
                {
                    var id = (string)q["groupid"];
                    if (id == null || !_groups.TryGetValue(id, out var g)) return Err(60123, "group not found"); // [?]
                    var o = (JsonObject)g.DeepClone(); o["errcode"] = 0; o["errmsg"] = "ok"; return o;
                }
                case "exmail/group/search":
                {
                    var fuzzy = q["fuzzy"] == "1"; var key = (string)q["groupid"] ?? "";
                    var hits = _groups.Values.Where(g => !fuzzy || S(g["groupid"]).Contains(key, StringComparison.OrdinalIgnoreCase) || S(g["groupname"]).Contains(key, StringComparison.OrdinalIgnoreCase))
                        .OrderBy(g => S(g["groupid"])).Select(g => (JsonNode)new JsonObject { ["groupid"] = S(g["groupid"]), ["groupname"] = S(g["groupname"]) }).ToArray();
                    var o = Ok(); o["count"] = hits.Length.ToString(System.Globalization.CultureInfo.InvariantCulture); o["groups"] = new JsonArray(hits); return o;
                }
                case "exmail/vip/batch_add":
                case "exmail/vip/batch_del":
                {
                    // WC/99316-99317: at most 100 per call; succ_userid_list includes those that already had (or lacked) it
                    var ids = (b?["userid_list"] as JsonArray)?.Select(S).Where(x => x != null).ToList();
                    if (ids == null || ids.Count == 0) return Err(40058, "userid_list missing");
                    if (ids.Count > 100) return Err(40058, "userid_list: at most 100");
                    var succ = new JsonArray(); var fail = new JsonArray();
                    foreach (var id in ids)
                    {
                        if (!_users.ContainsKey(id)) { fail.Add(id); continue; }
                        if (path.EndsWith("add", StringComparison.Ordinal)) _vip.Add(id); else _vip.Remove(id);
                        succ.Add(id);
                    }
                    var o = Ok(); o["succ_userid_list"] = succ; o["fail_userid_list"] = fail; return o;
                }
                case "exmail/vip/list":
                {
                    // WC/99318: cursor paging, limit default 100, at most 200
                    var limit = (int)(L(b?["limit"]) ?? 100);
                    if (limit < 1 || limit > 200) return Err(40058, "limit: 1-200");
                    var start = int.TryParse(S(b?["cursor"]) ?? "0", out var c0) ? c0 : 0;
                    var page = _vip.Skip(start).Take(limit).ToList();
                    var more = start + page.Count < _vip.Count;
                    var o = Ok(); o["has_more"] = more; o["next_cursor"] = more ? (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
                    o["userid_list"] = new JsonArray(page.Select(x => (JsonNode)x).ToArray()); return o;
                }
                case "exmail/publicmail/create": return PublicWrite(b, create: true);
                case "exmail/publicmail/update": return PublicWrite(b, create: false);
                case "exmail/publicmail/delete":
                {
                    var id = L(b?["id"]);
                    if (id == null || !_public.Remove(id.Value)) return Err(40058, "invalid id"); // [?]
                    _mail.Remove("public:" + id.Value);
                    return Ok();
                }
                case "exmail/publicmail/get":
                {
                    // WC/98002: a batch by id_list; ids that are not public mailboxes are left out [?]
                    var ids = List(b?["id_list"]);
                    if (ids == null || ids.Count == 0) return Err(40058, "id_list missing");
                    var list = ids.Select(x => long.TryParse(x, out var v) ? v : -1).Where(_public.ContainsKey)
                        .Select(i => (JsonNode)PublicView(_public[i])).ToArray();
                    var o = Ok(); o["list"] = new JsonArray(list); return o;
                }
                case "exmail/publicmail/search":
                {
                    // WC/98003: email matches the name or the address; fuzzy=0 lists all
                    var fuzzy = q["fuzzy"] == "1"; var key = (string)q["email"] ?? "";
                    var hits = _public.Values
                        .Where(p => !fuzzy || S(p["email"]).Contains(key, StringComparison.OrdinalIgnoreCase)
                            || S(p["name"]).Contains(key, StringComparison.OrdinalIgnoreCase))
                        .OrderBy(p => L(p["id"]))
                            .Select(p => (JsonNode)new JsonObject { ["id"] = L(p["id"]), ["email"] = S(p["email"]), ["name"] = S(p["name"]) }).ToArray();
                    var o = Ok(); o["list"] = new JsonArray(hits); return o;
                }
                case "exmail/publicmail/get_auth_code_list":
                {
                    var id = L(b?["id"]);
                    if (id == null || !_public.TryGetValue(id.Value, out var p)) return Err(40058, "invalid id"); // [?]
                    // WC/100183: never the secret itself
                    var list = ((p["auth_codes"] as JsonArray) ?? new JsonArray()).OfType<JsonObject>().Select(a => (JsonNode)new JsonObject
                    {
                        ["auth_code_id"] = L(a["auth_code_id"]), ["create_time"] = L(a["create_time"]), ["last_use_time"] = L(a["last_use_time"]),
                            ["remark"] = S(a["remark"]),
                    }).ToArray();
                    var o = Ok(); o["auth_code_list"] = new JsonArray(list); return o;
                }
                case "exmail/publicmail/delete_auth_code":
                {
                    var id = L(b?["id"]); var code = L(b?["auth_code_id"]);
                    if (id == null || !_public.TryGetValue(id.Value, out var p)) return Err(40058, "invalid id"); // [?]
                    var codes = p["auth_codes"] as JsonArray ?? new JsonArray();
                    var hit = codes.OfType<JsonObject>().FirstOrDefault(a => L(a["auth_code_id"]) == code);
                    if (hit == null) return Err(40058, "invalid auth_code_id"); // [?]
                    codes.Remove(hit);
                    return Ok();
                }
                default: throw new KeyNotFoundException(path);
            }
        }
    }

    private bool IsMailbox(string address) => _users.Values.Any(u => string.Equals(S(u["biz_mail"]), address, StringComparison.OrdinalIgnoreCase));

    private bool AddressTaken(string address, long? exceptPublic = null)
        => IsMailbox(address) || _groups.ContainsKey(address)
           || _users.Values.Any(u => (u["biz_mail_alias"] as JsonObject)?["item"] is JsonArray items
               && items.Any(i => string.Equals(S(i), address, StringComparison.OrdinalIgnoreCase)))
           || _public.Values.Any(p => L(p["id"]) != exceptPublic && (string.Equals(S(p["email"]), address, StringComparison.OrdinalIgnoreCase)
                                   || List(p["alias_list"]).Any(a => string.Equals(a, address, StringComparison.OrdinalIgnoreCase))));

    private static JsonObject PublicView(JsonObject p)
    {
        var v = (JsonObject)p.DeepClone();
        v.Remove("auth_codes");
        return v;
    }

    /// <summary>WC/95511 (create) and WC/98000 (update): users by UserID, department and tag lists (never all empty), aliases
    /// (6-64 bytes each, at most 5, replacing the set), and a client-specific password on request, shown once.</summary>
    private JsonObject PublicWrite(JsonObject b, bool create)
    {
        JsonObject p;
        if (create)
        {
            var email = S(b?["email"])?.ToLowerInvariant(); var name = S(b?["name"]);
            if (email == null || !ValidEmail(email)) return Err(60105, "invalid email");
            if (!DomainOk(email)) return Err(81015, "email domain not match corp mail domain");
            if (string.IsNullOrEmpty(name) || name.Length > 64) return Err(40058, "name: 1-64 characters");
            if (AddressTaken(email)) { Interlocked.Increment(ref DuplicateCreates); return Err(60106, "email existed"); } // [S] the member code
            if (_public.Values.Any(x => S(x["name"]) == name)) return Err(40058, "name existed"); // documented unique; the code is [?]
            p = new JsonObject { ["id"] = _nextPublic, ["email"] = email, ["name"] = name, ["userid_list"] = Wrap(new string[0]),
                ["department_list"] = Wrap(new string[0]),
                ["tag_list"] = Wrap(new string[0]), ["alias_list"] = Wrap(new string[0]), ["auth_codes"] = new JsonArray() };
        }
        else
        {
            var id = L(b?["id"]);
            if (id == null || !_public.TryGetValue(id.Value, out var existing)) return Err(40058, "invalid id"); // [?]
            p = (JsonObject)existing.DeepClone();
            if (b["name"] != null)
            {
                var name = S(b["name"]);
                if (string.IsNullOrEmpty(name) || name.Length > 64) return Err(40058, "name: 1-64 characters");
                if (_public.Values.Any(x => L(x["id"]) != id && S(x["name"]) == name)) return Err(40058, "name existed");
                p["name"] = name;
            }
            if (b["alias_list"] != null)
            {
                var aliases = List(b["alias_list"])?.Select(a => a.ToLowerInvariant()).Distinct().ToList() ?? new List<string>();
                if (aliases.Count > 5) return Err(40058, "alias_list: at most 5");
                if (aliases.Any(a => !ValidEmail(a) || a.Length < 6 || a.Length > 64)) return Err(60105, "invalid alias");
                if (aliases.Any(a => !DomainOk(a))) return Err(81015, "email domain not match corp mail domain");
                if (aliases.Any(a => AddressTaken(a, id))) return Err(60106, "email existed");
                p["alias_list"] = Wrap(aliases);
            }
        }
        foreach (var f in new[] { "userid_list", "department_list", "tag_list" })
        {
            var l = List(b[f]);
            if (l == null) continue;
            if (f == "userid_list" && l.Any(u => !_users.ContainsKey(u))) return Err(60111, "userid not found");
            if (f != "userid_list" && l.Any(x => !long.TryParse(x, out _))) return Err(40058, $"invalid id in {f}");
            if (f == "department_list" && l.Any(x => !_departments.ContainsKey(long.Parse(x)))) return Err(60003, "department not found");
            p[f] = f == "userid_list" ? Wrap(l.Distinct(StringComparer.OrdinalIgnoreCase)) : WrapLong(l.Distinct());
        }
        if (List(p["userid_list"]).Count + List(p["department_list"]).Count + List(p["tag_list"]).Count == 0)
            return Err(40058, "userid_list, department_list and tag_list cannot all be empty");
        var o = Ok();
        if ((L(b["create_auth_code"]) ?? 0) == 1)
        {
            var codes = (JsonArray)p["auth_codes"]!;
            if (codes.Count >= 10) return Err(40058, "at most 10 client-specific passwords made through the API"); // documented limit; the code is [?]
            var remark = S((b["auth_code_info"] as JsonObject)?["remark"]) ?? "办公PC";
            if (System.Text.Encoding.UTF8.GetByteCount(remark) > 128) return Err(40058, "remark: at most 128 bytes");
            var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
            var codeId = _nextAuthCode++;
            codes.Add(new JsonObject { ["auth_code_id"] = codeId, ["create_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["last_use_time"] = 0,
                ["remark"] = remark, ["code"] = secret });
            o["auth_code_id"] = codeId; o["auth_code"] = secret;
        }
        if (create) { o["id"] = _nextPublic; _nextPublic++; }
        _public[L(p["id"])!.Value] = p;
        return o;
    }

    private JsonObject GroupWrite(JsonObject b, bool create)
    {
        var id = S(b?["groupid"])?.ToLowerInvariant();
        if (id == null || !ValidEmail(id)) return Err(60105, "invalid groupid");
        JsonObject g;
        if (create)
        {
            if (_groups.ContainsKey(id) || IsMailbox(id)) { Interlocked.Increment(ref DuplicateCreates); return Err(60102, "groupid existed"); } // [?]
            if (!DomainOk(id)) return Err(81015, "email domain not match corp mail domain");
            var name = S(b["groupname"]);
            if (string.IsNullOrEmpty(name) || System.Text.Encoding.UTF8.GetByteCount(name) > 200) return Err(40058, "groupname invalid");
            g = new JsonObject { ["groupid"] = id, ["groupname"] = name, ["email_list"] = Wrap(new string[0]), ["tag_list"] = Wrap(new string[0]),
                ["department_list"] = Wrap(new string[0]), ["group_list"] = Wrap(new string[0]), ["allow_type"] = 0,
                ["allow_emaillist"] = Wrap(new string[0]), ["allow_departmentlist"] = Wrap(new string[0]), ["allow_taglist"] = Wrap(new string[0]) };
        }
        else
        {
            if (!_groups.TryGetValue(id, out var existing)) return Err(60123, "group not found"); // [?]
            g = (JsonObject)existing.DeepClone();
            if (b["groupname"] != null) g["groupname"] = S(b["groupname"]);
        }
        foreach (var f in new[] { "email_list", "group_list", "allow_emaillist" })
        {
            var l = List(b[f]);
            if (l == null) continue;
            if (l.Any(a => !ValidEmail(a))) return Err(60105, $"invalid address in {f}");
            if (f != "allow_emaillist" && l.Any(a => f == "email_list" ? !IsMailbox(a) : !_groups.ContainsKey(a))) return Err(60111, $"unknown member in {f}");
            g[f] = Wrap(l.Select(a => a.ToLowerInvariant()).Distinct());
        }
        foreach (var f in new[] { "department_list", "tag_list", "allow_departmentlist", "allow_taglist" })
        {
            var l = List(b[f]);
            if (l == null) continue;
            if (l.Any(x => !long.TryParse(x, out _))) return Err(40058, $"invalid id in {f}");
            if (f.EndsWith("department_list", StringComparison.Ordinal) || f == "allow_departmentlist")
                if (l.Any(x => !_departments.ContainsKey(long.Parse(x)))) return Err(60003, "department not found");
            g[f] = WrapLong(l);
        }
        if (b["allow_type"] != null) g["allow_type"] = (int)(L(b["allow_type"]) ?? -1);
        var type = (int)(L(g["allow_type"]) ?? 0);
        if (type < 0 || type > 3) return Err(40058, "invalid allow_type");
        var allowCount = List(g["allow_emaillist"]).Count + List(g["allow_departmentlist"]).Count + List(g["allow_taglist"]).Count;
        if (type == 3 && allowCount == 0) return Err(40058, "allow_type 3 needs allow_emaillist, allow_departmentlist or allow_taglist");
        if (type != 3 && allowCount > 0)
        {
            if (create || b["allow_emaillist"] != null || b["allow_departmentlist"] != null || b["allow_taglist"] != null)
                return Err(40058, "allow lists are only for allow_type 3");
            g["allow_emaillist"] = Wrap(new string[0]); g["allow_departmentlist"] = Wrap(new string[0]); g["allow_taglist"] = Wrap(new string[0]);
        }
        var memberCount = List(g["email_list"]).Count + List(g["department_list"]).Count + List(g["tag_list"]).Count + List(g["group_list"]).Count;
        if (memberCount == 0) return Err(40058, "the member lists cannot all be empty");
        _groups[id] = g;
        return Ok();
    }
}
