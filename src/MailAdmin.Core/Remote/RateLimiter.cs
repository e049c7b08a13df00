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
    /// At most <c>rate</c> requests in any window of one second: the rule the providers state ("40 calls per second") and their
    /// servers count in a sliding window, by the time each request reaches them. A window log rather than even spacing: even
    /// spacing loses a few percent to timer lateness on every request, while the log lets a late request's successor go at once
    /// without ever putting more than <c>rate</c> requests into one second.
    /// <para>The server counts arrivals, which the client cannot see, so each place in the log is kept by what the client can:
    /// it counts from when the request was <em>sent</em> (<see cref="Permit.Sent"/>, as close to the wire as the client sees,
    /// not when its permit was granted), and when the answer comes (<see cref="Permit.Answered"/>) the place is held longer by
    /// how much slower that round trip was than the fastest one seen. A request that was late to arrive (a busy thread on
    /// either side, a connection being opened) was late to be answered by at least as much, so its place moves with it, and
    /// the request a second later cannot reach the server less than a second after it. A fixed margin of a few milliseconds
    /// covers the rest (the fastest round trip seen is not quite the fastest way there plus the fastest way back).</para>
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
        /// <summary>Permits in the window: until a window (and their round trip's excess) after they were sent; unsent and
        /// unanswered ones until they are.</summary>
        private readonly List<Permit> _log = new List<Permit>();
        private TimeSpan _fastest = TimeSpan.MaxValue;
        private readonly object _lock = new object();
        /// <summary>Whose turn it is: waiting callers queue here, and only the first one watches the clock.</summary>
        private readonly SemaphoreSlim _turn = new SemaphoreSlim(1, 1);

        private readonly Func<DateTime> _now = () => DateTime.UtcNow;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay = Task.Delay;

        /// <summary>While every place in the window is held by a request not yet sent or answered, the waiter looks again this often.</summary>
        private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

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
            if (perSecond <= 0 || double.IsInfinity(perSecond))
            {
                _limit = 0;
                return;
            }
            // below 1 per second: one request per 1/rate seconds
            _limit = Math.Max(1, (int)Math.Floor(perSecond));
            // the jitter between send and arrival is taken from the answers (above); the margin covers only how far the fastest
            // round trip seen is from the fastest way there and back (a fixed 25 ms margin instead let a loaded machine's stalls
            // through now and then, and cost 2.5% of the rate)
            var jitter = TimeSpan.FromMilliseconds(5);
            _window = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond * (_limit / perSecond))) + (margin ?? jitter);
            _perSecond = perSecond;
            _bucket = Math.Max(1, Math.Min(10, Math.Floor(perSecond / 10)));
            _tokens = 1;
        }

        /// <summary>
        /// One request's place in the window. It counts from <see cref="Sent"/> (the latest call wins) and, once
        /// <see cref="Answered"/>, is held longer by the round trip's excess over the fastest; until it is sent, and then until it
        /// is answered, it holds its place whatever the time. Disposing a permit that was never sent gives its place back (the
        /// request never left); disposing one sent but not answered counts it answered then.
        /// </summary>
        public sealed class Permit : IDisposable
        {
            private readonly RateLimiter _owner;
            internal DateTime? SentAt;
            internal TimeSpan? RoundTrip;

            internal Permit(RateLimiter owner) => _owner = owner;

            /// <summary>Stamps the permit with the time the request goes out (call it as close to the wire as can be).</summary>
            public void Sent()
            {
                if (_owner == null)
                {
                    return;
                }

                lock (_owner._lock)
                {
                    var now = _owner._now();
                    if (RoundTrip == null && (SentAt == null || now > SentAt.Value))
                    {
                        SentAt = now;
                    }
                }
            }

            /// <summary>The answer (or the failure of the connection) has come: the round trip is known.</summary>
            public void Answered()
            {
                if (_owner == null)
                {
                    return;
                }

                lock (_owner._lock)
                {
                    if (SentAt == null || RoundTrip != null)
                    {
                        return;
                    }

                    var rtt = _owner._now() - SentAt.Value;
                    RoundTrip = rtt < TimeSpan.Zero ? TimeSpan.Zero : rtt;
                    if (RoundTrip.Value < _owner._fastest)
                    {
                        _owner._fastest = RoundTrip.Value;
                    }
                }
            }

            public void Dispose()
            {
                if (_owner == null)
                {
                    return;
                }

                lock (_owner._lock)
                {
                    if (SentAt == null)
                    {
                        _owner._log.Remove(this);
                    }
                }

                Answered();
            }

            /// <summary>When the place comes free (null while the request is unsent or unanswered).</summary>
            internal DateTime? FreeAt(RateLimiter l)
                => SentAt == null || RoundTrip == null ? (DateTime?)null
                    : SentAt.Value + l._window + (l._fastest == TimeSpan.MaxValue ? TimeSpan.Zero : RoundTrip.Value - l._fastest);
        }

        private static readonly Permit Unlimited = new Permit(null);

        /// <summary>Waits for a permit and counts the request as sent at once, with no round trip to learn from.</summary>
        public Task WaitAsync(CancellationToken ct) => AcquireAsync(ct, sentAtGrant: true);

        /// <summary>
        /// Waits for a permit. Callers queue for their turn and only the first one sleeps until its permit is due, so a permit
        /// costs one timer however many callers wait (when every waiter slept and woke for each permit, 64 callers reached only
        /// about 80 of 150 per second on two cores). The permit is taken when the caller wakes, so a late timer never bunches
        /// requests into one window; the caller stamps it with <see cref="Permit.Sent"/> and <see cref="Permit.Answered"/>.
        /// </summary>
        public Task<Permit> AcquireAsync(CancellationToken ct) => AcquireAsync(ct, sentAtGrant: false);

        private async Task<Permit> AcquireAsync(CancellationToken ct, bool sentAtGrant)
        {
            if (_limit == 0)
            {
                return Unlimited;
            }

            await _turn.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                while (true)
                {
                    TimeSpan wait;
                    lock (_lock)
                    {
                        var now = _now();
                        _log.RemoveAll(p => p.FreeAt(this) <= now);
                        if (_refilled != DateTime.MinValue)
                        {
                            _tokens = Math.Min(_bucket, _tokens + (now - _refilled).TotalSeconds * _perSecond);
                        }

                        _refilled = now;
                        if (_log.Count < _limit && _tokens >= 1)
                        {
                            var permit = new Permit(this);
                            if (sentAtGrant)
                            {
                                permit.SentAt = now;
                                permit.RoundTrip = _fastest == TimeSpan.MaxValue ? TimeSpan.Zero : _fastest;
                            }
                            _log.Add(permit);
                            _tokens -= 1;
                            return permit;
                        }
                        var tokenDue = TimeSpan.FromSeconds(Math.Max(0, 1 - _tokens) / _perSecond);
                        if (_log.Count < _limit)
                        {
                            wait = tokenDue;
                        }
                        else
                        {
                            // the first place to come free; none while every one is still on its way (look again shortly)
                            var free = _log.Select(p => p.FreeAt(this)).Where(t => t.HasValue).Select(t => t.Value).DefaultIfEmpty(DateTime.MaxValue).Min();
                            wait = free == DateTime.MaxValue ? Poll : free - now;
                        }
                        if (tokenDue > wait)
                        {
                            wait = tokenDue;
                        }
                    }
                    await _delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                _turn.Release();
            }
        }
    }
}
