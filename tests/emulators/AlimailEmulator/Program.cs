// Alibaba Mail open API emulator (and DingTalk's one mail-admin call): OAuth2 client_credentials token with a settable
// lifetime, bearer auth, REST with string ids, offset/limit paging (limit <= 100), the documented limit of 40 calls per
// second per mail domain answered with HTTP 429 + Retry-After, non-2xx bodies {detailErrorCode, message, developerMessage},
// and fault injection (HTTP 429/5xx, slow answers, connections dropped before or after the change).
// Where the notes mark a detail unknown (error codes, the duplicate-user status), the emulator picks a plausible answer
// (409 USER_ALREADY_EXISTS); the provider maps on the HTTP status, so it does not depend on the code text.
// Control: GET /_emulator/state, POST /_emulator/config, POST /_emulator/reset.
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

var cfg = new Config();
for (var i = 0; i + 1 < args.Length; i += 2) cfg.Set(args[i].TrimStart('-'), args[i + 1]);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, cfg.Port));
var app = builder.Build();
var st = new State(cfg);

app.Map("/_emulator/{action}", async (HttpContext ctx, string action) =>
{
    if (action == "reset") { st.Reset(); return Results.Json(new { ok = true }); }
    if (action == "config" && ctx.Request.Method == "POST")
    {
        var body = await JsonNode.ParseAsync(ctx.Request.Body) as JsonObject;
        foreach (var kv in body ?? new JsonObject()) cfg.Set(kv.Key, kv.Value?.ToString() ?? "");
        return Results.Json(new { ok = true });
    }
    return Results.Text(st.Snapshot().ToJsonString(), "application/json");
});

app.Map("/{**path}", async (HttpContext ctx, string path) =>
{
    Interlocked.Increment(ref st.Requests);
    var arrived = DateTime.UtcNow; // the limit counts requests when they arrive, as a real front end does
    if (cfg.LatencyMs > 0) await Task.Delay(cfg.LatencyMs);
    var isToken = path is "oauth2/v2.0/token" or "v1.0/oauth2/accessToken";
    var fault = isToken && !cfg.FaultTokens ? null : st.PickFault();
    if (fault != null) Interlocked.Increment(ref st.Faults);
    switch (fault)
    {
        case "429": ctx.Response.Headers.RetryAfter = "1"; return Error(429, "TooManyRequests", "too many requests");
        case "503": return Results.StatusCode(503);
        case "drop": ctx.Abort(); return Results.Empty;
        case "slow": await Task.Delay(cfg.SlowMs); break;
    }
    (int status, JsonNode body) result;
    if (path == "oauth2/v2.0/token")
    {
        var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync() : null;
        result = st.Token(form?["grant_type"], form?["client_id"], form?["client_secret"]);
    }
    else if (path == "v1.0/oauth2/accessToken")
    {
        var b = await JsonNode.ParseAsync(ctx.Request.Body) as JsonObject;
        result = st.DingTalkToken(b?["appKey"]?.ToString(), b?["appSecret"]?.ToString());
    }
    else
    {
        var dingtalk = path.StartsWith("v1.0/");
        var auth = dingtalk ? st.AuthorizeDingTalk(ctx.Request.Headers["x-acs-dingtalk-access-token"]) : st.Authorize(ctx.Request.Headers.Authorization);
        if (auth != null) return Send(ctx, auth.Value.status, auth.Value.body);
        if (!dingtalk && st.Throttled(arrived)) { Interlocked.Increment(ref st.RateLimited); ctx.Response.Headers.RetryAfter = "1"; return Error(429, "TooManyRequests", "more than 40 calls per second for this mail domain"); }
        JsonObject body = null;
        if (ctx.Request.ContentLength > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
        {
            try { body = await JsonNode.ParseAsync(ctx.Request.Body) as JsonObject; }
            catch (JsonException) { return Error(400, "InvalidJson", "the body is not JSON"); }
        }
        result = dingtalk ? st.DingTalk(path, ctx.Request.Method, body) : st.Handle(path, ctx.Request.Method, ctx.Request.Query, body);
    }
    if (fault == "500") return Results.StatusCode(500);                 // applied, then the gateway fails
    if (fault == "dropAfter") { ctx.Abort(); return Results.Empty; }    // applied, answer lost
    return Send(ctx, result.status, result.body);
});

await app.StartAsync();
Console.WriteLine($"LISTENING {app.Urls.First()}");
Console.Out.Flush();
await app.WaitForShutdownAsync();

static IResult Send(HttpContext ctx, int status, JsonNode body) => Results.Text(body?.ToJsonString() ?? "", "application/json; charset=utf-8", statusCode: status);
static IResult Error(int status, string code, string message) => Results.Text(new JsonObject { ["detailErrorCode"] = code, ["message"] = message, ["developerMessage"] = message }.ToJsonString(), "application/json", statusCode: status);

sealed class Config
{
    public int Port, LatencyMs, SlowMs = 1500, Seed = 1, TokenLifetime = 3600;
    public string ClientId = "alimail-app", ClientSecret = "alimail-secret", AppKey = "dingappkey", AppSecret = "ding-secret";
    public double RateLimit = 40, FaultRate;
    public bool FaultTokens;
    public string[] Faults = { "429", "503", "500", "drop", "dropAfter", "slow" };
    public void Set(string key, string value)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        switch (key.ToLowerInvariant())
        {
            case "port": Port = int.Parse(value); break;
            case "latency": LatencyMs = int.Parse(value); break;
            case "slowms": SlowMs = int.Parse(value); break;
            case "seed": Seed = int.Parse(value); break;
            case "tokenlifetime": TokenLifetime = int.Parse(value); break;
            case "ratelimit": RateLimit = double.Parse(value, inv); break;
            case "faultrate": FaultRate = double.Parse(value, inv); break;
            case "faulttokens": FaultTokens = bool.Parse(value); break;
            case "faults": Faults = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
            default: throw new ArgumentException("unknown setting " + key);
        }
    }
}

sealed class State
{
    private readonly Config _cfg; private readonly object _lock = new(); private Random _random;
    public long Requests, Faults, RateLimited, Tokens, DuplicateCreates;
    private readonly ConcurrentDictionary<string, DateTime> _tokens = new(), _dingTokens = new();
    private readonly Queue<DateTime> _window = new();
    private Dictionary<string, JsonObject> _users, _departments, _domains;
    private long _next;

    public State(Config cfg) { _cfg = cfg; Reset(); }

    public void Reset()
    {
        lock (_lock)
        {
            _random = new Random(_cfg.Seed);
            _users = new(StringComparer.OrdinalIgnoreCase); _departments = new(); _domains = new(StringComparer.OrdinalIgnoreCase);
            _domains["example.cn"] = new JsonObject { ["id"] = "d1", ["domain"] = "example.cn", ["aliases"] = new JsonArray(), ["isMaster"] = true, ["isVerified"] = true, ["isMxVerified"] = true, ["createdTime"] = "2024-01-01T00:00:00Z" };
            _tokens.Clear(); _dingTokens.Clear(); lock (_window) _window.Clear();
            _next = 1000; Requests = Faults = RateLimited = Tokens = DuplicateCreates = 0; TightestWindowMs = double.PositiveInfinity;
        }
    }

    public JsonObject Snapshot()
    {
        lock (_lock)
            return new JsonObject
            {
                ["requests"] = Requests, ["faults"] = Faults, ["rateLimited"] = RateLimited, ["tokens"] = Tokens, ["duplicateCreates"] = DuplicateCreates,
                ["tightestWindowMs"] = double.IsInfinity(TightestWindowMs) ? null : Math.Round(TightestWindowMs, 1),
                ["users"] = new JsonArray(_users.Values.Select(u => (JsonNode)u["email"]!.GetValue<string>()).OrderBy(x => x.GetValue<string>()).ToArray()),
                ["departments"] = new JsonArray(_departments.Values.Select(d => (JsonNode)new JsonObject { ["id"] = d["id"]!.GetValue<string>(), ["name"] = d["name"]!.GetValue<string>(), ["parentId"] = d["parentId"]!.GetValue<string>() }).ToArray()),
                ["domains"] = new JsonArray(_domains.Keys.Select(k => (JsonNode)k).ToArray()),
            };
    }

    public string PickFault() { lock (_lock) return _cfg.FaultRate > 0 && _random.NextDouble() < _cfg.FaultRate ? _cfg.Faults[_random.Next(_cfg.Faults.Length)] : null; }

    private static (int, JsonNode) Err(int status, string code, string msg) => (status, new JsonObject { ["detailErrorCode"] = code, ["message"] = msg, ["developerMessage"] = msg });
    private static (int, JsonNode) Ok(JsonNode body = null) => (200, body ?? new JsonObject());

    public (int, JsonNode) Token(string grant, string id, string secret)
    {
        if (grant != "client_credentials") return (400, new JsonObject { ["error"] = "unsupported_grant_type", ["error_description"] = "grant_type must be client_credentials" });
        if (id != _cfg.ClientId || secret != _cfg.ClientSecret) return (401, new JsonObject { ["error"] = "invalid_client", ["error_description"] = "client authentication failed" });
        var t = "at." + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        _tokens[t] = DateTime.UtcNow.AddSeconds(_cfg.TokenLifetime); Interlocked.Increment(ref Tokens);
        return Ok(new JsonObject { ["access_token"] = t, ["token_type"] = "bearer", ["expires_in"] = _cfg.TokenLifetime });
    }

    public (int, JsonNode) DingTalkToken(string key, string secret)
    {
        if (key != _cfg.AppKey || secret != _cfg.AppSecret) return (400, new JsonObject { ["code"] = "invalidClientIdOrSecret", ["message"] = "无效的appKey或appSecret", ["requestid"] = Guid.NewGuid().ToString() });
        var t = "dt." + Guid.NewGuid().ToString("N");
        _dingTokens[t] = DateTime.UtcNow.AddSeconds(_cfg.TokenLifetime); Interlocked.Increment(ref Tokens);
        return Ok(new JsonObject { ["accessToken"] = t, ["expireIn"] = _cfg.TokenLifetime });
    }

    public (int status, JsonNode body)? Authorize(string header)
    {
        if (string.IsNullOrEmpty(header) || !header.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase)) return Err(401, "InvalidToken", "missing bearer token");
        if (!_tokens.TryGetValue(header.Substring(7).Trim(), out var exp)) return Err(401, "InvalidToken", "invalid access token");
        if (exp < DateTime.UtcNow) return Err(401, "TokenExpired", "access token expired");
        return null;
    }

    public (int status, JsonNode body)? AuthorizeDingTalk(string token)
    {
        if (string.IsNullOrEmpty(token) || !_dingTokens.TryGetValue(token, out var exp)) return (401, new JsonObject { ["code"] = "InvalidAuthentication", ["message"] = "不合法的access_token" });
        if (exp < DateTime.UtcNow) return (401, new JsonObject { ["code"] = "InvalidAuthentication", ["message"] = "access_token过期" });
        return null;
    }

    public bool Throttled(DateTime arrived)
    {
        if (_cfg.RateLimit <= 0) return false;
        lock (_window)
        {
            // requests counted by arrival time in the one second before this one
            var recent = _window.Count(t => t > arrived.AddSeconds(-1) && t <= arrived);
            while (_window.Count > 0 && (DateTime.UtcNow - _window.Peek()).TotalSeconds >= 3) _window.Dequeue();
            if (recent >= _cfg.RateLimit) return true;
            NoteSpan(_window, arrived);
            _window.Enqueue(arrived); return false;
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
    private static bool Valid(string email) => email != null && System.Text.RegularExpressions.Regex.IsMatch(email, @"^[^@\s]+@[^@\s]+\.[^@\s]+$");

    private JsonObject FindUser(string idOrEmail)
        => _users.Values.FirstOrDefault(u => string.Equals(S(u["id"]), idOrEmail, StringComparison.OrdinalIgnoreCase) || string.Equals(S(u["email"]), idOrEmail, StringComparison.OrdinalIgnoreCase)
            || ((JsonArray)u["emailAliases"]!).Any(a => string.Equals(S(a), idOrEmail, StringComparison.OrdinalIgnoreCase)));

    private bool AddressTaken(string email) => FindUser(email) != null;

    private JsonArray PathOf(JsonArray depIds)
    {
        if (depIds.Count == 0) return new JsonArray();
        var segs = new List<string>();
        for (var id = S(depIds[0]); id != null && id != "$root" && _departments.TryGetValue(id, out var d); id = S(d["parentId"])) segs.Insert(0, S(d["name"]));
        return new JsonArray(new JsonObject { ["segments"] = new JsonArray(segs.Select(s => (JsonNode)s).ToArray()) });
    }

    private JsonObject View(JsonObject u)
    {
        var v = (JsonObject)u.DeepClone(); v.Remove("password");
        v["departmentPath"] = new JsonObject { ["paths"] = PathOf((JsonArray)u["departmentIds"]!) };
        return v;
    }

    private (int, JsonNode) CreateUser(JsonObject b)
    {
        var email = S(b?["email"])?.ToLowerInvariant();
        if (!Valid(email)) return Err(400, "InvalidParameter.Email", "email is not valid");
        if (string.IsNullOrEmpty(S(b["name"]))) return Err(400, "InvalidParameter.Name", "name is required");
        if (string.IsNullOrEmpty(S(b["password"]))) return Err(400, "InvalidParameter.Password", "password is required");
        var domain = email.Substring(email.IndexOf('@') + 1);
        if (!_domains.ContainsKey(domain) && !_domains.Values.Any(d => ((JsonArray)d["aliases"]!).Any(a => S(a) == domain))) return Err(400, "InvalidParameter.Domain", $"the domain {domain} is not in this organisation");
        if (AddressTaken(email)) { Interlocked.Increment(ref DuplicateCreates); return Err(409, "USER_ALREADY_EXISTS", "the email already exists"); }
        var deps = b["departmentIds"] as JsonArray ?? new JsonArray();
        foreach (var d in deps) if (!_departments.ContainsKey(S(d))) return Err(400, "InvalidParameter.DepartmentIds", "unknown department " + S(d));
        var id = "u" + (_next++).ToString();
        var u = new JsonObject
        {
            ["id"] = id, ["email"] = email, ["name"] = S(b["name"]), ["password"] = S(b["password"]), ["departmentIds"] = new JsonArray(deps.Select(d => (JsonNode)S(d)).ToArray()),
            ["jobTitle"] = S(b["jobTitle"]) ?? "", ["phone"] = S(b["phone"]) ?? "", ["status"] = S(b["status"]) ?? "NORMAL", ["emailAliases"] = new JsonArray(),
            ["forceChangePasswordNextSignIn"] = b["forceChangePasswordNextSignIn"]?.GetValue<bool>() ?? false, ["employeeType"] = S(b["employeeType"]) ?? "EMPLOYEE",
            ["createdTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"), ["lastPasswordChangeTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        };
        _users[id] = u;
        return Ok(View(u));
    }

    public (int, JsonNode) DingTalk(string path, string method, JsonObject b)
    {
        lock (_lock)
        {
            if (path != "v1.0/mail/users" || method != "POST") return (404, new JsonObject { ["code"] = "NotFound", ["message"] = "no such API" });
            foreach (var f in new[] { "email", "name", "password", "employeeType" })
                if (string.IsNullOrEmpty(S(b?[f]))) return (400, new JsonObject { ["code"] = "MissingParameter", ["message"] = f + " is required" });
            var (status, body) = CreateUser(b);
            if (status == 409) return (400, new JsonObject { ["code"] = "Mail.UserAlreadyExist", ["message"] = "邮箱账号已存在" });
            if (status != 200) return (status, new JsonObject { ["code"] = S(body["detailErrorCode"]), ["message"] = S(body["message"]) });
            return Ok(new JsonObject { ["email"] = S(body["email"]) });
        }
    }

    private static int Int(IQueryCollection q, string k, int dflt) => int.TryParse(q[k], out var v) ? v : dflt;

    public (int, JsonNode) Handle(string path, string method, IQueryCollection q, JsonObject b)
    {
        lock (_lock)
        {
            var p = path.Split('/').Select(Uri.UnescapeDataString).ToArray();
            if (p.Length < 2 || p[0] != "v2") return Err(404, "NotFound", "no such API");
            var offset = Int(q, "offset", 0); var limit = Int(q, "limit", 100);
            if (limit < 1 || limit > 100) return Err(400, "InvalidParameter.Limit", "limit must be 1-100");
            switch (p[1])
            {
                case "users":
                    if (p.Length == 2 && method == "POST") return CreateUser(b);
                    if (p.Length >= 3)
                    {
                        var u = FindUser(p[2]);
                        if (u == null) return Err(404, "USER_NOT_FOUND", "user not found");
                        if (p.Length == 3 && method == "GET") return Ok(View(u));
                        if (p.Length == 3 && method == "DELETE") { _users.Remove(S(u["id"])); return Ok(); }
                        if (p.Length == 3 && method == "PATCH")
                        {
                            foreach (var f in new[] { "name", "jobTitle", "phone", "status" }) if (b?[f] != null) u[f] = S(b[f]);
                            if (b?["departmentIds"] is JsonArray deps) u["departmentIds"] = new JsonArray(deps.Select(d => (JsonNode)S(d)).ToArray());
                            if (b?["status"] != null && S(b["status"]) is not ("NORMAL" or "FREEZE")) return Err(400, "InvalidParameter.Status", "status must be NORMAL or FREEZE");
                            return Ok(View(u));
                        }
                        if (p.Length == 4 && p[3] == "resetPassword" && method == "POST")
                        {
                            if (string.IsNullOrEmpty(S(b?["password"]))) return Err(400, "InvalidParameter.Password", "password is required");
                            u["password"] = S(b["password"]); u["lastPasswordChangeTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"); return Ok();
                        }
                        if (p.Length == 4 && p[3] == "emailAliases")
                        {
                            var alias = S(b?["alias"])?.ToLowerInvariant();
                            var list = (JsonArray)u["emailAliases"]!;
                            if (method == "POST")
                            {
                                if (!Valid(alias)) return Err(400, "InvalidParameter.Alias", "alias is not valid");
                                if (AddressTaken(alias)) { Interlocked.Increment(ref DuplicateCreates); return Err(409, "ALIAS_ALREADY_EXISTS", "the alias is in use"); }
                                list.Add(alias); return Ok();
                            }
                            if (method == "DELETE")
                            {
                                var item = list.FirstOrDefault(a => S(a) == alias);
                                if (item == null) return Err(404, "ALIAS_NOT_FOUND", "no such alias");
                                list.Remove(item); return Ok();
                            }
                        }
                    }
                    break;
                case "departments":
                    if (p.Length == 2 && method == "POST")
                    {
                        var name = S(b?["name"]); var parent = S(b?["parentId"]) ?? "$root";
                        if (string.IsNullOrEmpty(name)) return Err(400, "InvalidParameter.Name", "name is required");
                        if (parent != "$root" && !_departments.ContainsKey(parent)) return Err(404, "DEPARTMENT_NOT_FOUND", "parent not found");
                        if (_departments.Values.Any(d => S(d["parentId"]) == parent && S(d["name"]) == name)) { Interlocked.Increment(ref DuplicateCreates); return Err(409, "DEPARTMENT_ALREADY_EXISTS", "a department with this name exists here"); }
                        var id = "d" + (_next++).ToString();
                        _departments[id] = new JsonObject { ["id"] = id, ["name"] = name, ["parentId"] = parent, ["createdTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ") };
                        return Ok(Dept(id));
                    }
                    if (p.Length == 4 && method == "GET")
                    {
                        var id = p[2];
                        if (id != "$root" && !_departments.ContainsKey(id)) return Err(404, "DEPARTMENT_NOT_FOUND", "department not found");
                        if (p[3] == "departments")
                        {
                            var kids = _departments.Values.Where(d => S(d["parentId"]) == id).OrderBy(d => S(d["id"])).ToList();
                            return Ok(new JsonObject { ["departments"] = new JsonArray(kids.Skip(offset).Take(limit).Select(d => (JsonNode)Dept(S(d["id"]))).ToArray()), ["total"] = kids.Count });
                        }
                        if (p[3] == "users")
                        {
                            var members = _users.Values.Where(u => id == "$root" ? ((JsonArray)u["departmentIds"]!).Count == 0 : ((JsonArray)u["departmentIds"]!).Any(d => S(d) == id))
                                .OrderBy(u => S(u["id"])).ToList();
                            return Ok(new JsonObject { ["users"] = new JsonArray(members.Skip(offset).Take(limit).Select(u => (JsonNode)View(u)).ToArray()), ["total"] = members.Count });
                        }
                    }
                    break;
                case "domains":
                    if (p.Length == 2 && method == "GET") return Ok(new JsonObject { ["domains"] = new JsonArray(_domains.Values.Select(d => d.DeepClone()).ToArray()) });
                    if (p.Length == 2 && method == "POST")
                    {
                        var name = S(b?["domain"])?.ToLowerInvariant();
                        if (string.IsNullOrEmpty(name) || !name.Contains('.')) return Err(400, "InvalidParameter.Domain", "domain is not valid");
                        if (_domains.ContainsKey(name)) { Interlocked.Increment(ref DuplicateCreates); return Err(409, "DOMAIN_ALREADY_EXISTS", "the domain exists"); }
                        _domains[name] = new JsonObject { ["id"] = "d" + (_next++), ["domain"] = name, ["aliases"] = new JsonArray(), ["isMaster"] = false, ["isVerified"] = false, ["isMxVerified"] = false, ["createdTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ") };
                        return Ok(_domains[name].DeepClone());
                    }
                    if (p.Length >= 3)
                    {
                        var d = _domains.Values.FirstOrDefault(x => S(x["domain"]) == p[2].ToLowerInvariant() || ((JsonArray)x["aliases"]!).Any(a => S(a) == p[2].ToLowerInvariant()));
                        if (d == null) return Err(404, "DOMAIN_NOT_FOUND", "domain not found");
                        if (p.Length == 3 && method == "GET") return Ok(d.DeepClone());
                        if (p.Length == 3 && method == "DELETE")
                        {
                            if (d["isMaster"]!.GetValue<bool>()) return Err(400, "CannotDeleteMasterDomain", "the primary domain cannot be removed");
                            _domains.Remove(S(d["domain"])); return Ok();
                        }
                        if (p.Length == 4 && p[3] == "verify" && method == "POST")
                        {
                            // ownership is "found" unless the name says otherwise (for tests of a pending domain)
                            var owner = !S(d["domain"]).StartsWith("pending");
                            d["isVerified"] = owner; d["isMxVerified"] = owner;
                            return Ok(new JsonObject { ["isOwner"] = owner });
                        }
                        if (p.Length == 4 && p[3] == "aliases" && method == "POST")
                        {
                            var a = S(b?["alias"])?.ToLowerInvariant();
                            if (string.IsNullOrEmpty(a) || !a.Contains('.')) return Err(400, "InvalidParameter.Alias", "alias is not valid");
                            if (_domains.ContainsKey(a) || _domains.Values.Any(x => ((JsonArray)x["aliases"]!).Any(y => S(y) == a))) return Err(409, "DOMAIN_ALREADY_EXISTS", "in use");
                            ((JsonArray)d["aliases"]!).Add(a); return Ok();
                        }
                        if (p.Length == 5 && p[3] == "aliases" && method == "DELETE")
                        {
                            var list = (JsonArray)d["aliases"]!; var item = list.FirstOrDefault(y => S(y) == p[4].ToLowerInvariant());
                            if (item == null) return Err(404, "ALIAS_NOT_FOUND", "no such alias");
                            list.Remove(item); return Ok();
                        }
                    }
                    break;
                case "organization":
                    if (p.Length == 3 && p[2] == "$current" && method == "GET")
                        return Ok(new JsonObject { ["id"] = "org1", ["name"] = "示例科技有限公司", ["domain"] = "example.cn", ["telephone"] = "+86 10 0000 0000", ["address"] = "北京", ["introduction"] = "", ["preferredLanguage"] = "zh_CN", ["createdTime"] = "2024-01-01T00:00:00Z" });
                    break;
            }
            return Err(404, "NotFound", $"no API for {method} /{path}");
        }
    }

    private JsonObject Dept(string id)
    {
        var d = (JsonObject)_departments[id].DeepClone();
        d["hasSubDepartments"] = _departments.Values.Any(x => S(x["parentId"]) == id);
        d["hasUsers"] = _users.Values.Any(u => ((JsonArray)u["departmentIds"]!).Any(x => S(x) == id));
        return d;
    }
}
