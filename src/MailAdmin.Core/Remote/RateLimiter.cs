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
    /// At most <c>rate</c> requests in any window of one second (plus a small margin): the same rule the providers state
    /// ("40 calls per second") and their servers count in a sliding window, by the time each request reaches them. A window log
    /// rather than even spacing: even spacing loses a few percent to timer lateness on every request, while the log lets a late
    /// request's successor go at once without ever putting more than <c>rate</c> requests into one second.
    /// The log holds the times requests were <em>sent</em>, not the times their permits were granted: a permit
    /// (<see cref="AcquireAsync"/>) holds its place in the window until <see cref="Permit.Sent"/> stamps it, so a request that
    /// is held up between its permit and the wire (a busy thread, a connection being opened) moves its place in the window with
    /// it instead of arriving inside the next second's allowance.
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
        /// <summary>Permits in the window: sent ones until a window after they were sent, unsent ones until they are.</summary>
        private readonly List<Permit> _log = new List<Permit>();
        private readonly object _lock = new object();
        /// <summary>Whose turn it is: waiting callers queue here, and only the first one watches the clock.</summary>
        private readonly SemaphoreSlim _turn = new SemaphoreSlim(1, 1);

        private readonly Func<DateTime> _now = () => DateTime.UtcNow;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay = Task.Delay;

        /// <summary>While every place in the window is held by a permit not yet sent, the waiter looks again this often.</summary>
        private static readonly TimeSpan UnsentPoll = TimeSpan.FromMilliseconds(5);

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
            // the margin absorbs what is left between the send stamped here and the arrival there (the socket write, the
            // server's own scheduling): 25 ms, 2.5% of the rate (50 ms cost 5%, which kept bulk runs under 90% of the limit)
            var jitter = TimeSpan.FromMilliseconds(25);
            _window = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond * (_limit / perSecond))) + (margin ?? jitter);
            _perSecond = perSecond;
            _bucket = Math.Max(1, Math.Min(10, Math.Floor(perSecond / 10)));
            _tokens = 1;
        }

        /// <summary>
        /// One request's place in the window. It counts from <see cref="Sent"/> (the latest call wins); until then it holds its
        /// place whatever the time. Disposing a permit that was never sent gives its place back (the request never left).
        /// </summary>
        public sealed class Permit : IDisposable
        {
            private readonly RateLimiter _owner;
            internal DateTime? SentAt;

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
                    if (SentAt == null || now > SentAt.Value)
                    {
                        SentAt = now;
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
            }
        }

        private static readonly Permit Unlimited = new Permit(null);

        /// <summary>Waits for a permit and counts the request as sent at once (for callers that send right away).</summary>
        public Task WaitAsync(CancellationToken ct) => AcquireAsync(ct, sentAtGrant: true);

        /// <summary>
        /// Waits for a permit. Callers queue for their turn and only the first one sleeps until its permit is due, so a permit
        /// costs one timer however many callers wait (when every waiter slept and woke for each permit, 64 callers reached only
        /// about 80 of 150 per second on two cores). The permit is taken when the caller wakes, so a late timer never bunches
        /// requests into one window; the caller stamps it with <see cref="Permit.Sent"/> when the request goes out.
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
                        _log.RemoveAll(p => p.SentAt.HasValue && now - p.SentAt.Value >= _window);
                        if (_refilled != DateTime.MinValue)
                        {
                            _tokens = Math.Min(_bucket, _tokens + (now - _refilled).TotalSeconds * _perSecond);
                        }

                        _refilled = now;
                        if (_log.Count < _limit && _tokens >= 1)
                        {
                            var permit = new Permit(this) { SentAt = sentAtGrant ? now : (DateTime?)null };
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
                            // the first place to come free: the earliest sent one, a window after it was sent
                            var sent = _log.Where(p => p.SentAt.HasValue).Select(p => p.SentAt.Value).DefaultIfEmpty(DateTime.MaxValue).Min();
                            wait = sent == DateTime.MaxValue ? UnsentPoll : sent + _window - now;
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
