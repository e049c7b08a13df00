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
    /// <summary>Counts the distinct questions one domain's checks ask (through the shared run cache).</summary>
    internal sealed class CountingResolver : IDnsResolver
    {
        private readonly IDnsResolver _inner;
        private readonly ConcurrentDictionary<string, byte> _asked = new ConcurrentDictionary<string, byte>(StringComparer.OrdinalIgnoreCase);
        public CountingResolver(IDnsResolver inner)
        {
            _inner = inner;
        }
        public int Asked => _asked.Count;
        private void Note(string key) => _asked.TryAdd(key, 0);
        public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct)
        {
            Note("TXT " + name.TrimEnd('.'));
            return _inner.TxtAsync(name, ct);
        }
        public Task<DnsAnswer<IPAddress>> AddressAsync(string name, bool ipv6, CancellationToken ct)
        {
            Note((ipv6 ? "AAAA " : "A ") + name.TrimEnd('.'));
            return _inner.AddressAsync(name, ipv6, ct);
        }
        public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct)
        {
            Note("MX " + name.TrimEnd('.'));
            return _inner.MxAsync(name, ct);
        }
        public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct)
        {
            Note("PTR " + address);
            return _inner.PtrAsync(address, ct);
        }
        public Task<DnsAnswer<string>> CnameAsync(string name, CancellationToken ct)
        {
            Note("CNAME " + name.TrimEnd('.'));
            return _inner.CnameAsync(name, ct);
        }
        public Task<DnsAnswer<string>> QueryAsync(string name, string type, CancellationToken ct)
        {
            Note(type.ToUpperInvariant() + " " + name.TrimEnd('.'));
            return _inner.QueryAsync(name, type, ct);
        }
        public Task<DnsAnswer<string>> TlsaAsync(string name, CancellationToken ct)
        {
            Note("TLSA " + name.TrimEnd('.'));
            return _inner.TlsaAsync(name, ct);
        }
        public Task<DnsAnswer<string>> SoaAsync(string name, CancellationToken ct)
        {
            Note("SOA " + name.TrimEnd('.'));
            return _inner.SoaAsync(name, ct);
        }
    }
}
