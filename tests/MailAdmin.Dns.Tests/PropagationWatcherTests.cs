using System.Net;
using MailAdmin.Dns;
using MailAdmin.Dns.Propagation;
using MailAdmin.Errors;
using Xunit;

namespace MailAdmin.Dns.Tests;

public class PropagationWatcherTests
{
    /// <summary>Answers from dictionaries keyed "TYPE name"; anything else is NXDOMAIN.</summary>
    private sealed class Stub : IDnsResolver
    {
        public readonly Dictionary<string, List<string>> Text = new(StringComparer.OrdinalIgnoreCase);
        public readonly Dictionary<string, List<IPAddress>> Addresses = new(StringComparer.OrdinalIgnoreCase);
        public readonly Dictionary<string, List<MxRecord>> Mx = new(StringComparer.OrdinalIgnoreCase);
        private static Task<DnsAnswer<T>> A<T>(List<T> v) => Task.FromResult(new DnsAnswer<T>(v == null ? DnsStatus.NxDomain : DnsStatus.NoError, v ?? new List<T>()));
        public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct) => A(Text.GetValueOrDefault("TXT " + name));
        public Task<DnsAnswer<IPAddress>> AddressAsync(string name, bool ipv6, CancellationToken ct) => A(Addresses.GetValueOrDefault((ipv6 ? "AAAA " : "A ") + name));
        public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct) => A(Mx.GetValueOrDefault("MX " + name));
        public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct) => A<string>(null);
        public Task<DnsAnswer<string>> CnameAsync(string name, CancellationToken ct) => A(Text.GetValueOrDefault("CNAME " + name));
        public Task<DnsAnswer<string>> TlsaAsync(string name, CancellationToken ct) => A<string>(null);
        public Task<DnsAnswer<string>> QueryAsync(string name, string type, CancellationToken ct) => A(Text.GetValueOrDefault(type + " " + name));
        public Task<DnsAnswer<string>> SoaAsync(string name, CancellationToken ct) => A<string>(null);
    }

    [Fact]
    public async Task Finds_the_zones_name_servers_from_ns_and_their_addresses()
    {
        var s = new Stub();
        s.Text["NS contoso.cn"] = new() { "ns1.dns.example", "ns2.dns.example" };
        s.Addresses["A ns1.dns.example"] = new() { IPAddress.Parse("192.0.2.1") };
        s.Addresses["A ns2.dns.example"] = new() { IPAddress.Parse("192.0.2.2") };
        s.Addresses["AAAA ns2.dns.example"] = new() { IPAddress.Parse("2001:db8::2") };
        var servers = await new PropagationWatcher(s, TimeSpan.FromSeconds(1)).FindNameServersAsync("contoso.cn", CancellationToken.None);
        Assert.Equal(new[] { "192.0.2.1:53", "192.0.2.2:53", "[2001:db8::2]:53" }, servers.Select(e => e.ToString()));
    }

    [Fact]
    public async Task A_zone_without_ns_is_a_typed_error_naming_it()
    {
        var e = await Assert.ThrowsAsync<MailAdminException>(() => new PropagationWatcher(new Stub(), TimeSpan.FromSeconds(1)).FindNameServersAsync("nosuch.cn", CancellationToken.None));
        Assert.Equal("DnsZoneNameServersNotFound", e.ErrorId);
        Assert.Contains("nosuch.cn", e.Message);
    }

    [Fact]
    public async Task Compares_what_a_server_answers_with_the_published_record()
    {
        var s = new Stub();
        s.Text["TXT _dmarc.contoso.cn"] = new() { "v=DMARC1;  p=quarantine" };
        s.Mx["MX contoso.cn"] = new() { new MxRecord(10, "MX1.contoso.cn") };
        s.Text["SRV _imaps._tcp.contoso.cn"] = new() { "0 1 993 mx1.contoso.cn" };
        async Task<bool> Seen(string name, string type, string value, int? prio = null)
            => (await PropagationWatcher.AskAsync(s, new PropagationRecord { Zone = "contoso.cn", Name = name, Type = type, Value = value, Priority = prio }, CancellationToken.None)).seen;
        Assert.True(await Seen("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=quarantine"));
        Assert.False(await Seen("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=reject"));
        Assert.True(await Seen("contoso.cn", "MX", "mx1.contoso.cn.", 10));
        Assert.False(await Seen("contoso.cn", "MX", "mx1.contoso.cn", 20));
        Assert.True(await Seen("_imaps._tcp.contoso.cn", "SRV", "1 993 mx1.contoso.cn", 0));
        var missing = await PropagationWatcher.AskAsync(s, new PropagationRecord { Name = "x.contoso.cn", Type = "TXT", Value = "v" }, CancellationToken.None);
        Assert.False(missing.seen);
        Assert.Equal(new[] { "NxDomain" }, missing.values);
    }
}
