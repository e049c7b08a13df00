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
            if (perSecond <= 0 || double.IsInfinity(perSecond))
            {
                _limit = 0;
                return;
            }
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
            if (_limit == 0)
            {
                return;
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
                        while (_granted.Count > 0 && now - _granted.Peek() >= _window)
                        {
                            _granted.Dequeue();
                        }

                        if (_refilled != DateTime.MinValue)
                        {
                            _tokens = Math.Min(_bucket, _tokens + (now - _refilled).TotalSeconds * _perSecond);
                        }

                        _refilled = now;
                        if (_granted.Count < _limit && _tokens >= 1)
                        {
                            _granted.Enqueue(now);
                            _tokens -= 1;
                            return;
                        }
                        var tokenDue = TimeSpan.FromSeconds(Math.Max(0, 1 - _tokens) / _perSecond);
                        wait = _granted.Count < _limit ? tokenDue : _granted.Peek() + _window - now;
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
