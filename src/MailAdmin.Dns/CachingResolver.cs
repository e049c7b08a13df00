using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Dns
{
    /// <summary>
    /// One cache per run: each name and type is asked once, however many checks and domains need it (answers that several
    /// domains share, such as a common SPF include, come from the cache). It holds at most <see cref="Capacity"/> answers,
    /// dropping the oldest first, so a run over any number of domains keeps flat memory; an answer dropped and needed again
    /// is asked again.
    /// </summary>
    public sealed class CachingResolver : IDnsResolver
    {
        /// <summary>The default size: many times the questions of the domains -ThrottleLimit allows in flight at once
        /// (256 x about 30), so a domain's own answers stay while it is checked.</summary>
        public const int DefaultCapacity = 16384;

        private readonly IDnsResolver _inner;
        private readonly ConcurrentDictionary<string, object> _cache = new ConcurrentDictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentQueue<string> _age = new ConcurrentQueue<string>();
        private int _queries, _count;

        public CachingResolver(IDnsResolver inner, int capacity = DefaultCapacity)
        {
            _inner = inner;
            Capacity = capacity;
        }

        /// <summary>Questions that went to the network.</summary>
        public int Queries => _queries;

        public int Capacity { get; }

        /// <summary>Answers held now.</summary>
        public int Count => Volatile.Read(ref _count);

        private Task<DnsAnswer<T>> Get<T>(string key, Func<Task<DnsAnswer<T>>> ask)
        {
            if (_cache.TryGetValue(key, out var held))
            {
                return ((Lazy<Task<DnsAnswer<T>>>)held).Value;
            }

            // Lazy: when two checks ask at once, one question goes out and both wait for it
            var mine = new Lazy<Task<DnsAnswer<T>>>(() =>
            {
                Interlocked.Increment(ref _queries);
                return ask();
            });
            var got = (Lazy<Task<DnsAnswer<T>>>)_cache.GetOrAdd(key, mine);
            if (ReferenceEquals(got, mine))
            {
                _age.Enqueue(key);
                if (Interlocked.Increment(ref _count) > Capacity)
                {
                    DropOldest();
                }
            }
            return got.Value;
        }

        private void DropOldest()
        {
            while (Volatile.Read(ref _count) > Capacity && _age.TryDequeue(out var oldest))
            {
                if (_cache.TryRemove(oldest, out _))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }

        public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct) => Get("TXT " + name.TrimEnd('.'), () => _inner.TxtAsync(name, ct));
        public Task<DnsAnswer<IPAddress>> AddressAsync(string name, bool ipv6, CancellationToken ct) => Get(
            (ipv6 ? "AAAA " : "A ") + name.TrimEnd('.'),
            () => _inner.AddressAsync(name, ipv6, ct));
        public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct) => Get("MX " + name.TrimEnd('.'), () => _inner.MxAsync(name, ct));
        public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct) => Get("PTR " + address, () => _inner.PtrAsync(address, ct));
        public Task<DnsAnswer<string>> CnameAsync(string name, CancellationToken ct) => Get("CNAME " + name.TrimEnd('.'), () => _inner.CnameAsync(name, ct));
        public Task<DnsAnswer<string>> QueryAsync(string name, string type, CancellationToken ct) => Get(
            type.ToUpperInvariant() + " " + name.TrimEnd('.'),
            () => _inner.QueryAsync(name, type, ct));
        public Task<DnsAnswer<string>> TlsaAsync(string name, CancellationToken ct) => Get("TLSA " + name.TrimEnd('.'), () => _inner.TlsaAsync(name, ct));
        public Task<DnsAnswer<string>> SoaAsync(string name, CancellationToken ct) => Get("SOA " + name.TrimEnd('.'), () => _inner.SoaAsync(name, ct));
    }
}
