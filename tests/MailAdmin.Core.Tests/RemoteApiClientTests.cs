using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using MailAdmin.Remote;
using Newtonsoft.Json.Linq;
using Xunit;

namespace MailAdmin.Core.Tests;

public class RemoteApiClientTests
{
    /// <summary>Answers from a script of (status, body) and records what was sent.</summary>
    private sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _answers;
        public readonly List<string> Sent = new();
        public ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) { _answers = new(answers); }
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Sent.Add(request.RequestUri!.PathAndQuery);
            var next = _answers.Count > 1 ? _answers.Dequeue() : _answers.Peek();
            return Task.FromResult(next(request));
        }
    }

    private static Func<HttpRequestMessage, HttpResponseMessage> Json(int status, string body, TimeSpan? retryAfter = null) => _ =>
    {
        var r = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (retryAfter.HasValue) r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(retryAfter.Value);
        return r;
    };

    /// <summary>A protocol like Exmail's: token in the query, errcode envelope, 42001 = expired token, 45009 = slow down.</summary>
    private sealed class TestProtocol : IRemoteProtocol
    {
        public int TokensFetched;
        public string ProviderName => "Test";
        public Task<(string token, TimeSpan lifetime)> AcquireTokenAsync(RemoteApiClient client, string tokenKey, CancellationToken ct)
            => Task.FromResult(($"tok{Interlocked.Increment(ref TokensFetched)}", TimeSpan.FromHours(2)));
        public void Authorize(HttpRequestMessage m, RemoteRequest r, string token) => m.RequestUri = new Uri(m.RequestUri + (m.RequestUri!.Query.Length > 0 ? "&" : "?") + "access_token=" + token);
        public TimeSpan? RetryAfter(HttpResponseMessage r) => r.Headers.RetryAfter?.Delta;
        public RemoteVerdict Classify(RemoteRequest request, int status, JObject body, out MailAdminException error)
        {
            error = null;
            var code = (long?)body?["errcode"] ?? 0;
            if (code == 0) return RemoteVerdict.Success;
            error = new MailAdminException(MailErrorKind.InvalidOperation, "TestError", $"errcode {code}", request.Target) { ProviderCode = code.ToString() };
            return code == 42001 ? RemoteVerdict.RefreshToken : code == 45009 ? RemoteVerdict.Retry : RemoteVerdict.Fail;
        }
    }

    private static RemoteApiClient Client(ScriptedHandler h, TestProtocol p, double rate = 1000)
        => new(p, new RemoteApiOptions { BaseUri = new Uri("https://api.example.test/cgi-bin/"), RequestsPerSecond = rate, BaseBackoff = TimeSpan.FromMilliseconds(5), MaxAttempts = 4 }, h);

    private static RemoteRequest Req(bool idempotent = true) => new(HttpMethod.Post, "user/create", "create a@b.example") { TokenKey = "contacts", Idempotent = idempotent, Body = new JObject { ["password"] = "Secret123" } };

    [Fact]
    public async Task An_expired_token_is_fetched_again_and_the_call_repeated_once()
    {
        var h = new ScriptedHandler(Json(200, "{\"errcode\":42001,\"errmsg\":\"access_token expired\"}"), Json(200, "{\"errcode\":0,\"errmsg\":\"created\"}"));
        var p = new TestProtocol();
        using var c = Client(h, p);
        var r = await c.SendAsync(Req(), CancellationToken.None);
        Assert.Equal("created", (string)r["errmsg"]!);
        Assert.Equal(2, p.TokensFetched);
        Assert.Contains("access_token=tok1", h.Sent[0]);
        Assert.Contains("access_token=tok2", h.Sent[1]);
    }

    [Fact]
    public async Task A_token_rejected_twice_is_an_error_not_a_loop()
    {
        var h = new ScriptedHandler(Json(200, "{\"errcode\":42001,\"errmsg\":\"expired\"}"));
        using var c = Client(h, new TestProtocol());
        var e = await Assert.ThrowsAsync<MailAdminException>(() => c.SendAsync(Req(), CancellationToken.None));
        Assert.Equal("42001", e.ProviderCode);
        Assert.Equal(2, h.Sent.Count);
    }

    [Fact]
    public async Task Throttling_is_retried_with_backoff_and_Retry_After_is_honoured()
    {
        var h = new ScriptedHandler(Json(429, "", TimeSpan.FromMilliseconds(300)), Json(200, "{\"errcode\":45009}"), Json(200, "{\"errcode\":0}"));
        using var c = Client(h, new TestProtocol());
        var sw = Stopwatch.StartNew();
        await c.SendAsync(Req(idempotent: false), CancellationToken.None); // 429 and 45009 were not applied: safe to resend even a create
        Assert.True(sw.ElapsedMilliseconds >= 250, $"waited {sw.ElapsedMilliseconds} ms");
        Assert.Equal(3, h.Sent.Count);
        Assert.Equal(2, c.Statistics.Throttled);
    }

    [Fact]
    public async Task A_create_answered_with_5xx_is_not_sent_again_blindly()
    {
        var h = new ScriptedHandler(Json(500, "oops"), Json(200, "{\"errcode\":0}"));
        using var c = Client(h, new TestProtocol());
        await Assert.ThrowsAsync<RemoteAmbiguousException>(() => c.SendAsync(Req(idempotent: false), CancellationToken.None));
        Assert.Single(h.Sent);
        var ok = await c.SendAsync(Req(idempotent: true), CancellationToken.None); // an idempotent call is retried
        Assert.Equal(0, (int)ok["errcode"]!);
    }

    [Fact]
    public async Task The_trace_carries_requests_and_answers_without_secrets()
    {
        var h = new ScriptedHandler(Json(200, "{\"errcode\":0,\"access_token\":\"abcdef\",\"login_url\":\"https://x/?authkey=123\"}"));
        using var c = Client(h, new TestProtocol());
        var lines = new List<string>();
        c.Trace += lines.Add;
        await c.SendAsync(Req(), CancellationToken.None);
        var all = string.Join("\n", lines);
        Assert.Contains("user/create", all);
        Assert.DoesNotContain("Secret123", all);
        Assert.DoesNotContain("tok1", all);
        Assert.DoesNotContain("abcdef", all);
        Assert.DoesNotContain("authkey=123", all);
        Assert.Contains("\"password\":\"***\"", all);
    }

    [Theory]
    [InlineData("GET /gettoken?corpid=ww1&corpsecret=s3cr3t", "s3cr3t")]
    [InlineData("Authorization: Bearer eyJhbGciOi.abc.def", "eyJhbGciOi")]
    [InlineData("{\"client_secret\":\"very\\\"secret\"}", "very")]
    [InlineData("https://exmail.qq.com/cgi-bin/login?userid=a&authkey=0123abcd", "0123abcd")]
    [InlineData("<- 200 in 5 ms {\"errcode\":0,\"errmsg\":\"ok\",\"auth_code_id\":3,\"auth_code\":\"9f3a6c1d2e4b5a70\"}", "9f3a6c1d2e4b5a70")]
    public void Redactor_removes_each_kind_of_secret(string text, string secret)
        => Assert.DoesNotContain(secret, Redactor.Redact(text));

    /// <summary>
    /// One request on the real clock as the client sends it: the time it goes out is taken, then the permit is stamped sent
    /// (and answered). A caller descheduled between taking the time and stamping only stamps later, so the taken times are held
    /// to the limiter's guarantee exactly: no allowance for scheduling jitter is needed (with WaitAsync, a caller descheduled
    /// after its grant recorded a late time, and the tests allowed 50 ms of jitter, which a loaded machine sometimes exceeded).
    /// </summary>
    private static async Task SendOne(RateLimiter limiter, List<DateTime> times)
    {
        using var permit = await limiter.AcquireAsync(CancellationToken.None);
        lock (times)
        {
            times.Add(DateTime.UtcNow);
        }

        permit.Sent();
        permit.Answered();
    }

    [Fact]
    public async Task The_rate_limiter_never_puts_more_than_the_rate_into_one_second()
    {
        var limiter = new RateLimiter(20, TimeSpan.Zero);
        var times = new List<DateTime>();
        var sw = Stopwatch.StartNew();
        // 8 callers at once, 50 requests in all
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async k =>
        {
            for (var i = 0; i < 50 / 8 + (k < 50 % 8 ? 1 : 0); i++) { await SendOne(limiter, times); }
        }));
        Assert.Equal(50, times.Count);
        times.Sort();
        // the times requests went out (see SendOne): at least a second between request i and i-20, exactly
        for (var i = 20; i < times.Count; i++)
        {
            var gap = times[i] - times[i - 20];
            Assert.True(gap >= TimeSpan.FromSeconds(1), $"request {i} went out {gap.TotalMilliseconds} ms after request {i - 20}");
        }
        // 50 requests at 20/s cannot take less than two seconds (the benchmarks measure how close to the rate it gets)
        Assert.InRange(sw.ElapsedMilliseconds, 1990, 8000); // the upper bound only catches a stall: timers on a loaded machine run late
    }

    /// <summary>A clock that moves only when the limiter sleeps: the sleep returns at once with the clock moved on by its length.</summary>
    private sealed class VirtualClock
    {
        private readonly object _lock = new object();
        private readonly List<(bool delay, DateTime at)> _log = new List<(bool delay, DateTime at)>();
        public DateTime Now { get { lock (_lock) return _now; } }
        private DateTime _now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        public int Sleeps;

        /// <summary>The limiter's clock: every reading is logged, in order with the sleeps.</summary>
        public DateTime Read()
        {
            lock (_lock)
            {
                _log.Add((false, _now));
                return _now;
            }
        }

        public Task Delay(TimeSpan t, CancellationToken ct)
        {
            lock (_lock)
            {
                _log.Add((true, _now));
                _now += t;
                Sleeps++;
            }

            return Task.CompletedTask;
        }

        /// <summary>Time passing outside the limiter (a caller held up between its permit and the wire).</summary>
        public void Advance(TimeSpan t)
        {
            lock (_lock)
            {
                _now += t;
            }
        }

        /// <summary>When the limiter granted each permit. It reads the clock once per attempt and sleeps after an attempt that
        /// does not grant, one waiter at a time, so a reading not followed by a sleep is a grant at that time. (A time read by
        /// the caller after WaitAsync returns can be late: other callers' sleeps may move the clock in between.)</summary>
        public List<DateTime> Grants()
        {
            lock (_lock)
            {
                var grants = new List<DateTime>();
                for (var i = 0; i < _log.Count; i++)
                {
                    if (!_log[i].delay && (i + 1 == _log.Count || !_log[i + 1].delay))
                    {
                        grants.Add(_log[i].at);
                    }
                }

                return grants;
            }
        }
    }

    [Fact]
    public async Task The_rate_limiter_keeps_up_with_a_high_rate_and_many_callers()
    {
        // issue 14, item 5: 64 callers at once against 150/s (WeCom's default) must not be slowed by the limiter itself.
        // On virtual time (the limiter's own clock and timer), so the figures do not depend on the load of the machine: a wall-clock
        // bound here (5.0 s) failed now and then on the shared 2-core machine.
        var clock = new VirtualClock();
        var limiter = new RateLimiter(150, null, clock.Read, clock.Delay);
        var start = clock.Now;
        var next = 0;
        var done = 0;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            await Task.Yield();
            while (Interlocked.Increment(ref next) <= 450)
            {
                await limiter.WaitAsync(CancellationToken.None);
                Interlocked.Increment(ref done);
            }
        }));
        var times = clock.Grants();
        Assert.Equal(450, done);
        Assert.Equal(450, times.Count);
        times.Sort();
        // never more than the rate in one second, at the times the limiter granted the permits
        for (var i = 150; i < times.Count; i++)
        {
            Assert.True(
                times[i] - times[i - 150] >= TimeSpan.FromMilliseconds(1000),
                $"request {i} came {(times[i] - times[i - 150]).TotalMilliseconds} ms after request {i - 150}");
        }

        // and close to it: 450 requests at 150/s take 3 s; at least 90% of the rate (issue 14's target) is 3.33 s
        var elapsed = times[times.Count - 1] - start;
        Assert.InRange(elapsed.TotalSeconds, 2.9, 3.2);
        // a timer or two per permit (the token, then the window), however many callers wait: a limiter whose waiters each sleep
        // and wake for every permit (the design that reached only 80 of 150 per second on two cores) sleeps about 64 times per permit
        Assert.True(clock.Sleeps <= 2 * 450, $"{clock.Sleeps} sleeps for 450 permits");
    }

    [Fact]
    public async Task The_rate_limiter_counts_a_request_from_when_it_is_sent_not_from_its_permit()
    {
        // issue 14: a request held up between its permit and the wire (a busy thread, a connection being opened, 40 ms here, every
        // seventh request) reaches the server late; had the window counted it from the permit, the request a window later would
        // reach the server less than a second after it (CI saw a throttled answer now and then). On virtual time: deterministic.
        var clock = new VirtualClock();
        var limiter = new RateLimiter(20, TimeSpan.Zero, clock.Read, clock.Delay);
        var sent = new List<DateTime>();
        for (var i = 0; i < 200; i++)
        {
            using var permit = await limiter.AcquireAsync(CancellationToken.None);
            if (i % 7 == 3)
            {
                clock.Advance(TimeSpan.FromMilliseconds(40));
            }

            permit.Sent();
            sent.Add(clock.Now);
        }
        for (var i = 20; i < sent.Count; i++)
        {
            var gap = sent[i] - sent[i - 20];
            Assert.True(gap >= TimeSpan.FromSeconds(1), $"request {i} was sent {gap.TotalMilliseconds} ms after request {i - 20}");
        }

        // and it costs only the hold-ups: 200 at 20/s is 10 s (9.95 s from the first), plus at most the 29 hold-ups of 40 ms
        Assert.InRange((sent[sent.Count - 1] - sent[0]).TotalSeconds, 9.95, 9.95 + 29 * 0.04 + 0.01);
    }

    [Fact]
    public async Task A_permit_holds_its_place_until_it_is_sent_and_gives_it_back_when_it_is_not()
    {
        var clock = new VirtualClock();
        var limiter = new RateLimiter(20, TimeSpan.Zero, clock.Read, clock.Delay);
        var permits = new List<RateLimiter.Permit>();
        for (var i = 0; i < 20; i++)
        {
            permits.Add(await limiter.AcquireAsync(CancellationToken.None));
        }

        // 5 s pass before they go out: counted from the grant they would have left the window long ago
        clock.Advance(TimeSpan.FromSeconds(5));
        var wentOut = clock.Now;
        foreach (var p in permits.Take(19))
        {
            p.Sent();
            p.Answered();
        }

        // the twentieth never goes out (its token could not be had, say): its place is free again at once
        permits[19].Dispose();
        using (var again = await limiter.AcquireAsync(CancellationToken.None))
        {
            Assert.Equal(wentOut, clock.Now);
            again.Sent();
        }

        // now 20 places are held by requests sent at wentOut: the next one waits a whole second from then
        using (var next = await limiter.AcquireAsync(CancellationToken.None))
        {
            Assert.True(clock.Now >= wentOut + TimeSpan.FromSeconds(1), $"granted {(clock.Now - wentOut).TotalMilliseconds} ms after the 20 were sent");
            Assert.True(clock.Now < wentOut + TimeSpan.FromSeconds(1.01), $"granted {(clock.Now - wentOut).TotalMilliseconds} ms after the 20 were sent");
        }
    }

    [Fact]
    public async Task A_request_answered_late_holds_its_place_by_as_much_as_it_was_late()
    {
        // the server counts arrivals, which the client cannot see; a request that arrived late (a stall on either side) is
        // answered late by at least as much, so its place is held by its round trip's excess over the fastest
        var clock = new VirtualClock();
        var limiter = new RateLimiter(20, TimeSpan.Zero, clock.Read, clock.Delay);
        var permits = new List<RateLimiter.Permit>();
        for (var i = 0; i < 20; i++)
        {
            permits.Add(await limiter.AcquireAsync(CancellationToken.None));
        }

        var sent = clock.Now;
        permits.ForEach(p => p.Sent());
        clock.Advance(TimeSpan.FromMilliseconds(100));
        permits[0].Answered(); // the fastest round trip: 100 ms
        clock.Advance(TimeSpan.FromMilliseconds(30));
        permits.Skip(1).ToList().ForEach(p => p.Answered()); // 130 ms: these may have reached the server up to 30 ms late
        using var next = await limiter.AcquireAsync(CancellationToken.None);
        Assert.Equal(sent + TimeSpan.FromSeconds(1), clock.Now);
        next.Sent(); // and still on its way: its place stays taken
        using var after = await limiter.AcquireAsync(CancellationToken.None);
        Assert.Equal(sent + TimeSpan.FromMilliseconds(1030), clock.Now);
    }

    [Fact]
    public async Task The_rate_limiter_keeps_the_rate_on_the_real_clock_with_many_callers()
    {
        var limiter = new RateLimiter(150);
        var times = new List<DateTime>();
        var sw = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= 450) { await SendOne(limiter, times); }
        }));
        sw.Stop();
        times.Sort();
        // the times requests went out (see SendOne): at least a second between request i and i-150, exactly
        for (var i = 150; i < times.Count; i++)
        {
            var gap = times[i] - times[i - 150];
            Assert.True(gap >= TimeSpan.FromSeconds(1), $"request {i} went out {gap.TotalMilliseconds} ms after request {i - 150}");
        }
        // the throughput is proven on virtual time above; here only a stall is caught (timers on a loaded machine run late)
        Assert.InRange(sw.Elapsed.TotalSeconds, 2.0, 20.0);
    }

    [Fact]
    public void Plain_http_is_refused_except_to_loopback()
    {
        var e = Assert.Throws<MailAdminException>(() => new RemoteApiClient(new TestProtocol(), new RemoteApiOptions { BaseUri = new Uri("http://api.example.test/") }));
        Assert.Equal("InsecureApiUri", e.ErrorId);
        using var ok = new RemoteApiClient(new TestProtocol(), new RemoteApiOptions { BaseUri = new Uri("http://127.0.0.1:8080/") });
    }

    [Fact]
    public void Lenient_json_reads_numbers_sent_as_strings_and_64_bit_ids()
    {
        var o = JObject.Parse("{\"id\":5196969938080910636,\"enable\":\"1\",\"gender\":\"2\",\"flag\":true}");
        Assert.Equal(5196969938080910636L, MailAdmin.Remote.Json.Long(o["id"]));
        Assert.True(MailAdmin.Remote.Json.Bool(o["enable"]));
        Assert.Equal(2, MailAdmin.Remote.Json.Int(o["gender"]));
        Assert.True(MailAdmin.Remote.Json.Bool(o["flag"]));
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_backoff_cap_is_honoured()
    {
        var h = new ScriptedHandler(Json(429, "{\"errcode\":45009,\"errmsg\":\"slow down\"}", TimeSpan.FromSeconds(1)), Json(200, "{\"errcode\":0,\"errmsg\":\"created\"}"));
        using var c = new RemoteApiClient(new TestProtocol(), new RemoteApiOptions { BaseUri = new Uri("https://api.example.test/cgi-bin/"), RequestsPerSecond = 1000, BaseBackoff = TimeSpan.FromMilliseconds(5), MaxBackoff = TimeSpan.FromMilliseconds(50), MaxAttempts = 4 }, h);
        var sw = Stopwatch.StartNew();
        await c.SendAsync(Req(), CancellationToken.None);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(900), $"asked again after {sw.ElapsedMilliseconds} ms, not the 1000 ms the server asked for");
    }

    [Fact]
    public async Task A_retry_after_is_bounded_by_the_admins_limit()
    {
        var h = new ScriptedHandler(Json(429, "{\"errcode\":45009,\"errmsg\":\"slow down\"}", TimeSpan.FromSeconds(30)), Json(200, "{\"errcode\":0,\"errmsg\":\"created\"}"));
        using var c = new RemoteApiClient(new TestProtocol(), new RemoteApiOptions { BaseUri = new Uri("https://api.example.test/cgi-bin/"), RequestsPerSecond = 1000, BaseBackoff = TimeSpan.FromMilliseconds(5), MaxRetryAfter = TimeSpan.FromMilliseconds(300), MaxAttempts = 4 }, h);
        var sw = Stopwatch.StartNew();
        await c.SendAsync(Req(), CancellationToken.None);
        Assert.InRange(sw.ElapsedMilliseconds, 250, 5000);
    }
}
