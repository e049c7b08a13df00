using System;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Remote
{
    /// <summary>
    /// One load shared by every caller: callers that arrive while it is in flight wait for the same load, and its result is
    /// cached until a caller asks for a reload (which also joins a load already in flight rather than starting another).
    /// A failed or cancelled load is not cached. The load itself is not tied to one caller's cancellation (others may be
    /// waiting for it); a caller that is cancelled stops waiting.
    /// </summary>
    public sealed class SingleFlight<T>
    {
        private readonly Func<Task<T>> _load;
        private readonly object _lock = new object();
        private Task<T> _task;

        public SingleFlight(Func<Task<T>> load)
        {
            _load = load ?? throw new ArgumentNullException(nameof(load));
        }

        /// <summary>Loads started so far (for tests).</summary>
        public int Loads { get; private set; }

        /// <summary>When the current load started (UTC; MinValue before the first): a caller that began after it may want a fresher copy.</summary>
        public DateTime StartedUtc { get; private set; } = DateTime.MinValue;

        public Task<T> Current()
        {
            lock (_lock)
            {
                return Start(false);
            }
        }

        private Task<T> Start(bool reload)
        {
            var t = _task;
            var usable = t != null && !t.IsFaulted && !t.IsCanceled;
            if (usable && (!reload || !t.IsCompleted))
            {
                return t;
            }

            Loads++;
            StartedUtc = DateTime.UtcNow;
            return _task = Task.Run(_load);
        }

        /// <summary>The cached result, or a load started at or after <paramref name="since"/> (joining one in flight that did).</summary>
        public Task<T> GetFreshAsync(DateTime since, CancellationToken ct)
        {
            lock (_lock)
            {
                if (_task != null && StartedUtc >= since)
                {
                    return GetAsync(ct);
                }
            }

            return GetAsync(ct, reload: true);
        }

        public async Task<T> GetAsync(CancellationToken ct, bool reload = false)
        {
            Task<T> t;
            lock (_lock)
            {
                t = Start(reload);
            }

            if (t.IsCompleted || !ct.CanBeCanceled)
            {
                return await t.ConfigureAwait(false);
            }

            var cancelled = new TaskCompletionSource<bool>();
            using (ct.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(t, cancelled.Task).ConfigureAwait(false) != t)
                {
                    throw new OperationCanceledException(ct);
                }
            }

            return await t.ConfigureAwait(false);
        }
    }
}
