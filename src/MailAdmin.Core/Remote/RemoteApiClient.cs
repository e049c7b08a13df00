using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Remote
{
    /// <summary>A provider that talks to a remote API through the shared pipeline (its requests can be traced).</summary>
    public interface IRemoteProvider
    {
        RemoteApiClient Api { get; }
    }

    /// <summary>One call to a remote provider's API.</summary>
    public sealed class RemoteRequest
    {
        public RemoteRequest(HttpMethod method, string path, string operation)
        {
            Method = method; Path = path; Operation = operation;
        }
        public HttpMethod Method { get; }
        /// <summary>The path below the API base (e.g. "user/create").</summary>
        public string Path { get; }
        /// <summary>What it does, for logs and errors ("create mailbox a@b.com").</summary>
        public string Operation { get; }
        public IDictionary<string, string> Query { get; } = new Dictionary<string, string>();
        /// <summary>A JSON body (POST/PATCH/PUT/DELETE), or null.</summary>
        public JToken Body { get; set; }
        /// <summary>A form body (application/x-www-form-urlencoded, e.g. an OAuth2 token request), or null.</summary>
        public IDictionary<string, string> Form { get; set; }
        /// <summary>Which token (application secret) authorises it; null: none (the token call itself).</summary>
        public string TokenKey { get; set; }
        /// <summary>
        /// False for creates: after an ambiguous failure (timeout, dropped connection, 5xx) the request may have been
        /// applied, so it is not sent again; the caller gets a <see cref="RemoteAmbiguousException"/> and checks first.
        /// </summary>
        public bool Idempotent { get; set; } = true;
        public string Target { get; set; }
    }

    /// <summary>What a provider's protocol makes of one HTTP answer.</summary>
    public enum RemoteVerdict { Success, Retry, RefreshToken, Fail }

    /// <summary>The provider-specific parts of the pipeline: tokens, where they go, and how answers are read.</summary>
    public interface IRemoteProtocol
    {
        string ProviderName { get; }
        /// <summary>Fetches a token for one application key; returns it and its lifetime.</summary>
        Task<(string token, TimeSpan lifetime)> AcquireTokenAsync(RemoteApiClient client, string tokenKey, CancellationToken ct);
        /// <summary>Puts the token on the request (query string or header).</summary>
        void Authorize(HttpRequestMessage message, RemoteRequest request, string token);
        /// <summary>Reads one answer: success, retry after backoff, refresh the token and retry, or a typed failure.</summary>
        RemoteVerdict Classify(RemoteRequest request, int status, JObject body, out MailAdminException error);
        /// <summary>How long the server asks us to wait (Retry-After), if it says.</summary>
        TimeSpan? RetryAfter(HttpResponseMessage response);
    }

    /// <summary>The request may or may not have been applied (the answer was lost). The caller checks before repeating it.</summary>
    public sealed class RemoteAmbiguousException : MailAdminException
    {
        public RemoteAmbiguousException(string message, object target, Exception inner = null)
            : base(MailErrorKind.ConnectionError, "RemoteOutcomeUnknown", message, target, inner) { }
    }

    /// <summary>Settings of one connection's pipeline.</summary>
    public sealed class RemoteApiOptions
    {
        public Uri BaseUri { get; set; }

        /// <summary>
        /// The API base a provider uses: its documented one when none was given; when -ApiBaseUri names only a host
        /// ("http://127.0.0.1:5000" or ".../"), the host with the provider's documented path ("/cgi-bin/"); a URI with a
        /// path is taken as given (a private deployment may mount the API elsewhere).
        /// </summary>
        public static Uri ResolveBase(Uri given, Uri documented)
        {
            if (documented == null) throw new ArgumentNullException(nameof(documented));
            if (given == null) return documented;
            if (!given.IsAbsoluteUri)
                throw MailAdminException.Invalid("InvalidApiUri", $"'{given}' is not an absolute URI: give the API host, e.g. https://api.example.com.", given.ToString());
            var path = given.AbsolutePath;
            if (!string.IsNullOrEmpty(path) && path != "/") return path.EndsWith("/", StringComparison.Ordinal) ? given : new Uri(given.GetLeftPart(UriPartial.Path) + "/" + given.Query);
            return new Uri(given.GetLeftPart(UriPartial.Authority) + documented.AbsolutePath);
        }
        /// <summary>Client-side limit of requests per second (evenly spaced).</summary>
        public double RequestsPerSecond { get; set; } = 10;
        /// <summary>Attempts per call for retryable failures (throttling, busy, 5xx, timeouts).</summary>
        public int MaxAttempts { get; set; } = 6;
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>First backoff; doubles per attempt with full jitter, capped at <see cref="MaxBackoff"/>.</summary>
        public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMilliseconds(200);
        public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>A server's Retry-After is honoured up to this long (Connect-MailProvider -MaxRetryAfterSec); <see cref="MaxBackoff"/>
        /// caps only the waits the client chooses itself.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = DefaultMaxRetryAfter;
        public static readonly TimeSpan DefaultMaxRetryAfter = TimeSpan.FromMinutes(5);
        /// <summary>A token is refreshed this long before it expires.</summary>
        public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);
    }

    /// <summary>Counters of one connection (for tests, benchmarks and -Verbose summaries).</summary>
    public sealed class RemoteApiStatistics
    {
        internal long _requests, _retries, _throttled, _tokens, _ambiguous;
        public long Requests => Interlocked.Read(ref _requests);
        public long Retries => Interlocked.Read(ref _retries);
        /// <summary>Answers that said "slow down" (HTTP 429 or the provider's throttle codes).</summary>
        public long Throttled => Interlocked.Read(ref _throttled);
        public long TokensAcquired => Interlocked.Read(ref _tokens);
        public long Ambiguous => Interlocked.Read(ref _ambiguous);
    }

    /// <summary>
    /// The HTTP pipeline remote providers share: one HttpClient per connection, a token per application key
    /// (cached, refreshed before expiry and when the server rejects it), retry with exponential backoff and full
    /// jitter, a client-side rate limit, and every request and answer logged with secrets redacted.
    /// </summary>
    public sealed class RemoteApiClient : IDisposable
    {
        private readonly HttpClient _http;
        private readonly IRemoteProtocol _protocol;
        private readonly RemoteApiOptions _options;
        private readonly RateLimiter _limiter;
        private readonly ConcurrentDictionary<string, TokenSlot> _tokens = new ConcurrentDictionary<string, TokenSlot>();
        private readonly Random _random = new Random();

        public RemoteApiClient(IRemoteProtocol protocol, RemoteApiOptions options, HttpMessageHandler handler = null)
        {
            _protocol = protocol; _options = options;
            if (options.BaseUri == null) throw new ArgumentException("BaseUri is required", nameof(options));
            if (options.BaseUri.Scheme != "https" && !(options.BaseUri.Scheme == "http" && IsLoopback(options.BaseUri)))
                throw MailAdminException.Invalid("InsecureApiUri", $"'{options.BaseUri}' is not https; plain http is allowed only to a loopback address (an emulator).", options.BaseUri.ToString());
            _http = handler == null ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate })
                                    : new HttpClient(handler);
            _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // per request, below
            _limiter = new RateLimiter(options.RequestsPerSecond);
        }

        private static bool IsLoopback(Uri u) => u.IsLoopback || (IPAddress.TryParse(u.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

        public RemoteApiOptions Options => _options;
        public RemoteApiStatistics Statistics { get; } = new RemoteApiStatistics();
        /// <summary>Receives one line per request and answer, secrets already redacted (the cmdlets write it to -Debug).</summary>
        public event Action<string> Trace;

        private void Log(string line) => Trace?.Invoke(Redactor.Redact(line));

        private sealed class TokenSlot
        {
            public readonly SemaphoreSlim Gate = new SemaphoreSlim(1, 1);
            public string Token;
            public DateTime RefreshAtUtc;
            public long Generation;
        }

        /// <summary>The cached token of one key, fetched when missing, near expiry, or older than <paramref name="rejectedGeneration"/>.</summary>
        private async Task<(string token, long generation)> TokenAsync(string key, long rejectedGeneration, CancellationToken ct)
        {
            var slot = _tokens.GetOrAdd(key, _ => new TokenSlot());
            if (slot.Token != null && DateTime.UtcNow < slot.RefreshAtUtc && slot.Generation > rejectedGeneration) return (slot.Token, slot.Generation);
            await slot.Gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (slot.Token != null && DateTime.UtcNow < slot.RefreshAtUtc && slot.Generation > rejectedGeneration) return (slot.Token, slot.Generation);
                var (token, lifetime) = await _protocol.AcquireTokenAsync(this, key, ct).ConfigureAwait(false);
                Interlocked.Increment(ref Statistics._tokens);
                var margin = lifetime > TimeSpan.FromTicks(_options.TokenRefreshMargin.Ticks * 2) ? _options.TokenRefreshMargin : TimeSpan.FromTicks(lifetime.Ticks / 5);
                slot.Token = token;
                slot.RefreshAtUtc = DateTime.UtcNow + lifetime - margin;
                slot.Generation++;
                Log($"token for {key} acquired, valid {lifetime.TotalSeconds:0} s (refreshed {margin.TotalSeconds:0} s early)");
                return (slot.Token, slot.Generation);
            }
            finally { slot.Gate.Release(); }
        }

        private TimeSpan Backoff(int attempt, TimeSpan? serverAsked)
        {
            // the server's own Retry-After is honoured (asking again earlier only earns another refusal), up to the admin's bound
            if (serverAsked.HasValue && serverAsked.Value > TimeSpan.Zero) return serverAsked.Value < _options.MaxRetryAfter ? serverAsked.Value : _options.MaxRetryAfter;
            var cap = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.BaseBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1));
            double r; lock (_random) r = _random.NextDouble();
            return TimeSpan.FromMilliseconds(cap / 2 + r * cap / 2); // "equal jitter": never zero, spread over the upper half
        }

        private string Url(RemoteRequest request, string extraQuery = null)
        {
            var sb = new StringBuilder(_options.BaseUri.ToString().TrimEnd('/')).Append('/').Append(request.Path.TrimStart('/'));
            var first = true;
            foreach (var kv in request.Query)
            {
                sb.Append(first ? '?' : '&').Append(Uri.EscapeDataString(kv.Key)).Append('=').Append(Uri.EscapeDataString(kv.Value ?? ""));
                first = false;
            }
            return sb.ToString();
        }

        /// <summary>Sends one call through the pipeline and returns the answer's JSON object.</summary>
        public async Task<JObject> SendAsync(RemoteRequest request, CancellationToken ct)
        {
            long rejected = -1; var refreshed = false;
            for (var attempt = 1; ; attempt++)
            {
                ct.ThrowIfCancellationRequested();
                await _limiter.WaitAsync(ct).ConfigureAwait(false);
                string token = null; long generation = 0;
                if (request.TokenKey != null) (token, generation) = await TokenAsync(request.TokenKey, rejected, ct).ConfigureAwait(false);
                var body = request.Body?.ToString(Formatting.None);
                if (request.Form != null) body = string.Join("&", request.Form.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value ?? "")));
                using (var message = new HttpRequestMessage(request.Method, Url(request)))
                {
                    if (request.Form != null) message.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
                    else if (body != null) message.Content = new StringContent(body, Encoding.UTF8, "application/json");
                    if (token != null) _protocol.Authorize(message, request, token);
                    Interlocked.Increment(ref Statistics._requests);
                    Log($"-> {request.Method} {message.RequestUri}{(body != null ? " " + body : "")}");
                    HttpResponseMessage response; string text;
                    var started = DateTime.UtcNow;
                    using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
                    {
                        timeout.CancelAfter(_options.RequestTimeout);
                        try
                        {
                            response = await _http.SendAsync(message, timeout.Token).ConfigureAwait(false);
                            text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                        }
                        catch (Exception e) when (!ct.IsCancellationRequested && (e is HttpRequestException || e is OperationCanceledException || e is System.IO.IOException))
                        {
                            var what = e is OperationCanceledException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0} s" : "the connection failed (" + Flatten(e) + ")";
                            Log($"<- {request.Operation}: {what}");
                            if (!request.Idempotent)
                            {
                                Interlocked.Increment(ref Statistics._ambiguous);
                                throw new RemoteAmbiguousException($"{_protocol.ProviderName}: {request.Operation}: {what}; it may or may not have been applied.", request.Target, e);
                            }
                            if (attempt >= _options.MaxAttempts) throw Unreachable(request, what, e);
                            Interlocked.Increment(ref Statistics._retries);
                            await Task.Delay(Backoff(attempt, null), ct).ConfigureAwait(false);
                            continue;
                        }
                    }
                    using (response)
                    {
                        var status = (int)response.StatusCode;
                        Log($"<- {status} in {(DateTime.UtcNow - started).TotalMilliseconds:0} ms {Trunc(text)}");
                        JObject json = null;
                        try { json = string.IsNullOrWhiteSpace(text) ? null : JObject.Parse(text); }
                        catch (JsonException) { }
                        if (status == 429 || status >= 500)
                        {
                            if (status == 429) Interlocked.Increment(ref Statistics._throttled);
                            // 429 was not processed; a 5xx may have been, so a create is not repeated blindly
                            if (status >= 500 && !request.Idempotent)
                            {
                                Interlocked.Increment(ref Statistics._ambiguous);
                                throw new RemoteAmbiguousException($"{_protocol.ProviderName}: {request.Operation}: the server answered HTTP {status}; it may or may not have been applied.", request.Target);
                            }
                            if (attempt >= _options.MaxAttempts) throw Busy(request, $"HTTP {status}");
                            Interlocked.Increment(ref Statistics._retries);
                            await Task.Delay(Backoff(attempt, _protocol.RetryAfter(response)), ct).ConfigureAwait(false);
                            continue;
                        }
                        var verdict = _protocol.Classify(request, status, json, out var error);
                        switch (verdict)
                        {
                            case RemoteVerdict.Success: return json ?? new JObject();
                            case RemoteVerdict.RefreshToken when !refreshed && request.TokenKey != null:
                                refreshed = true; rejected = generation;
                                Interlocked.Increment(ref Statistics._retries);
                                continue;
                            case RemoteVerdict.Retry:
                                Interlocked.Increment(ref Statistics._throttled);
                                if (attempt >= _options.MaxAttempts) throw error ?? Busy(request, "busy");
                                Interlocked.Increment(ref Statistics._retries);
                                await Task.Delay(Backoff(attempt, _protocol.RetryAfter(response)), ct).ConfigureAwait(false);
                                continue;
                            default:
                                throw error ?? new MailAdminException(MailErrorKind.InvalidOperation, "RemoteCallFailed", $"{_protocol.ProviderName}: {request.Operation} failed (HTTP {status}).", request.Target) { Provider = _protocol.ProviderName };
                        }
                    }
                }
            }
        }

        private static string Flatten(Exception e)
        {
            var parts = new List<string>();
            for (var x = e; x != null && parts.Count < 3; x = x.InnerException) parts.Add(x.Message);
            return string.Join(": ", parts.Distinct());
        }

        private MailAdminException Unreachable(RemoteRequest r, string what, Exception inner)
            => new MailAdminException(MailErrorKind.ConnectionError, "RemoteUnreachable", $"{_protocol.ProviderName}: {r.Operation}: {what} after {_options.MaxAttempts} attempts.", r.Target, inner) { Provider = _protocol.ProviderName };

        private MailAdminException Busy(RemoteRequest r, string what)
            => new MailAdminException(MailErrorKind.ResourceBusy, "RemoteBusy", $"{_protocol.ProviderName}: {r.Operation}: the service stayed busy ({what}) through {_options.MaxAttempts} attempts; try again later or lower -ThrottleLimit.", r.Target) { Provider = _protocol.ProviderName };

        private static string Trunc(string s) => s == null ? "" : s.Length > 2000 ? s.Substring(0, 2000) + "..." : s;

        public void Dispose() => _http.Dispose();
    }

    /// <summary>Removes secrets from log lines: secret and token query parameters, password-like JSON fields, SSO keys.</summary>
    public static class Redactor
    {
        private static readonly Regex Query = new Regex(@"(?i)\b(corpsecret|access_token|client_secret|appsecret|password|authkey|secret|token)=([^&\s""]+)", RegexOptions.Compiled);
        private static readonly Regex JsonField = new Regex(
            @"(?i)""(password|access_token|accessToken|corpsecret|client_secret|appSecret|secret|login_url|newPassword|token|old|new|auth_code)"""
            + @"\s*:\s*""(?:[^""\\]|\\.)*""",
            RegexOptions.Compiled);
        private static readonly Regex Bearer = new Regex(@"(?i)\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*", RegexOptions.Compiled);

        public static string Redact(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            text = Query.Replace(text, m => m.Groups[1].Value + "=***");
            text = JsonField.Replace(text, m => "\"" + m.Groups[1].Value + "\":\"***\"");
            return Bearer.Replace(text, "$1 ***");
        }
    }

    /// <summary>
    /// At most <c>rate</c> requests in any window of one second (plus a small margin for network jitter): the same rule the
    /// providers state ("40 calls per second") and their servers count in a sliding window. A window log rather than even
    /// spacing: even spacing loses a few percent to timer lateness on every request, while the log lets a late request's
    /// successor go at once without ever putting more than <c>rate</c> requests into one second.
    /// </summary>
    public sealed class RateLimiter
    {
        private readonly int _limit;
        private readonly TimeSpan _window;
        /// <summary>Permits accrue at the rate, up to a small bucket (a tenth of a second's worth, 1 to 10): no burst of a whole
        /// second's allowance at once, yet a timer that fires late is caught up at its next turn instead of losing the time.</summary>
        private readonly double _perSecond;
        private readonly double _bucket;
        private double _tokens;
        private DateTime _refilled = DateTime.MinValue;
        private readonly Queue<DateTime> _granted = new Queue<DateTime>();
        private readonly object _lock = new object();
        /// <summary>Whose turn it is: waiting callers queue here, and only the first one watches the clock.</summary>
        private readonly SemaphoreSlim _turn = new SemaphoreSlim(1, 1);

        private readonly Func<DateTime> _now = () => DateTime.UtcNow;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay = Task.Delay;

        /// <summary>The same limiter on a given clock and timer (tests run it on virtual time, where the outcome does not depend on
        /// how loaded the machine is).</summary>
        public RateLimiter(double perSecond, TimeSpan? margin, Func<DateTime> now, Func<TimeSpan, CancellationToken, Task> delay)
            : this(perSecond, margin)
        {
            _now = now ?? throw new ArgumentNullException(nameof(now));
            _delay = delay ?? throw new ArgumentNullException(nameof(delay));
        }

        public RateLimiter(double perSecond, TimeSpan? margin = null)
        {
            if (perSecond <= 0 || double.IsInfinity(perSecond)) { _limit = 0; return; }
            // below 1 per second: one request per 1/rate seconds
            _limit = Math.Max(1, (int)Math.Floor(perSecond));
            // the margin absorbs the jitter between the grant here and the arrival there (a loaded machine delays some sends by
            // tens of milliseconds): 25 ms, 2.5% of the rate (50 ms cost 5%, which kept bulk runs under 90% of the limit)
            var jitter = TimeSpan.FromMilliseconds(25);
            _window = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond * (_limit / perSecond))) + (margin ?? jitter);
            _perSecond = perSecond;
            _bucket = Math.Max(1, Math.Min(10, Math.Floor(perSecond / 10)));
            _tokens = 1;
        }

        /// <summary>
        /// Waits for a permit. Callers queue for their turn and only the first one sleeps until its permit is due, so a permit
        /// costs one timer however many callers wait (when every waiter slept and woke for each permit, 64 callers reached only
        /// about 80 of 150 per second on two cores). The permit is taken when the caller wakes, so a late timer never bunches
        /// requests into one window.
        /// </summary>
        public async Task WaitAsync(CancellationToken ct)
        {
            if (_limit == 0) return;
            await _turn.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                while (true)
                {
                    TimeSpan wait;
                    lock (_lock)
                    {
                        var now = _now();
                        while (_granted.Count > 0 && now - _granted.Peek() >= _window) _granted.Dequeue();
                        if (_refilled != DateTime.MinValue) _tokens = Math.Min(_bucket, _tokens + (now - _refilled).TotalSeconds * _perSecond);
                        _refilled = now;
                        if (_granted.Count < _limit && _tokens >= 1) { _granted.Enqueue(now); _tokens -= 1; return; }
                        var tokenDue = TimeSpan.FromSeconds(Math.Max(0, 1 - _tokens) / _perSecond);
                        wait = _granted.Count < _limit ? tokenDue : _granted.Peek() + _window - now;
                        if (tokenDue > wait) wait = tokenDue;
                    }
                    await _delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, ct).ConfigureAwait(false);
                }
            }
            finally { _turn.Release(); }
        }
    }

    /// <summary>Lenient reading of JSON values that providers send as numbers or strings.</summary>
    public static class Json
    {
        public static long? Long(JToken t)
        {
            if (t == null || t.Type == JTokenType.Null) return null;
            if (t.Type == JTokenType.Integer) return t.Value<long>();
            return long.TryParse(t.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (long?)null;
        }
        public static int? Int(JToken t) { var l = Long(t); return l.HasValue ? (int)l.Value : (int?)null; }
        public static string Str(JToken t) => t == null || t.Type == JTokenType.Null ? null : t.Type == JTokenType.String ? t.Value<string>() : t.ToString(Formatting.None);
        public static bool? Bool(JToken t)
        {
            if (t == null || t.Type == JTokenType.Null) return null;
            if (t.Type == JTokenType.Boolean) return t.Value<bool>();
            var l = Long(t); if (l.HasValue) return l.Value != 0;
            var s = t.ToString(); return s.Equals("true", StringComparison.OrdinalIgnoreCase) ? true : s.Equals("false", StringComparison.OrdinalIgnoreCase) ? false : (bool?)null;
        }
        public static string[] Strings(JToken t) => t is JArray a ? a.Select(Str).Where(x => x != null).ToArray() : new string[0];
    }
}
