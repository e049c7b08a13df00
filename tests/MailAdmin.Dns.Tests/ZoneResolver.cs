using System.Net;
using System.Net.Sockets;
using MailAdmin.Dns;

namespace MailAdmin.Dns.Tests;

/// <summary>
/// Serves a test scenario's zone data through the resolver abstraction, as the openspf suite's drivers do: names are
/// case-insensitive, CNAMEs are followed, TIMEOUT makes every question about the name time out, and SPF (type 99)
/// records are served as TXT when the name has no TXT records of its own (unless it says "TXT: NONE").
/// </summary>
public sealed class ZoneResolver : IDnsResolver
{
    public sealed class Node
    {
        public bool Timeout;
        public bool TxtNone;
        public readonly List<string> Txt = new();
        public readonly List<string> Spf = new();
        public readonly List<IPAddress> A = new();
        public readonly List<IPAddress> Aaaa = new();
        public readonly List<MxRecord> Mx = new();
        public readonly List<string> Ptr = new();
        public string Cname;

        /// <summary>Records of other types by type name (NS, CAA, DS, TLSA, SOA, SRV, SPF), as presentation text.</summary>
        public readonly Dictionary<string, List<string>> Records = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Answers about this name come back DNSSEC-signed and validated (AD).</summary>
        public bool Authenticated;

        /// <summary>An extended DNS error carried by every answer about this name (e.g. "6 DNSSEC Bogus").</summary>
        public string ExtendedError;

        /// <summary>The records of one other type (added to on first use).</summary>
        public List<string> Of(string type)
        {
            if (!Records.TryGetValue(type, out var list)) Records[type] = list = new List<string>();
            return list;
        }
    }

    private readonly Dictionary<string, Node> _nodes = new(StringComparer.OrdinalIgnoreCase);
    public int Queries { get; private set; }

    /// <summary>Every question asked, as "TYPE name", in order.</summary>
    public List<string> Asked { get; } = new();

    public Node this[string name]
    {
        get
        {
            name = name.TrimEnd('.');
            if (!_nodes.TryGetValue(name, out var n)) _nodes[name] = n = new Node();
            return n;
        }
    }

    private List<string> _aliases = new();

    private (DnsStatus status, Node node) Find(string name)
    {
        Queries++;
        _aliases = new List<string>();
        name = name.TrimEnd('.');
        for (var hops = 0; hops < 10; hops++)
        {
            if (!_nodes.TryGetValue(name, out var n)) return (DnsStatus.NxDomain, null);
            if (n.Cname == null) return (DnsStatus.NoError, n);
            name = n.Cname.TrimEnd('.');
            _aliases.Add(name);
        }
        return (DnsStatus.ServerFailure, null); // CNAME loop
    }

    // A TIMEOUT entry makes the questions time out for which the name lists no records (so "TXT: NONE" + TIMEOUT
    // is a TXT time-out, while a name with TXT records and TIMEOUT only times out for types it does not list).
    private Task<DnsAnswer<T>> Answer<T>(DnsStatus s, IReadOnlyCollection<T> records, Node n)
    {
        if (n != null && n.Timeout && (records == null || records.Count == 0))
        {
            return Task.FromResult(new DnsAnswer<T>(DnsStatus.Timeout, null));
        }

        return Task.FromResult(new DnsAnswer<T>(
            s,
            records?.ToList(),
            authenticated: n?.Authenticated == true,
            extendedError: n?.ExtendedError,
            aliases: _aliases,
            signed: n?.Authenticated == true));
    }

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct)
    {
        Asked.Add("TXT " + name);
        var (s, n) = Find(name);
        if (n == null) return Answer<string>(s, null, null);
        var txt = n.Txt.Count > 0 || n.TxtNone ? n.Txt : n.Spf;
        return Answer(s, txt, n);
    }

    public Task<DnsAnswer<IPAddress>> AddressAsync(string name, bool ipv6, CancellationToken ct)
    {
        Asked.Add((ipv6 ? "AAAA " : "A ") + name);
        var (s, n) = Find(name);
        return Answer(s, n == null ? null : ipv6 ? n.Aaaa : n.A, n);
    }

    public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct)
    {
        Asked.Add("MX " + name);
        var (s, n) = Find(name);
        return Answer(s, n?.Mx, n);
    }

    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct)
    {
        var (s, n) = Find(ReverseName(address));
        return Answer(s, n?.Ptr, n);
    }

    public Task<DnsAnswer<string>> CnameAsync(string name, CancellationToken ct)
    {
        Asked.Add("CNAME " + name);
        Queries++;
        if (!_nodes.TryGetValue(name.TrimEnd('.'), out var n)) return Answer<string>(DnsStatus.NxDomain, null, null);
        return Answer(DnsStatus.NoError, n.Cname == null ? new List<string>() : new List<string> { n.Cname.TrimEnd('.') }, null);
    }

    public Task<DnsAnswer<string>> QueryAsync(string name, string type, CancellationToken ct)
    {
        Asked.Add(type + " " + name);
        return Other(name, type);
    }

    public Task<DnsAnswer<string>> TlsaAsync(string name, CancellationToken ct)
    {
        Asked.Add("TLSA " + name);
        return Other(name, "TLSA");
    }

    public Task<DnsAnswer<string>> SoaAsync(string name, CancellationToken ct)
    {
        Asked.Add("SOA " + name);
        return Other(name, "SOA");
    }

    private Task<DnsAnswer<string>> Other(string name, string type)
    {
        var (s, n) = Find(name);
        if (n == null) return Answer<string>(s, null, null);
        return Answer(s, n.Records.TryGetValue(type, out var list) ? list : new List<string>(), n);
    }

    public static string ReverseName(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        if (ip.AddressFamily == AddressFamily.InterNetwork) return $"{b[3]}.{b[2]}.{b[1]}.{b[0]}.in-addr.arpa";
        var nibbles = new List<string>();
        foreach (var x in b.Reverse()) { nibbles.Add("0123456789abcdef"[x & 15].ToString()); nibbles.Add("0123456789abcdef"[x >> 4].ToString()); }
        return string.Join(".", nibbles) + ".ip6.arpa";
    }
}
