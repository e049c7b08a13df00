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
            _protocol = protocol;
            _options = options;
            if (options.BaseUri == null)
            {
                throw new ArgumentException("BaseUri is required", nameof(options));
            }

            if (options.BaseUri.Scheme != "https" && !(options.BaseUri.Scheme == "http" && IsLoopback(options.BaseUri)))
            {
                throw MailAdminException.Invalid(
                    "InsecureApiUri", $"'{options.BaseUri}' is not https; plain http is allowed only to a loopback address (an emulator).",
                        options.BaseUri.ToString());
            }

            _http = handler == null
                ? new HttpClient(
                new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate })
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
            if (slot.Token != null && DateTime.UtcNow < slot.RefreshAtUtc && slot.Generation > rejectedGeneration)
            {
                return (slot.Token, slot.Generation);
            }

            await slot.Gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (slot.Token != null && DateTime.UtcNow < slot.RefreshAtUtc && slot.Generation > rejectedGeneration)
                {
                    return (slot.Token, slot.Generation);
                }

                var (token, lifetime) = await _protocol.AcquireTokenAsync(this, key, ct).ConfigureAwait(false);
                Interlocked.Increment(ref Statistics._tokens);
                var margin = lifetime > TimeSpan.FromTicks(_options.TokenRefreshMargin.Ticks * 2) ? _options.TokenRefreshMargin
                    : TimeSpan.FromTicks(lifetime.Ticks / 5);
                slot.Token = token;
                slot.RefreshAtUtc = DateTime.UtcNow + lifetime - margin;
                slot.Generation++;
                Log($"token for {key} acquired, valid {lifetime.TotalSeconds:0} s (refreshed {margin.TotalSeconds:0} s early)");
                return (slot.Token, slot.Generation);
            }
            finally
            {
                slot.Gate.Release();
            }
        }

        private TimeSpan Backoff(int attempt, TimeSpan? serverAsked)
        {
            // the server's own Retry-After is honoured (asking again earlier only earns another refusal), up to the admin's bound
            if (serverAsked.HasValue && serverAsked.Value > TimeSpan.Zero)
            {
                return serverAsked.Value < _options.MaxRetryAfter ? serverAsked.Value : _options.MaxRetryAfter;
            }

            var cap = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.BaseBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1));
            double r;
            lock (_random)
            {
                r = _random.NextDouble();
            }

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
            long rejected = -1;
            var refreshed = false;
            for (var attempt = 1; ; attempt++)
            {
                ct.ThrowIfCancellationRequested();
                // the token first: a permit holds its place in the window until the request is sent, so it must not wait for
                // a token whose own request needs a place
                string token = null;
                long generation = 0;
                if (request.TokenKey != null)
                {
                    (token, generation) = await TokenAsync(request.TokenKey, rejected, ct).ConfigureAwait(false);
                }

                var body = request.Body?.ToString(Formatting.None);
                if (request.Form != null)
                {
                    body = string.Join("&", request.Form.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value ?? "")));
                }

                using (var permit = await _limiter.AcquireAsync(ct).ConfigureAwait(false))
                using (var message = new HttpRequestMessage(request.Method, Url(request)))
                {
                    if (request.Form != null)
                    {
                        message.Content = new SentContent(body, "application/x-www-form-urlencoded", permit);
                    }
                    else if (body != null)
                    {
                        message.Content = new SentContent(body, "application/json", permit);
                    }

                    if (token != null)
                    {
                        _protocol.Authorize(message, request, token);
                    }

                    Interlocked.Increment(ref Statistics._requests);
                    Log($"-> {request.Method} {message.RequestUri}{(body != null ? " " + body : "")}");
                    HttpResponseMessage response;
                    string text;
                    var started = DateTime.UtcNow;
                    using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
                    {
                        timeout.CancelAfter(_options.RequestTimeout);
                        try
                        {
                            permit.Sent(); // stamped again when a body is written to the connection (SentContent)
                            response = await _http.SendAsync(message, timeout.Token).ConfigureAwait(false);
                            permit.Answered();
                            text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                        }
                        catch (Exception e) when (
                            !ct.IsCancellationRequested && (e is HttpRequestException || e is OperationCanceledException || e is System.IO.IOException))
                        {
                            permit.Answered(); // it reached the server by now, or never will
                            var what = e is OperationCanceledException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0} s"
                                : "the connection failed (" + Flatten(e) + ")";
                            Log($"<- {request.Operation}: {what}");
                            if (!request.Idempotent)
                            {
                                Interlocked.Increment(ref Statistics._ambiguous);
                                throw new RemoteAmbiguousException(
                                    $"{_protocol.ProviderName}: {request.Operation}: {what}; it may or may not have been applied.", request.Target, e);
                            }
                            if (attempt >= _options.MaxAttempts)
                            {
                                throw Unreachable(request, what, e);
                            }

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
                        try
                        {
                            json = string.IsNullOrWhiteSpace(text) ? null : JObject.Parse(text);
                        }
                        catch (JsonException)
                        {
                            // not every answer is JSON (a proxy's error page, a plain-text 5xx): it is classified without a body
                            json = null;
                        }
                        if (status == 429 || status >= 500)
                        {
                            if (status == 429)
                            {
                                Interlocked.Increment(ref Statistics._throttled);
                            }
                            // 429 was not processed; a 5xx may have been, so a create is not repeated blindly
                            if (status >= 500 && !request.Idempotent)
                            {
                                Interlocked.Increment(ref Statistics._ambiguous);
                                throw new RemoteAmbiguousException(
                                    $"{_protocol.ProviderName}: {request.Operation}: the server answered HTTP {status}; it may or may not have been applied.",
                                        request.Target);
                            }
                            if (attempt >= _options.MaxAttempts)
                            {
                                throw Busy(request, $"HTTP {status}");
                            }

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
                                if (attempt >= _options.MaxAttempts)
                                {
                                    throw error ?? Busy(request, "busy");
                                }

                                Interlocked.Increment(ref Statistics._retries);
                                await Task.Delay(Backoff(attempt, _protocol.RetryAfter(response)), ct).ConfigureAwait(false);
                                continue;
                            default:
                                throw error ?? new MailAdminException(
                                    MailErrorKind.InvalidOperation, "RemoteCallFailed",
                                    $"{_protocol.ProviderName}: {request.Operation} failed (HTTP {status}).",
                                        request.Target) { Provider = _protocol.ProviderName };
                        }
                    }
                }
            }
        }

        /// <summary>
        /// A UTF-8 body that stamps its permit when it is written to the connection: after the connection is there (opening one
        /// can take a round trip), so the limiter counts the request from as close to the wire as the client can see.
        /// </summary>
        private sealed class SentContent : HttpContent
        {
            private readonly byte[] _bytes;
            private readonly RateLimiter.Permit _permit;

            public SentContent(string text, string mediaType, RateLimiter.Permit permit)
            {
                _bytes = Encoding.UTF8.GetBytes(text);
                _permit = permit;
                Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
            }

            protected override Task SerializeToStreamAsync(System.IO.Stream stream, TransportContext context)
            {
                _permit.Sent();
                return stream.WriteAsync(_bytes, 0, _bytes.Length);
            }

            protected override bool TryComputeLength(out long length)
            {
                length = _bytes.Length;
                return true;
            }
        }

        private static string Flatten(Exception e)
        {
            var parts = new List<string>();
            for (var x = e; x != null && parts.Count < 3; x = x.InnerException)
            {
                parts.Add(x.Message);
            }

            return string.Join(": ", parts.Distinct());
        }

        private MailAdminException Unreachable(RemoteRequest r, string what, Exception inner)
            => new MailAdminException(
                MailErrorKind.ConnectionError, "RemoteUnreachable", $"{_protocol.ProviderName}: {r.Operation}: {what} after {_options.MaxAttempts} attempts.",
                r.Target, inner) { Provider = _protocol.ProviderName };

        private MailAdminException Busy(RemoteRequest r, string what)
            => new MailAdminException(
                MailErrorKind.ResourceBusy, "RemoteBusy",
                $"{_protocol.ProviderName}: {r.Operation}: the service stayed busy ({what}) through {_options.MaxAttempts} attempts; try again later or lower "
                    + $"-ThrottleLimit.", r.Target) { Provider = _protocol.ProviderName };

        private static string Trunc(string s) => s == null ? "" : s.Length > 2000 ? s.Substring(0, 2000) + "..." : s;

        public void Dispose() => _http.Dispose();
    }
}
