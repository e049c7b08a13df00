using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailAdmin.Errors;

namespace MailAdmin.Dns
{
    /// <summary>One cache per run: each name and type is asked once, however many checks and domains need it.</summary>
    public sealed class CachingResolver : IDnsResolver
    {
        private readonly IDnsResolver _inner;
        private readonly ConcurrentDictionary<string, object> _cache = new ConcurrentDictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        private int _queries;

        public CachingResolver(IDnsResolver inner)
        {
            _inner = inner;
        }
        /// <summary>Questions that went to the network.</summary>
        public int Queries => _queries;

        private Task<DnsAnswer<T>> Get<T>(string key, Func<Task<DnsAnswer<T>>> ask)
            => (Task<DnsAnswer<T>>)_cache.GetOrAdd(key, _ =>
            {
                Interlocked.Increment(ref _queries);
                return ask();
            });

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
