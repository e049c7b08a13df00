// Cloud DNS host emulator (PROVIDERS-ADDENDUM section 4), started with --kind:
//   cloudflare  API v4: Bearer token (wrong: HTTP 403, code 10000), GET /zones?name=, GET/POST /zones/{id}/dns_records,
//               PATCH/DELETE /zones/{id}/dns_records/{rid}; envelope {success, errors[{code,message}], messages, result,
//               result_info}; 81058 identical record, 81057 record exists, 81053 CNAME clash, 81044 no such record; TXT
//               content as quoted strings of <= 255 octets (unquoted text is stored as given); 1,200 requests per 300 s
//               per token, over it HTTP 429 with Retry-After and code 971.
//   dnspod      Tencent Cloud API 3.0 (dnspod, 2021-03-23): POST / with X-TC-Action/-Version/-Timestamp and a
//               TC3-HMAC-SHA256 Authorization, verified here from the raw request (wrong signature AuthFailure.SignatureFailure,
//               unknown SecretId AuthFailure.SecretIdNotFound, clock skew over 300 s AuthFailure.SignatureExpire); answers
//               HTTP 200 {Response:{..., RequestId}} or {Response:{Error:{Code, Message}, RequestId}}; DescribeRecordList
//               (Offset/Limit <= 3000) answers ResourceNotFound.NoDataOfRecord for an empty result; CreateRecord, ModifyRecord,
//               DeleteRecord; duplicates InvalidParameter.DomainRecordExist; a zone not in the account
//               InvalidParameter.DomainNotExists [?]; over 'ratelimit' requests per 'window' s LimitExceeded.RequestLimitExceeded.
//   alidns      Alibaba Cloud DNS 2015-01-09 (RPC): POST / with the parameters in the query and an ACS3-HMAC-SHA256
//               Authorization over host and the x-acs-* headers, verified here from the raw request (SignatureDoesNotMatch,
//               InvalidAccessKeyId.NotFound, SignatureNonceUsed for a repeated nonce); DescribeDomainRecords (PageSize <= 500),
//               AddDomainRecord, UpdateDomainRecord, DeleteDomainRecord; errors {RequestId, HostId, Code, Message, Recommend}
//               with HTTP 400/404: DomainRecordDuplicate, DomainRecordConflict (CNAME), InvalidDomainName.NoExist, TXT with '"'
//               or 512+ characters refused; over 'ratelimit' per 'window' s: HTTP 400 Throttling.User [?].
// Where the notes mark a detail [?] (SRV as 'data', the exact 429 body), the emulator picks the plausible shape and the
// client does not depend on it beyond the HTTP status and the codes above.
// Faults (faultrate, faults=429,503,500,dropAfter): 500 and dropAfter apply the change, then fail the answer;
// faultwritesonly=true (Cloudflare) spares the GETs.
// Control: GET /_emulator/state, POST /_emulator/config, POST /_emulator/reset, POST /_emulator/zone {name}.
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

var cfg = new Config();
for (var i = 0; i + 1 < args.Length; i += 2) cfg.Set(args[i].TrimStart('-'), args[i + 1]);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, cfg.Port));
var app = builder.Build();
var st = new State(cfg);
app.Use(async (ctx, next) =>
{
    try { await next(ctx); }
    catch (Exception e) { Console.Error.WriteLine(e); throw; }
});

app.Map("/_emulator/{action}", async (HttpContext ctx, string action) =>
{
    if (action == "reset") { st.Reset(); return Results.Json(new { ok = true }); }
    if (action == "config" && ctx.Request.Method == "POST")
    {
        var body = await JsonNode.ParseAsync(ctx.Request.Body) as JsonObject;
        foreach (var kv in body ?? new JsonObject()) cfg.Set(kv.Key, kv.Value?.ToString() ?? "");
        return Results.Json(new { ok = true });
    }
    if (action == "zone" && ctx.Request.Method == "POST")
    {
        var body = await JsonNode.ParseAsync(ctx.Request.Body) as JsonObject;
        return Results.Text(st.AddZone(body?["name"]?.ToString()).ToJsonString(), "application/json");
    }
    return Results.Text(st.Snapshot().ToJsonString(), "application/json");
});

app.MapPost("/", async (HttpContext ctx) =>
{
    if (cfg.Kind == "alidns") return await AliDnsEndpoint.Handle(ctx, cfg, st);
    if (cfg.Kind != "dnspod") return Results.NotFound();
    Interlocked.Increment(ref st.Requests);
    var arrived = DateTime.UtcNow;
    if (cfg.LatencyMs > 0) await Task.Delay(cfg.LatencyMs);
    using var ms = new MemoryStream();
    await ctx.Request.Body.CopyToAsync(ms);
    var payload = ms.ToArray();
    var action = ctx.Request.Headers["X-TC-Action"].ToString();
    var authError = Tc3.Verify(cfg, ctx.Request, payload);
    if (authError != null) { Interlocked.Increment(ref st.AuthFailures); return Tc(authError.Value.code, authError.Value.message); }
    if (st.Throttled(arrived)) { Interlocked.Increment(ref st.RateLimited); return Tc("LimitExceeded.RequestLimitExceeded", "request limit exceeded"); }
    var fault = st.PickFault();
    if (fault != null) Interlocked.Increment(ref st.Faults);
    if (fault == "429") { Interlocked.Increment(ref st.RateLimited); return Tc("LimitExceeded.RequestLimitExceeded", "request limit exceeded"); }
    if (fault == "503") return Results.StatusCode(503);
    JsonObject body;
    try { body = JsonNode.Parse(payload) as JsonObject ?? new JsonObject(); }
    catch (JsonException) { return Tc("InvalidParameter", "the body is not JSON"); }
    var result = st.DnsPod(action, body);
    if (fault == "500") return Results.StatusCode(500);
    if (fault == "dropAfter") { ctx.Abort(); return Results.Empty; }
    result["RequestId"] = Guid.NewGuid().ToString();
    return Results.Text(new JsonObject { ["Response"] = result }.ToJsonString(), "application/json");
});

app.Map("/{**path}", async (HttpContext ctx, string path) =>
{
    Interlocked.Increment(ref st.Requests);
    var arrived = DateTime.UtcNow;
    if (cfg.LatencyMs > 0) await Task.Delay(cfg.LatencyMs);
    var auth = ctx.Request.Headers.Authorization.ToString();
    if (auth != "Bearer " + cfg.Token) return Cf(ctx, 403, Fail(10000, "Authentication error"));
    if (st.Throttled(arrived)) { Interlocked.Increment(ref st.RateLimited); ctx.Response.Headers.RetryAfter = "1"; return Cf(ctx, 429, Fail(971, "Please wait and consider throttling your request speed")); }
    var fault = cfg.FaultWritesOnly && HttpMethods.IsGet(ctx.Request.Method) ? null : st.PickFault();
    if (fault != null) Interlocked.Increment(ref st.Faults);
    if (fault == "429") { Interlocked.Increment(ref st.RateLimited); ctx.Response.Headers.RetryAfter = "1"; return Cf(ctx, 429, Fail(971, "Please wait and consider throttling your request speed")); }
    if (fault == "503") return Results.StatusCode(503);
    JsonObject body = null;
    if (ctx.Request.ContentLength > 0)
    {
        try { body = await JsonNode.ParseAsync(ctx.Request.Body) as JsonObject; }
        catch (JsonException) { return Cf(ctx, 400, Fail(9207, "Request body is invalid.")); }
    }
    var result = st.Cloudflare(path, ctx.Request.Method, ctx.Request.Query, body);
    if (fault == "500") return Results.StatusCode(500);
    if (fault == "dropAfter") { ctx.Abort(); return Results.Empty; }
    return Cf(ctx, result.status, result.body);
});

await app.StartAsync();
Console.WriteLine($"LISTENING {app.Urls.First()}");
Console.Out.Flush();
await app.WaitForShutdownAsync();

static IResult Tc(string code, string message) => Results.Text(new JsonObject { ["Response"] = new JsonObject { ["Error"] = new JsonObject { ["Code"] = code, ["Message"] = message }, ["RequestId"] = Guid.NewGuid().ToString() } }.ToJsonString(), "application/json");
static IResult Cf(HttpContext ctx, int status, JsonNode body) => Results.Text(body.ToJsonString(), "application/json", statusCode: status);
static JsonObject Fail(int code, string message) => new() { ["success"] = false, ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }), ["messages"] = new JsonArray(), ["result"] = null };

sealed class Config
{
    public int Port, LatencyMs, Seed = 1;
    public string Kind = "cloudflare", Token = "cf-test-token", SecretId = "AKIDtestsecretid", SecretKey = "tc-test-secret-key";
    public string AccessKeyId = "LTAItestaccesskey", AccessKeySecret = "ali-test-secret";
    public int RateLimit = 1200; public double WindowSec = 300; public double FaultRate; public bool FaultWritesOnly;
    public string[] Faults = { "429", "503", "500", "dropAfter" };
    public void Set(string key, string value)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        switch (key.ToLowerInvariant())
        {
            case "port": Port = int.Parse(value); break;
            case "kind": Kind = value.ToLowerInvariant(); break;
            case "token": Token = value; break;
            case "secretid": SecretId = value; break;
            case "secretkey": SecretKey = value; break;
            case "accesskeyid": AccessKeyId = value; break;
            case "accesskeysecret": AccessKeySecret = value; break;
            case "latency": LatencyMs = int.Parse(value); break;
            case "seed": Seed = int.Parse(value); break;
            case "ratelimit": RateLimit = int.Parse(value); break;
            case "window": WindowSec = double.Parse(value, inv); break;
            case "faultrate": FaultRate = double.Parse(value, inv); break;
            case "faultwritesonly": FaultWritesOnly = bool.Parse(value); break;
            case "faults": Faults = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
            default: throw new ArgumentException("unknown setting " + key);
        }
    }
}

sealed class State
{
    private readonly Config _cfg; private readonly object _lock = new(); private Random _random;
    public long Requests, Faults, RateLimited, Creates, Updates, Deletes, AuthFailures;
    private readonly Queue<DateTime> _window = new();
    private Dictionary<string, string> _zones;                   // name -> id
    private Dictionary<string, List<JsonObject>> _records;       // zone id -> records
    private long _next;
    private static readonly Regex HostName = new(@"^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9\-_]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9\-_]{0,61}[A-Za-z0-9_])?)*\.?$");
    private static readonly string[] Types = { "A", "AAAA", "CNAME", "MX", "TXT", "SRV", "NS", "CAA" };

    public State(Config cfg) { _cfg = cfg; Reset(); }

    public void Reset()
    {
        lock (_lock)
        {
            _random = new Random(_cfg.Seed); _zones = new(StringComparer.OrdinalIgnoreCase); _records = new(); _window.Clear();
            Requests = Faults = RateLimited = Creates = Updates = Deletes = AuthFailures = 0;
        }
    }

    public JsonObject AddZone(string name)
    {
        lock (_lock)
        {
            name = name.TrimEnd('.').ToLowerInvariant();
            if (!_zones.TryGetValue(name, out var id)) { id = NewId(); _zones[name] = id; _records[id] = new(); }
            return new JsonObject { ["id"] = id, ["name"] = name };
        }
    }

    public JsonObject Snapshot()
    {
        lock (_lock)
        {
            var zones = new JsonObject();
            foreach (var (name, id) in _zones) zones[name] = new JsonArray(_records[id].Select(r => (JsonNode)r.DeepClone()).ToArray());
            return new JsonObject
            {
                ["requests"] = Requests, ["faults"] = Faults, ["rateLimited"] = RateLimited, ["creates"] = Creates, ["updates"] = Updates,
                ["deletes"] = Deletes, ["authFailures"] = AuthFailures, ["zones"] = zones,
            };
        }
    }

    public bool Throttled(DateTime arrived)
    {
        lock (_lock)
        {
            while (_window.Count > 0 && (arrived - _window.Peek()).TotalSeconds >= _cfg.WindowSec) _window.Dequeue();
            if (_window.Count >= _cfg.RateLimit) return true;
            _window.Enqueue(arrived);
            return false;
        }
    }

    public string PickFault()
    {
        if (_cfg.FaultRate <= 0 || _cfg.Faults.Length == 0) return null;
        lock (_lock) return _random.NextDouble() < _cfg.FaultRate ? _cfg.Faults[_random.Next(_cfg.Faults.Length)] : null;
    }

    private string NewId() => (Interlocked.Increment(ref _next)).ToString("x32");

    private static JsonObject Ok(JsonNode result, JsonObject info = null)
    {
        var o = new JsonObject { ["success"] = true, ["errors"] = new JsonArray(), ["messages"] = new JsonArray(), ["result"] = result };
        if (info != null) o["result_info"] = info;
        return o;
    }
    private static JsonObject Fail(int code, string message) => new() { ["success"] = false, ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }), ["messages"] = new JsonArray(), ["result"] = null };

    public (int status, JsonObject body) Cloudflare(string path, string method, IQueryCollection q, JsonObject body)
    {
        var parts = path.Trim('/').Split('/');
        lock (_lock)
        {
            if (parts.Length == 1 && parts[0] == "zones" && method == "GET")
            {
                var name = q["name"].ToString();
                var list = _zones.Where(z => name.Length == 0 || string.Equals(z.Key, name, StringComparison.OrdinalIgnoreCase))
                    .Select(z => (JsonNode)new JsonObject { ["id"] = z.Value, ["name"] = z.Key, ["status"] = "active" }).ToArray();
                return (200, Ok(new JsonArray(list), new JsonObject { ["page"] = 1, ["per_page"] = 20, ["count"] = list.Length, ["total_count"] = list.Length, ["total_pages"] = 1 }));
            }
            if (parts.Length < 3 || parts[0] != "zones" || parts[2] != "dns_records") return (404, Fail(7003, "Could not route to " + path + ", perhaps your object identifier is invalid?"));
            var zoneId = parts[1];
            if (!_records.TryGetValue(zoneId, out var records)) return (404, Fail(7003, "Could not route to " + path + ", perhaps your object identifier is invalid?"));
            var zoneName = _zones.First(z => z.Value == zoneId).Key;
            if (parts.Length == 3 && method == "GET")
            {
                var page = int.TryParse(q["page"], out var p) && p > 0 ? p : 1;
                var per = int.TryParse(q["per_page"], out var pp) && pp > 0 ? Math.Min(pp, 5000) : 100;
                var filtered = records.Where(r => (q["type"].Count == 0 || r["type"]!.ToString() == q["type"].ToString()) && (q["name"].Count == 0 || r["name"]!.ToString() == q["name"].ToString().ToLowerInvariant())).ToList();
                var slice = filtered.Skip((page - 1) * per).Take(per).Select(r => (JsonNode)r.DeepClone()).ToArray();
                return (200, Ok(new JsonArray(slice), new JsonObject { ["page"] = page, ["per_page"] = per, ["count"] = slice.Length, ["total_count"] = filtered.Count, ["total_pages"] = Math.Max(1, (filtered.Count + per - 1) / per) }));
            }
            if (parts.Length == 3 && method == "POST")
            {
                var (ok, rec, err) = Validate(zoneName, zoneId, body, null);
                if (!ok) return (400, err);
                var conflict = Conflict(records, rec, null);
                if (conflict != null) return (400, conflict);
                rec["id"] = NewId(); var now = DateTime.UtcNow.ToString("o"); rec["created_on"] = now; rec["modified_on"] = now;
                records.Add(rec); Creates++;
                return (200, Ok(rec.DeepClone()));
            }
            if (parts.Length == 4)
            {
                var existing = records.FirstOrDefault(r => r["id"]!.ToString() == parts[3]);
                if (existing == null) return (404, Fail(81044, "Record does not exist."));
                if (method == "GET") return (200, Ok(existing.DeepClone()));
                if (method == "DELETE") { records.Remove(existing); Deletes++; return (200, Ok(new JsonObject { ["id"] = parts[3] })); }
                if (method == "PATCH" || method == "PUT")
                {
                    var merged = method == "PATCH" ? (JsonObject)existing.DeepClone() : new JsonObject();
                    foreach (var kv in body ?? new JsonObject()) merged[kv.Key] = kv.Value?.DeepClone();
                    var (ok, rec, err) = Validate(zoneName, zoneId, merged, existing);
                    if (!ok) return (400, err);
                    var conflict = Conflict(records, rec, existing);
                    if (conflict != null) return (400, conflict);
                    rec["id"] = existing["id"]!.DeepClone(); rec["created_on"] = existing["created_on"]?.DeepClone(); rec["modified_on"] = DateTime.UtcNow.ToString("o");
                    records[records.IndexOf(existing)] = rec; Updates++;
                    return (200, Ok(rec.DeepClone()));
                }
            }
            return (405, Fail(10405, "Method not allowed"));
        }
    }



    private readonly HashSet<string> _nonces = new();
    public bool NonceSeen(string nonce) { lock (_lock) return !_nonces.Add(nonce); }

    private static JsonObject AliErr(string code, string message) => new() { ["RequestId"] = Guid.NewGuid().ToString(), ["HostId"] = "alidns.aliyuncs.com", ["Code"] = code, ["Message"] = message, ["Recommend"] = "https://api.aliyun.com/troubleshoot?q=" + code };

    /// <summary>Alibaba Cloud DNS record calls over the same zones; records in alidns' shape (RR relative, "@" the apex).</summary>
    public (int status, JsonObject body) AliDns(string action, IQueryCollection q)
    {
        lock (_lock)
        {
            string P(string k) => q.TryGetValue(k, out var v) ? v.ToString() : null;
            if (action == "UpdateDomainRecord" || action == "DeleteDomainRecord")
            {
                var rid = P("RecordId");
                foreach (var (zone, zid) in _zones)
                {
                    var recs = _records[zid];
                    var existing = recs.FirstOrDefault(r => r["RecordId"]!.ToString() == rid);
                    if (existing == null) continue;
                    if (action == "DeleteDomainRecord")
                    {
                        recs.Remove(existing);
                        Deletes++;
                        return (200, new JsonObject { ["RequestId"] = Guid.NewGuid().ToString(), ["RecordId"] = rid });
                    }
                    return AliWrite(zone, recs, q, existing);
                }
                return (400, AliErr("DomainRecordNotBelongToUser", "The DNS record does not exist or does not belong to you."));
            }
            var domain = P("DomainName")?.TrimEnd('.').ToLowerInvariant();
            if (string.IsNullOrEmpty(domain)) return (400, AliErr("MissingDomainName", "DomainName is mandatory for this action."));
            if (!_zones.TryGetValue(domain, out var zoneId)) return (400, AliErr("InvalidDomainName.NoExist", "The specified domain name does not exist. Refresh the page and try again."));
            var records = _records[zoneId];
            switch (action)
            {
                case "DescribeDomainRecords":
                    {
                        var page = int.TryParse(P("PageNumber"), out var pn) && pn > 0 ? pn : 1;
                        var size = int.TryParse(P("PageSize"), out var ps) && ps > 0 ? ps : 20;
                        if (size > 500) return (400, AliErr("InvalidPageSize", "PageSize must be at most 500."));
                        var slice = records.Skip((page - 1) * size).Take(size).Select(r => (JsonNode)r.DeepClone()).ToArray();
                        return (200, new JsonObject { ["RequestId"] = Guid.NewGuid().ToString(), ["TotalCount"] = records.Count, ["PageNumber"] = page, ["PageSize"] = size, ["DomainRecords"] = new JsonObject { ["Record"] = new JsonArray(slice) } });
                    }
                case "AddDomainRecord": return AliWrite(domain, records, q, null);
                default: return (400, AliErr("InvalidAction.NotFound", $"Specified api {action} is not found, please check your url and method."));
            }
        }
    }

    private (int, JsonObject) AliWrite(string domain, List<JsonObject> records, IQueryCollection q, JsonObject existing)
    {
        string P(string k) => q.TryGetValue(k, out var v) ? v.ToString() : null;
        var rr = P("RR"); var type = P("Type")?.ToUpperInvariant(); var value = P("Value");
        if (string.IsNullOrEmpty(rr)) return (400, AliErr("MissingRR", "RR is mandatory for this action."));
        if (type == null || !Types.Contains(type)) return (400, AliErr("InvalidType", "The specified type is invalid."));
        if (string.IsNullOrEmpty(value)) return (400, AliErr("MissingValue", "Value is mandatory for this action."));
        if (type == "TXT" && (value.Contains('"') || value.Length >= 512)) return (400, AliErr("InvalidValue.TXT", "The TXT value is invalid: under 512 characters, without double quotes."));
        if (type == "MX" && (!HostName.IsMatch(value) || System.Net.IPAddress.TryParse(value, out _))) return (400, AliErr("InvalidValue.MX", "An MX value must be a host name."));
        int? prio = null;
        if (type == "MX")
        {
            if (!int.TryParse(P("Priority"), out var p) || p < 1 || p > 50) return (400, AliErr("InvalidPriority", "Priority must be 1-50."));
            prio = p;
        }
        var ttl = int.TryParse(P("TTL"), out var t) ? t : 600;
        if (ttl < 600 || ttl > 86400) return (400, AliErr("InvalidTTL", "The TTL must be 600-86400 for this edition."));
        var at = records.Where(r => r != existing && r["RR"]!.ToString() == rr).ToList();
        if (type == "CNAME" ? at.Count > 0 : at.Any(r => r["Type"]!.ToString() == "CNAME")) return (400, AliErr("DomainRecordConflict", "The DNS record conflicts with other records."));
        if (at.Any(r => r["Type"]!.ToString() == type && r["Value"]!.ToString() == value)) return (400, AliErr("DomainRecordDuplicate", "The DNS record already exists."));
        var rec = new JsonObject
        {
            ["DomainName"] = domain, ["RecordId"] = existing?["RecordId"]?.ToString() ?? (100000000 + Interlocked.Increment(ref _next)).ToString(),
            ["RR"] = rr, ["Type"] = type, ["Value"] = value, ["TTL"] = ttl, ["Line"] = "default", ["Status"] = "ENABLE", ["Locked"] = false, ["Weight"] = 1,
        };
        if (prio != null) rec["Priority"] = prio;
        if (existing != null) { records[records.IndexOf(existing)] = rec; Updates++; }
        else { records.Add(rec); Creates++; }
        return (200, new JsonObject { ["RequestId"] = Guid.NewGuid().ToString(), ["RecordId"] = rec["RecordId"]!.ToString() });
    }

    private static JsonObject TcErr(string code, string message) => new() { ["Error"] = new JsonObject { ["Code"] = code, ["Message"] = message } };

    /// <summary>DNSPod's record calls over the same zones; records are kept in DNSPod's own shape (Name relative, "@" the apex).</summary>
    public JsonObject DnsPod(string action, JsonObject b)
    {
        lock (_lock)
        {
            var domain = b["Domain"]?.ToString()?.TrimEnd('.').ToLowerInvariant();
            if (string.IsNullOrEmpty(domain)) return TcErr("MissingParameter", "Domain is required.");
            if (!_zones.TryGetValue(domain, out var zoneId)) return TcErr("InvalidParameter.DomainNotExists", "The domain does not exist in this account.");
            var records = _records[zoneId];
            switch (action)
            {
                case "DescribeRecordList":
                    {
                        var offset = (int?)b["Offset"]?.GetValue<double>() ?? 0;
                        var limit = (int?)b["Limit"]?.GetValue<double>() ?? 100;
                        if (limit < 1 || limit > 3000) return TcErr("InvalidParameter.LimitInvalid", "Limit must be 1-3000.");
                        var sub = b["Subdomain"]?.ToString(); var type = b["RecordType"]?.ToString();
                        var list = records.Where(r => (sub == null || r["Name"]!.ToString() == sub) && (type == null || r["Type"]!.ToString() == type)).ToList();
                        if (list.Count == 0) return TcErr("ResourceNotFound.NoDataOfRecord", "记录列表为空。");
                        var page = list.Skip(offset).Take(limit).Select(r => (JsonNode)r.DeepClone()).ToArray();
                        return new JsonObject { ["RecordCountInfo"] = new JsonObject { ["SubdomainCount"] = list.Count, ["ListCount"] = page.Length, ["TotalCount"] = list.Count }, ["RecordList"] = new JsonArray(page) };
                    }
                case "CreateRecord":
                case "ModifyRecord":
                    {
                        JsonObject existing = null;
                        if (action == "ModifyRecord")
                        {
                            var rid = b["RecordId"]?.ToString();
                            existing = records.FirstOrDefault(r => r["RecordId"]!.ToString() == rid);
                            if (existing == null) return TcErr("InvalidParameter.RecordIdInvalid", "记录编号错误。");
                        }
                        var sub = b["SubDomain"]?.ToString() ?? "@";
                        var type = b["RecordType"]?.ToString();
                        var value = b["Value"]?.ToString();
                        var line = b["RecordLine"]?.ToString();
                        if (string.IsNullOrEmpty(type) || !Types.Contains(type)) return TcErr("InvalidParameter.RecordTypeInvalid", "记录类型错误。");
                        if (line != "默认" && line != "Default") return TcErr("InvalidParameter.RecordLineInvalid", "记录线路错误。");
                        if (string.IsNullOrEmpty(value)) return TcErr("MissingParameter", "Value is required.");
                        int? mx = null;
                        if (type == "MX")
                        {
                            mx = (int?)b["MX"]?.GetValue<double>();
                            if (mx == null || mx < 1 || mx > 20) return TcErr("InvalidParameter.MXInvalid", "MX优先级错误。");
                            if (!HostName.IsMatch(value) || System.Net.IPAddress.TryParse(value.TrimEnd('.'), out _)) return TcErr("InvalidParameter.RecordValueInvalid", "记录值错误。");
                        }
                        if (type == "CNAME" && !HostName.IsMatch(value)) return TcErr("InvalidParameter.RecordValueInvalid", "记录值错误。");
                        var ttl = (int?)b["TTL"]?.GetValue<double>() ?? 600;
                        if (ttl < 600 || ttl > 604800) return TcErr("InvalidParameter.InvalidTTL", "TTL must be 600-604800 on the free plan.");
                        var at = records.Where(r => r != existing && r["Name"]!.ToString() == sub).ToList();
                        if (type == "CNAME" ? at.Count > 0 : at.Any(r => r["Type"]!.ToString() == "CNAME")) return TcErr("InvalidParameter.DomainRecordExist", "记录已经存在，无需再次添加。(CNAME)");
                        if (at.Any(r => r["Type"]!.ToString() == type && r["Value"]!.ToString() == value)) return TcErr("InvalidParameter.DomainRecordExist", "记录已经存在，无需再次添加。");
                        var rec = new JsonObject
                        {
                            ["RecordId"] = existing?["RecordId"]?.GetValue<long>() ?? Interlocked.Increment(ref _next), ["Name"] = sub, ["Type"] = type, ["Value"] = value,
                            ["Line"] = "默认", ["LineId"] = "0", ["TTL"] = ttl, ["MX"] = mx ?? 0, ["Status"] = "ENABLE", ["Weight"] = null,
                            ["UpdatedOn"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss"),
                        };
                        if (existing != null) { records[records.IndexOf(existing)] = rec; Updates++; }
                        else { records.Add(rec); Creates++; }
                        return new JsonObject { ["RecordId"] = rec["RecordId"]!.GetValue<long>() };
                    }
                case "DeleteRecord":
                    {
                        var rid = b["RecordId"]?.ToString();
                        var existing = records.FirstOrDefault(r => r["RecordId"]!.ToString() == rid);
                        if (existing == null) return TcErr("InvalidParameter.RecordIdInvalid", "记录编号错误。");
                        records.Remove(existing);
                        Deletes++;
                        return new JsonObject();
                    }
                default: return TcErr("InvalidAction", $"The action {action} is not supported here.");
            }
        }
    }

    private static (bool ok, JsonObject rec, JsonObject err) Validate(string zone, string zoneId, JsonObject body, JsonObject existing)
    {
        var type = body?["type"]?.ToString()?.ToUpperInvariant();
        var name = body?["name"]?.ToString()?.TrimEnd('.').ToLowerInvariant();
        if (type == null || !Types.Contains(type)) return (false, null, Fail(1004, $"DNS Validation Error: type '{type}' is not supported."));
        if (string.IsNullOrEmpty(name) || name == "@") name = zone;
        if (name != zone && !name.EndsWith("." + zone)) return (false, null, Fail(1004, $"DNS Validation Error: {name} is not in the zone {zone}."));
        var ttl = (int?)body["ttl"]?.GetValue<double>() ?? 1;
        if (ttl != 1 && (ttl < 60 || ttl > 86400)) return (false, null, Fail(1004, "DNS Validation Error: TTL must be between 60 and 86400 seconds, or 1 for Automatic."));
        var rec = new JsonObject { ["zone_id"] = zoneId, ["zone_name"] = zone, ["name"] = name, ["type"] = type, ["ttl"] = ttl, ["proxied"] = false, ["proxiable"] = false };
        string content = body["content"]?.ToString();
        switch (type)
        {
            case "MX":
                if (content == null || !HostName.IsMatch(content) || System.Net.IPAddress.TryParse(content, out _)) return (false, null, Fail(1004, $"DNS Validation Error: MX content '{content}' must be a host name."));
                var prio = body["priority"]?.GetValue<double>();
                if (prio == null || prio < 0 || prio > 65535) return (false, null, Fail(1004, "DNS Validation Error: MX records need a priority between 0 and 65535."));
                rec["priority"] = (int)prio; rec["content"] = content.TrimEnd('.'); break;
            case "CNAME":
                if (content == null || !HostName.IsMatch(content)) return (false, null, Fail(1004, $"DNS Validation Error: CNAME content '{content}' must be a host name."));
                rec["content"] = content.TrimEnd('.'); break;
            case "TXT":
                if (content == null) return (false, null, Fail(1004, "DNS Validation Error: TXT content is required."));
                if (content.StartsWith('"'))
                {
                    foreach (Match m in Regex.Matches(content, "\"((?:[^\"\\\\]|\\\\.)*)\""))
                        if (Encoding.UTF8.GetByteCount(Regex.Unescape(m.Groups[1].Value)) > 255) return (false, null, Fail(9100, "DNS Validation Error: a TXT character-string is longer than 255 octets."));
                }
                rec["content"] = content; break;
            case "SRV":
                var data = body["data"] as JsonObject;
                if (data == null) return (false, null, Fail(1004, "DNS Validation Error: SRV records need data {priority, weight, port, target}."));
                rec["priority"] = (int)data["priority"]!.GetValue<double>();
                rec["content"] = $"{(int)data["weight"]!.GetValue<double>()} {(int)data["port"]!.GetValue<double>()} {data["target"]!.ToString().TrimEnd('.')}";
                rec["data"] = data.DeepClone(); break;
            default:
                if (string.IsNullOrEmpty(content)) return (false, null, Fail(1004, "DNS Validation Error: content is required."));
                rec["content"] = content; break;
        }
        return (true, rec, null);
    }

    private static JsonObject Conflict(List<JsonObject> records, JsonObject rec, JsonObject self)
    {
        var name = rec["name"]!.ToString(); var type = rec["type"]!.ToString();
        var at = records.Where(r => r != self && r["name"]!.ToString() == name).ToList();
        if (type == "CNAME" ? at.Count > 0 : at.Any(r => r["type"]!.ToString() == "CNAME"))
            return Fail(81053, "An A, AAAA, or CNAME record with that host already exists.");
        if (at.Any(r => r["type"]!.ToString() == type && r["content"]!.ToString() == rec["content"]!.ToString() && r["priority"]?.ToString() == rec["priority"]?.ToString()))
            return Fail(81058, "An identical record already exists.");
        return null;
    }
}

/// <summary>TC3-HMAC-SHA256 checked from the raw request: the emulator's own reading of the published algorithm.</summary>
static class Tc3
{
    public static (string code, string message)? Verify(Config cfg, HttpRequest req, byte[] payload)
    {
        var auth = req.Headers.Authorization.ToString();
        var m = Regex.Match(auth, @"^TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/([a-z]+)/tc3_request, SignedHeaders=([a-z;\-]+), Signature=([0-9a-f]{64})$");
        if (!m.Success) return ("AuthFailure.InvalidAuthorization", "Authorization header is malformed.");
        if (m.Groups[1].Value != cfg.SecretId) return ("AuthFailure.SecretIdNotFound", "The SecretId is not found.");
        if (!long.TryParse(req.Headers["X-TC-Timestamp"], out var ts)) return ("MissingParameter", "X-TC-Timestamp is required.");
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - ts) > 300) return ("AuthFailure.SignatureExpire", "The signature expired (clock skew over 5 minutes).");
        var date = DateTimeOffset.FromUnixTimeSeconds(ts).UtcDateTime.ToString("yyyy-MM-dd");
        if (m.Groups[2].Value != date || m.Groups[3].Value != "dnspod") return ("AuthFailure.SignatureFailure", "The credential scope does not match.");
        var signed = m.Groups[4].Value.Split(';');
        var canonicalHeaders = new StringBuilder();
        foreach (var h in signed) canonicalHeaders.Append(h).Append(':').Append(req.Headers[h].ToString().Trim().ToLowerInvariant()).Append('\n');
        var canonical = string.Join("\n", req.Method, "/", req.QueryString.HasValue ? req.QueryString.Value.TrimStart('?') : "", canonicalHeaders.ToString(), m.Groups[4].Value,
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload)));
        var sts = "TC3-HMAC-SHA256\n" + ts + "\n" + date + "/dnspod/tc3_request\n" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        byte[] H(byte[] key, string s) => System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(s));
        var k = H(H(H(Encoding.UTF8.GetBytes("TC3" + cfg.SecretKey), date), "dnspod"), "tc3_request");
        var expected = Convert.ToHexStringLower(H(k, sts));
        return expected == m.Groups[5].Value ? null : ("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.");
    }
}

/// <summary>The alidns endpoint: ACS3-HMAC-SHA256 checked from the raw request, then the call.</summary>
static class AliDnsEndpoint
{
    static string Enc(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') sb.Append(c); else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }

    static IResult Err(int status, string code, string message) => Results.Text(new JsonObject { ["RequestId"] = Guid.NewGuid().ToString(), ["HostId"] = "alidns.aliyuncs.com", ["Code"] = code, ["Message"] = message }.ToJsonString(), "application/json", statusCode: status);

    public static async Task<IResult> Handle(HttpContext ctx, Config cfg, State st)
    {
        Interlocked.Increment(ref st.Requests);
        var arrived = DateTime.UtcNow;
        if (cfg.LatencyMs > 0) await Task.Delay(cfg.LatencyMs);
        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms);
        var req = ctx.Request;
        var m = Regex.Match(req.Headers.Authorization.ToString(), @"^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([a-z0-9;\-]+),Signature=([0-9a-f]{64})$");
        if (!m.Success) { Interlocked.Increment(ref st.AuthFailures); return Err(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards."); }
        if (m.Groups[1].Value != cfg.AccessKeyId) { Interlocked.Increment(ref st.AuthFailures); return Err(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."); }
        var signed = m.Groups[2].Value.Split(';');
        if (!signed.Contains("host") || !signed.Contains("x-acs-action") || !signed.Contains("x-acs-date") || !signed.Contains("x-acs-signature-nonce") || !signed.Contains("x-acs-content-sha256"))
        { Interlocked.Increment(ref st.AuthFailures); return Err(400, "IncompleteSignature", "host and the x-acs-* headers must be signed."); }
        var payloadHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ms.ToArray()));
        if (req.Headers["x-acs-content-sha256"].ToString() != payloadHash) { Interlocked.Increment(ref st.AuthFailures); return Err(400, "SignatureDoesNotMatch", "x-acs-content-sha256 does not match the body."); }
        var query = string.Join("&", req.Query.SelectMany(kv => kv.Value.Select(v => (k: Enc(kv.Key), v: Enc(v ?? "")))).OrderBy(x => x.k, StringComparer.Ordinal).Select(x => x.k + "=" + x.v));
        var headers = string.Concat(signed.OrderBy(h => h, StringComparer.Ordinal).Select(h => h + ":" + req.Headers[h].ToString().Trim() + "\n"));
        var canonical = req.Method + "\n/\n" + query + "\n" + headers + "\n" + string.Join(";", signed) + "\n" + payloadHash;
        var sts = "ACS3-HMAC-SHA256\n" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(cfg.AccessKeySecret), Encoding.UTF8.GetBytes(sts)));
        if (expected != m.Groups[3].Value) { Interlocked.Increment(ref st.AuthFailures); return Err(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."); }
        if (st.NonceSeen(req.Headers["x-acs-signature-nonce"].ToString())) { Interlocked.Increment(ref st.AuthFailures); return Err(400, "SignatureNonceUsed", "Specified signature nonce was used already."); }
        if (req.Headers["x-acs-version"].ToString() != "2015-01-09") return Err(400, "InvalidVersion", "Specified parameter Version is not valid.");
        if (st.Throttled(arrived)) { Interlocked.Increment(ref st.RateLimited); return Err(400, "Throttling.User", "Request was denied due to user flow control."); }
        var fault = st.PickFault();
        if (fault != null) Interlocked.Increment(ref st.Faults);
        if (fault == "429") { Interlocked.Increment(ref st.RateLimited); return Err(400, "Throttling.User", "Request was denied due to user flow control."); }
        if (fault == "503") return Results.StatusCode(503);
        var (status, body) = st.AliDns(req.Headers["x-acs-action"].ToString(), req.Query);
        if (fault == "500") return Results.StatusCode(500);
        if (fault == "dropAfter") { ctx.Abort(); return Results.Empty; }
        return Results.Text(body.ToJsonString(), "application/json", statusCode: status);
    }
}
