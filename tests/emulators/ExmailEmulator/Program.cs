// Tencent Exmail open API emulator: the documented shapes (errcode/errmsg envelope, lenient types: numbers sent as strings,
// 64-bit department ids), errcodes, a token per application with a settable lifetime, a server-side rate limit per token
// (errcode 45009), latency, and fault injection (errcode -1/45009, HTTP 429/5xx, slow answers, dropped connections before or
// after the change is applied). Control: GET /_emulator/state, POST /_emulator/config, POST /_emulator/reset.
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

var cfg = new EmulatorConfig();
for (var i = 0; i + 1 < args.Length; i += 2) cfg.Set(args[i].TrimStart('-'), args[i + 1]);
var port = cfg.Port;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));
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
    var arrived = DateTime.UtcNow; // the limit counts requests when they arrive, as a real front end does
    if (cfg.LatencyMs > 0) await Task.Delay(cfg.LatencyMs);
    JsonObject body = null;
    if (ctx.Request.Method == "POST")
    {
        try { body = await JsonNode.ParseAsync(ctx.Request.Body) as JsonObject; }
        catch (JsonException) { return Reply(ctx, Err(47001, "data format error")); }
    }
    var q = ctx.Request.Query;
    // fault injection (not on gettoken unless asked): before or after the change is applied
    var fault = (path == "gettoken" && !cfg.FaultTokens) || (cfg.FaultPaths.Length > 0 && !cfg.FaultPaths.Contains(path)) ? null : state.PickFault();
    if (fault != null) Interlocked.Increment(ref state.FaultsInjected);
    switch (fault)
    {
        case "-1": return Reply(ctx, Err(-1, "system busy"));
        case "45009": return Reply(ctx, Err(45009, "api freq out of limit"));
        case "429": ctx.Response.Headers.RetryAfter = "1"; return Results.StatusCode(429);
        case "503": return Results.StatusCode(503);
        case "drop": ctx.Abort(); return Results.Empty;
        case "slow": await Task.Delay(cfg.SlowMs); break;
    }
    JsonObject result;
    if (path == "gettoken") result = state.GetToken(q["corpid"], q["corpsecret"]);
    else
    {
        var auth = state.Authorize(q["access_token"], path);
        if (auth != null) return Reply(ctx, auth);
        if (state.Throttled(q["access_token"], arrived)) { Interlocked.Increment(ref state.RateLimited); return Reply(ctx, Err(45009, "api freq out of limit")); }
        try { result = state.Handle(path, ctx.Request.Method, q, body); }
        catch (KeyNotFoundException) { return Results.StatusCode(404); }
    }
    if (fault == "500") { return Results.StatusCode(500); }           // applied, then the gateway fails
    if (fault == "dropAfter") { ctx.Abort(); return Results.Empty; }  // applied, answer lost
    return Reply(ctx, result);
});

await app.StartAsync();
var address = app.Urls.First();
Console.WriteLine($"LISTENING {address}");
Console.Out.Flush();
await app.WaitForShutdownAsync();

static IResult Reply(HttpContext ctx, JsonObject o) => Results.Text(o.ToJsonString(), "application/json; charset=utf-8");
static JsonObject Err(long code, string msg) => new JsonObject { ["errcode"] = code, ["errmsg"] = msg };

sealed class EmulatorConfig
{
    public int Port;
    public string CorpId = "wwtestcorp";
    public Dictionary<string, string> Secrets = new() { ["contacts"] = "contacts-secret", ["settings"] = "settings-secret", ["logs"] = "logs-secret", ["sso"] = "sso-secret" };
    public int TokenLifetime = 7200;
    public int LatencyMs;
    public double RateLimit;          // requests per second per token; 0 = none
    public double FaultRate;
    public string[] Faults = { "-1", "45009", "429", "503", "500", "drop", "dropAfter", "slow" };
    public bool FaultTokens;
    public string[] FaultPaths = new string[0];   // only these API paths fail (none listed: all)
    public int SlowMs = 1500;
    public int Seed = 1;
    public int LogRangeDays = 92;
    public bool GroupSearch = true;   // false: group/search is not there (404), as when the unconfirmed path is refused

    public void Set(string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "port": Port = int.Parse(value); break;
            case "corpid": CorpId = value; break;
            case "tokenlifetime": TokenLifetime = int.Parse(value); break;
            case "latency": case "latencyms": LatencyMs = int.Parse(value); break;
            case "ratelimit": RateLimit = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "faultrate": FaultRate = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "faults": Faults = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
            case "faulttokens": FaultTokens = bool.Parse(value); break;
            case "faultpaths": FaultPaths = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
            case "slowms": SlowMs = int.Parse(value); break;
            case "seed": Seed = int.Parse(value); break;
            case "groupsearch": GroupSearch = bool.Parse(value); break;
            default:
                if (key.StartsWith("secret.", StringComparison.OrdinalIgnoreCase)) Secrets[key.Substring(7).ToLowerInvariant()] = value;
                else throw new ArgumentException("unknown setting " + key);
                break;
        }
    }
}

sealed class EmulatorState
{
    private readonly EmulatorConfig _cfg;
    private readonly object _lock = new();
    private Random _random;
    public long Requests, FaultsInjected, RateLimited, TokensIssued, DuplicateCreates;
    private readonly ConcurrentDictionary<string, (string app, DateTime expires)> _tokens = new();
    private readonly ConcurrentDictionary<string, Queue<DateTime>> _windows = new();
    private Dictionary<long, JsonObject> _departments = new();
    private Dictionary<string, JsonObject> _users = new();
    private Dictionary<string, JsonObject> _groups = new();
    private Dictionary<string, Dictionary<int, string>> _options = new();
    private List<JsonObject> _operations = new();
    private long _nextDept;

    public EmulatorState(EmulatorConfig cfg) { _cfg = cfg; Reset(); }

    public void Reset()
    {
        lock (_lock)
        {
            _random = new Random(_cfg.Seed);
            _departments = new() { [1] = new JsonObject { ["id"] = 1L, ["name"] = "Test Corp", ["parentid"] = 0L, ["order"] = 0 } };
            _users = new(StringComparer.OrdinalIgnoreCase); _groups = new(StringComparer.OrdinalIgnoreCase); _options = new(StringComparer.OrdinalIgnoreCase);
            _operations = new();
            _nextDept = 5196969938080910636; // larger than 2^53: a double (or JavaScript) would lose it
            _tokens.Clear(); _windows.Clear();
            Requests = FaultsInjected = RateLimited = TokensIssued = DuplicateCreates = 0; TightestWindowMs = double.PositiveInfinity;
        }
    }

    public JsonObject Snapshot()
    {
        lock (_lock)
            return new JsonObject
            {
                ["requests"] = Requests, ["faults"] = FaultsInjected, ["rateLimited"] = RateLimited, ["tokens"] = TokensIssued, ["duplicateCreates"] = DuplicateCreates,
                ["tightestWindowMs"] = double.IsInfinity(TightestWindowMs) ? null : Math.Round(TightestWindowMs, 1),
                ["users"] = new JsonArray(_users.Keys.OrderBy(k => k).Select(k => (JsonNode)k).ToArray()),
                ["groups"] = new JsonArray(_groups.Keys.OrderBy(k => k).Select(k => (JsonNode)k).ToArray()),
                ["departments"] = new JsonArray(_departments.Values.Select(d => (JsonNode)new JsonObject { ["id"] = d["id"]!.GetValue<long>(), ["name"] = d["name"]!.GetValue<string>(), ["parentid"] = d["parentid"]!.GetValue<long>() }).ToArray()),
            };
    }

    public string PickFault()
    {
        lock (_lock)
        {
            if (_cfg.FaultRate <= 0 || _random.NextDouble() >= _cfg.FaultRate) return null;
            return _cfg.Faults[_random.Next(_cfg.Faults.Length)];
        }
    }

    private static JsonObject Ok(string msg = "ok") => new() { ["errcode"] = 0, ["errmsg"] = msg };
    private static JsonObject Err(long code, string msg) => new() { ["errcode"] = code, ["errmsg"] = msg };

    public JsonObject GetToken(string corpId, string secret)
    {
        if (corpId != _cfg.CorpId) return Err(40013, "invalid corpid");
        var app = _cfg.Secrets.FirstOrDefault(kv => kv.Value == secret).Key;
        if (app == null) return Err(40001, "invalid credential");
        var token = "tok-" + app + "-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        _tokens[token] = (app, DateTime.UtcNow.AddSeconds(_cfg.TokenLifetime));
        Interlocked.Increment(ref TokensIssued);
        var o = Ok(); o["access_token"] = token; o["expires_in"] = _cfg.TokenLifetime;
        return o;
    }

    private static string AppOf(string path)
    {
        if (path.StartsWith("useroption/")) return "settings";
        if (path.StartsWith("log/")) return "logs";
        if (path.StartsWith("service/")) return "sso";
        return "contacts";
    }

    public JsonObject Authorize(string token, string path)
    {
        if (string.IsNullOrEmpty(token)) return Err(41001, "access_token missing");
        if (!_tokens.TryGetValue(token, out var t)) return Err(40014, "invalid access_token");
        if (t.expires < DateTime.UtcNow) return Err(42001, "access_token expired");
        if (t.app != AppOf(path)) return Err(48002, "api forbidden");
        return null;
    }

    public bool Throttled(string token, DateTime arrived)
    {
        if (_cfg.RateLimit <= 0) return false;
        var q = _windows.GetOrAdd(token.Split('-')[1], _ => new Queue<DateTime>());
        lock (q)
        {
            // requests counted by arrival time in the one second before this one
            var recent = q.Where(t => t > arrived.AddSeconds(-1) && t <= arrived).Count();
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

    private void Log(int type, string operand)
        => _operations.Add(new JsonObject { ["time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["operator"] = "api", ["type"] = type, ["operand"] = operand, ["remark"] = "" });

    private JsonObject UserView(JsonObject u, bool listStyle)
    {
        var v = (JsonObject)u.DeepClone();
        v.Remove("password");
        // the documented inconsistency: enable is a number in user/get but a string in user/list; gender a string
        if (listStyle) v["enable"] = S(u["enable"]);
        return v;
    }

    public JsonObject Handle(string path, string method, IQueryCollection q, JsonObject b)
    {
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
                    if (string.IsNullOrEmpty(name) || System.Text.Encoding.UTF8.GetByteCount(name) > 64 || name.IndexOfAny("\\:*?\"<>|".ToCharArray()) >= 0) return Err(60009, "department name invalid");
                    if (parent == null || !_departments.ContainsKey(parent.Value)) return Err(60004, "parent department not found");
                    if (_departments.Values.Any(d => d["parentid"]!.GetValue<long>() == parent && S(d["name"]) == name)) return Err(60008, "department existed");
                    var id = _nextDept++;
                    _departments[id] = new JsonObject { ["id"] = id, ["name"] = name, ["parentid"] = parent.Value, ["order"] = 0 };
                    Log(28, name);
                    var o = Ok("created"); o["id"] = id; return o;
                }
                case "department/delete":
                {
                    var id = long.TryParse(q["id"], out var x) ? x : 0;
                    if (id == 1) return Err(60007, "not allow to delete root department");
                    if (!_departments.ContainsKey(id)) return Err(60003, "department not found");
                    if (_departments.Values.Any(d => d["parentid"]!.GetValue<long>() == id)) return Err(60006, "department has sub department");
                    if (_users.Values.Any(u => ((JsonArray)u["department"]!).Any(d => L(d) == id))) return Err(60005, "department has member");
                    _departments.Remove(id); Log(29, id.ToString()); return Ok("deleted");
                }
                case "user/create":
                {
                    var userid = S(b?["userid"])?.ToLowerInvariant();
                    if (!ValidEmail(userid)) return Err(40003, "invalid userid");
                    var name = S(b?["name"]);
                    if (string.IsNullOrEmpty(name) || System.Text.Encoding.UTF8.GetByteCount(name) > 64) return Err(60112, "invalid name");
                    if (b?["department"] is not JsonArray deps || deps.Count == 0) return Err(60127, "missing department");
                    if (deps.Count > 20) return Err(60110, "department count exceeds 20");
                    if (deps.Any(d => L(d) is not long id || !_departments.ContainsKey(id))) return Err(60123, "invalid department id");
                    if (string.IsNullOrEmpty(S(b?["password"]))) return Err(41009, "missing password");
                    if (_users.ContainsKey(userid) || _groups.ContainsKey(userid) || _users.Values.Any(u => ((JsonArray)u["slaves"]!).Any(s => S(s) == userid)))
                    { Interlocked.Increment(ref DuplicateCreates); return Err(60102, "userid existed"); }
                    var slaves = b?["slaves"] as JsonArray ?? new JsonArray();
                    _users[userid] = new JsonObject
                    {
                        ["userid"] = userid, ["name"] = name, ["department"] = new JsonArray(deps.Select(d => (JsonNode)L(d)!.Value).ToArray()),
                        ["position"] = S(b?["position"]) ?? "", ["mobile"] = S(b?["mobile"]) ?? "", ["tel"] = "", ["extid"] = "",
                        ["gender"] = S(b?["gender"]) ?? "0", ["enable"] = 1, ["slaves"] = new JsonArray(slaves.Select(s => (JsonNode)S(s)!.ToLowerInvariant()).ToArray()),
                        ["cpwd_login"] = L(b?["cpwd_login"]) ?? 0, ["password"] = S(b?["password"]),
                    };
                    _options[userid] = new Dictionary<int, string> { [1] = "0", [2] = "1", [3] = "1", [4] = "0" };
                    Log(19, userid);
                    return Ok("created");
                }
                case "user/update":
                {
                    var userid = S(b?["userid"])?.ToLowerInvariant();
                    if (userid == null || !_users.TryGetValue(userid, out var u)) return Err(60111, "userid not found");
                    foreach (var f in new[] { "name", "position", "mobile", "gender", "password" }) if (b!.ContainsKey(f)) u[f] = S(b[f]);
                    if (b!["department"] is JsonArray deps)
                    {
                        if (deps.Any(d => L(d) is not long id || !_departments.ContainsKey(id))) return Err(60123, "invalid department id");
                        u["department"] = new JsonArray(deps.Select(d => (JsonNode)L(d)!.Value).ToArray());
                    }
                    if (b["slaves"] is JsonArray sl) u["slaves"] = new JsonArray(sl.Select(s => (JsonNode)S(s)!.ToLowerInvariant()).ToArray());
                    if (b.ContainsKey("enable")) { u["enable"] = L(b["enable"]) ?? 1; Log(L(b["enable"]) == 0 ? 22 : 21, userid); } else Log(23, userid);
                    if (b.ContainsKey("cpwd_login")) u["cpwd_login"] = L(b["cpwd_login"]) ?? 0;
                    return Ok("updated");
                }
                case "user/delete":
                {
                    var userid = q["userid"].ToString().ToLowerInvariant();
                    if (!_users.Remove(userid)) return Err(60111, "userid not found");
                    Log(20, userid); return Ok("deleted");
                }
                case "user/get":
                {
                    var userid = q["userid"].ToString().ToLowerInvariant();
                    if (!_users.TryGetValue(userid, out var u)) return Err(60111, "userid not found");
                    var o = UserView(u, false); o["errcode"] = 0; o["errmsg"] = "ok"; return o;
                }
                case "user/list": case "user/simplelist":
                {
                    var dep = long.TryParse(q["department_id"], out var x) ? x : 1;
                    if (!_departments.ContainsKey(dep)) return Err(60003, "department not found");
                    var child = q["fetch_child"] == "1";
                    var set = new HashSet<long> { dep };
                    if (child) { bool grew; do { grew = false; foreach (var d in _departments.Values) if (set.Contains(d["parentid"]!.GetValue<long>()) && set.Add(d["id"]!.GetValue<long>())) grew = true; } while (grew); }
                    var users = _users.Values.Where(u => ((JsonArray)u["department"]!).Any(d => set.Contains(L(d)!.Value)))
                        .Select(u => path == "user/list" ? UserView(u, true) : new JsonObject { ["userid"] = S(u["userid"]), ["name"] = S(u["name"]), ["department"] = u["department"]!.DeepClone() });
                    var o = Ok(); o["userlist"] = new JsonArray(users.Select(x => (JsonNode)x).ToArray()); return o;
                }
                case "user/batchcheck":
                {
                    var list = b?["userlist"] as JsonArray;
                    if (list == null || list.Count == 0) return Err(41001, "userlist missing");
                    if (list.Count > 20) return Err(60130, "too many users (at most 20)");
                    var res = new JsonArray();
                    foreach (var n in list)
                    {
                        var a = S(n)?.ToLowerInvariant();
                        var type = !ValidEmail(a) ? -1 : _users.ContainsKey(a) ? 1 : _users.Values.Any(u => ((JsonArray)u["slaves"]!).Any(s => S(s) == a)) ? 2 : _groups.ContainsKey(a) ? 3 : 0;
                        res.Add(new JsonObject { ["user"] = S(n), ["type"] = type });
                    }
                    var o = Ok(); o["list"] = res; return o;
                }
                case "group/create":
                {
                    var id = S(b?["groupid"])?.ToLowerInvariant();
                    if (!ValidEmail(id)) return Err(40003, "invalid groupid");
                    if (_groups.ContainsKey(id) || _users.ContainsKey(id)) { Interlocked.Increment(ref DuplicateCreates); return Err(60102, "groupid existed"); }
                    var users = b?["userlist"] as JsonArray ?? new JsonArray(); var groups = b?["grouplist"] as JsonArray ?? new JsonArray(); var deps = b?["department"] as JsonArray ?? new JsonArray();
                    if (users.Count + groups.Count + deps.Count == 0) return Err(40058, "userlist, grouplist or department required");
                    var allow = L(b?["allow_type"]);
                    if (allow is null or < 0 or > 3) return Err(40058, "invalid allow_type");
                    foreach (var m in users) if (!_users.ContainsKey(S(m)!.ToLowerInvariant())) return Err(60111, "userid not found: " + S(m));
                    _groups[id] = new JsonObject
                    {
                        ["groupid"] = id, ["groupname"] = S(b?["groupname"]), ["userlist"] = users.DeepClone(), ["grouplist"] = groups.DeepClone(), ["department"] = deps.DeepClone(),
                        ["allow_type"] = allow, ["allow_userlist"] = (b?["allow_userlist"] as JsonArray ?? new JsonArray()).DeepClone(),
                    };
                    Log(32, id); return Ok("created");
                }
                case "group/update":
                {
                    var id = S(b?["groupid"])?.ToLowerInvariant();
                    if (id == null || !_groups.TryGetValue(id, out var g)) return Err(60111, "groupid not found");
                    foreach (var f in new[] { "groupname", "allow_type" }) if (b!.ContainsKey(f)) g[f] = b[f]!.DeepClone();
                    foreach (var f in new[] { "userlist", "grouplist", "department", "allow_userlist" }) if (b![f] is JsonArray a) g[f] = a.DeepClone();
                    Log(34, id); return Ok("updated");
                }
                case "group/delete":
                {
                    var id = q["groupid"].ToString().ToLowerInvariant();
                    if (!_groups.Remove(id)) return Err(60111, "groupid not found");
                    Log(33, id); return Ok("deleted");
                }
                case "group/search" when _cfg.GroupSearch:
                {
                    // the doc index lists 模糊(全量)搜索邮件群组; its path is unconfirmed, so WeCom's shape is taken (fuzzy=0 lists all)
                    var fuzzy = q["fuzzy"] == "1"; var key = q["groupid"].ToString();
                    var hits = _groups.Values.Where(g => !fuzzy || S(g["groupid"]).Contains(key, StringComparison.OrdinalIgnoreCase) || S(g["groupname"]).Contains(key, StringComparison.OrdinalIgnoreCase))
                        .OrderBy(g => S(g["groupid"])).Select(g => (JsonNode)new JsonObject { ["groupid"] = S(g["groupid"]), ["groupname"] = S(g["groupname"]) }).ToArray();
                    var o = Ok(); o["count"] = hits.Length.ToString(System.Globalization.CultureInfo.InvariantCulture); o["groups"] = new JsonArray(hits); return o;
                }
                case "group/get":
                {
                    var id = q["groupid"].ToString().ToLowerInvariant();
                    if (!_groups.TryGetValue(id, out var g)) return Err(60111, "groupid not found");
                    var o = (JsonObject)g.DeepClone(); o["errcode"] = 0; o["errmsg"] = "ok"; return o;
                }
                case "useroption/get":
                {
                    var userid = S(b?["userid"])?.ToLowerInvariant();
                    if (userid == null || !_options.TryGetValue(userid, out var opts)) return Err(60111, "userid not found");
                    var types = (b?["type"] as JsonArray ?? new JsonArray()).Select(t => (int)(L(t) ?? 0)).ToList();
                    var o = Ok(); o["option"] = new JsonArray(types.Where(opts.ContainsKey).Select(t => (JsonNode)new JsonObject { ["type"] = t, ["value"] = opts[t] }).ToArray()); return o;
                }
                case "useroption/update":
                {
                    var userid = S(b?["userid"])?.ToLowerInvariant();
                    if (userid == null || !_options.TryGetValue(userid, out var opts)) return Err(60111, "userid not found");
                    foreach (var o in (b?["option"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
                    {
                        var t = (int)(L(o["type"]) ?? 0);
                        if (t < 1 || t > 3) return Err(40058, "option type not allowed: " + t);
                        opts[t] = S(o["value"]) == "1" ? "1" : "0";
                        if (t == 1) opts[4] = opts[1];
                    }
                    return Ok("update");
                }
                case "service/get_login_url":
                {
                    var userid = q["userid"].ToString().ToLowerInvariant();
                    if (!_users.ContainsKey(userid)) return Err(60111, "userid not found");
                    var o = Ok(); o["login_url"] = $"https://exmail.qq.com/cgi-bin/login?fun=bizopenssologin&method=openapi&userid={Uri.EscapeDataString(userid)}&authkey={Guid.NewGuid():N}"; o["expires_in"] = 300; return o;
                }
                case "log/mailstatus": case "log/mail": case "log/login": case "log/batchjob": case "log/operation":
                {
                    if (!DateTime.TryParseExact(S(b?["begin_date"]), "yyyy-MM-dd", null, System.Globalization.DateTimeStyles.None, out var from)
                        || !DateTime.TryParseExact(S(b?["end_date"]), "yyyy-MM-dd", null, System.Globalization.DateTimeStyles.None, out var to))
                        return Err(40058, "invalid date");
                    if ((to - from).TotalDays > _cfg.LogRangeDays) return Err(601002, "query range exceeds limit");
                    var o = Ok();
                    if (path == "log/mailstatus") { o["sendsum"] = (to - from).Days + 1; o["recvsum"] = 2 * ((to - from).Days + 1); return o; }
                    var list = new JsonArray();
                    var noon = new DateTimeOffset(from.AddHours(12), TimeSpan.Zero).ToUnixTimeSeconds();
                    switch (path)
                    {
                        case "log/mail": // one received (delivered), one received into spam, one sent per day in range
                            for (var d = from; d <= to; d = d.AddDays(1))
                            {
                                var t = new DateTimeOffset(d.AddHours(9), TimeSpan.Zero).ToUnixTimeSeconds();
                                var who = S(b?["userid"]) ?? "someone@example.com";
                                if (L(b?["mailtype"]) is 0 or 2) { list.Add(new JsonObject { ["mailtype"] = 2, ["subject"] = "Hello " + d.ToString("MM-dd"), ["sender"] = "partner@example.net", ["receiver"] = who, ["time"] = t, ["status"] = 13 });
                                                                   list.Add(new JsonObject { ["mailtype"] = 2, ["subject"] = "Cheap pills", ["sender"] = "spam@example.org", ["receiver"] = who, ["time"] = t + 60, ["status"] = "12" }); }
                                if (L(b?["mailtype"]) is 0 or 1) list.Add(new JsonObject { ["mailtype"] = 1, ["subject"] = "Report " + d.ToString("MM-dd"), ["sender"] = who, ["receiver"] = "boss@example.net", ["time"] = t + 120, ["status"] = 3 });
                            }
                            break;
                        case "log/login":
                            for (var d = from; d <= to; d = d.AddDays(7))
                                list.Add(new JsonObject { ["time"] = new DateTimeOffset(d.AddHours(8), TimeSpan.Zero).ToUnixTimeSeconds(), ["ip"] = "203.0.113." + (d.Day % 250 + 1), ["type"] = d.Day % 2 == 0 ? 1 : "4" });
                            break;
                        case "log/batchjob":
                            list.Add(new JsonObject { ["time"] = noon, ["operator"] = "admin@example.com", ["type"] = 2, ["status"] = "done" });
                            break;
                        default:
                            foreach (var op in _operations) list.Add(op.DeepClone());
                            break;
                    }
                    o["list"] = list; return o;
                }
                default: throw new KeyNotFoundException(path);
            }
        }
    }
}
