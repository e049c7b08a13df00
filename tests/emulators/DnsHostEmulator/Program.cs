// Cloud DNS host emulator (PROVIDERS-ADDENDUM section 4), started with --kind:
//   cloudflare  API v4: Bearer token (wrong: HTTP 403, code 10000), GET /zones?name=, GET/POST /zones/{id}/dns_records,
//               PATCH/DELETE /zones/{id}/dns_records/{rid}; envelope {success, errors[{code,message}], messages, result,
//               result_info}; 81058 identical record, 81057 record exists, 81053 CNAME clash, 81044 no such record; TXT
//               content as quoted strings of <= 255 octets (unquoted text is stored as given); 1,200 requests per 300 s
//               per token, over it HTTP 429 with Retry-After and code 971.
// Where the notes mark a detail [?] (SRV as 'data', the exact 429 body), the emulator picks the plausible shape and the
// client does not depend on it beyond the HTTP status and the codes above.
// Faults (faultrate, faults=429,503,500,dropAfter): 500 and dropAfter apply the change, then fail the answer.
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

app.Map("/{**path}", async (HttpContext ctx, string path) =>
{
    Interlocked.Increment(ref st.Requests);
    var arrived = DateTime.UtcNow;
    if (cfg.LatencyMs > 0) await Task.Delay(cfg.LatencyMs);
    var auth = ctx.Request.Headers.Authorization.ToString();
    if (auth != "Bearer " + cfg.Token) return Cf(ctx, 403, Fail(10000, "Authentication error"));
    if (st.Throttled(arrived)) { Interlocked.Increment(ref st.RateLimited); ctx.Response.Headers.RetryAfter = "1"; return Cf(ctx, 429, Fail(971, "Please wait and consider throttling your request speed")); }
    var fault = st.PickFault();
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

static IResult Cf(HttpContext ctx, int status, JsonNode body) => Results.Text(body.ToJsonString(), "application/json", statusCode: status);
static JsonObject Fail(int code, string message) => new() { ["success"] = false, ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }), ["messages"] = new JsonArray(), ["result"] = null };

sealed class Config
{
    public int Port, LatencyMs, Seed = 1;
    public string Kind = "cloudflare", Token = "cf-test-token";
    public int RateLimit = 1200; public double WindowSec = 300; public double FaultRate;
    public string[] Faults = { "429", "503", "500", "dropAfter" };
    public void Set(string key, string value)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        switch (key.ToLowerInvariant())
        {
            case "port": Port = int.Parse(value); break;
            case "kind": Kind = value.ToLowerInvariant(); break;
            case "token": Token = value; break;
            case "latency": LatencyMs = int.Parse(value); break;
            case "seed": Seed = int.Parse(value); break;
            case "ratelimit": RateLimit = int.Parse(value); break;
            case "window": WindowSec = double.Parse(value, inv); break;
            case "faultrate": FaultRate = double.Parse(value, inv); break;
            case "faults": Faults = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
            default: throw new ArgumentException("unknown setting " + key);
        }
    }
}

sealed class State
{
    private readonly Config _cfg; private readonly object _lock = new(); private Random _random;
    public long Requests, Faults, RateLimited, Creates, Updates;
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
            Requests = Faults = RateLimited = Creates = Updates = 0;
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
            return new JsonObject { ["requests"] = Requests, ["faults"] = Faults, ["rateLimited"] = RateLimited, ["creates"] = Creates, ["updates"] = Updates, ["zones"] = zones };
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
                if (method == "DELETE") { records.Remove(existing); return (200, Ok(new JsonObject { ["id"] = parts[3] })); }
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
