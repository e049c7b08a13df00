using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailAdmin.Dns.Checks;
using MailAdmin.Models;
using Xunit;

namespace MailAdmin.Dns.Tests;

/// <summary>Issue 12, item 7: the MTA-STS and BIMI fetches cannot hang, stop on Ctrl+C, and stay off private networks unless allowed.</summary>
public sealed class FetchLimitsTests : IDisposable
{
    // accepts TCP and never answers (a TLS handshake that never completes)
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = new();
    public FetchLimitsTests()
    {
        _silent.Start();
        _ = Task.Run(async () => { try { while (true) { var c = await _silent.AcceptTcpClientAsync(); lock (_held) _held.Add(c); } } catch (Exception) { } });
    }
    public void Dispose() { _silent.Stop(); lock (_held) foreach (var c in _held) c.Dispose(); }
    private int Port => ((IPEndPoint)_silent.LocalEndpoint).Port;

    private static ZoneResolver Zone(string host, IPAddress ip)
    {
        var z = new ZoneResolver();
        z[host].A.Add(ip);
        return z;
    }

    [Fact]
    public async Task A_policy_host_that_never_answers_the_handshake_times_out()
    {
        var fetcher = new MtaStsFetcher(Zone("mta-sts.hang.test", IPAddress.Loopback)) { Port = Port, Timeout = TimeSpan.FromSeconds(2), AllowPrivateAddresses = true };
        var sw = Stopwatch.StartNew();
        var task = fetcher.GetAsync("mta-sts.hang.test", "/.well-known/mta-sts.txt", default);
        Assert.Same(task, await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(15))));
        var r = await task;
        Assert.NotNull(r.Error);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task Stopping_ends_a_handshake_that_never_completes()
    {
        var fetcher = new MtaStsFetcher(Zone("mta-sts.hang.test", IPAddress.Loopback)) { Port = Port, Timeout = TimeSpan.FromMinutes(5), AllowPrivateAddresses = true };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var task = fetcher.GetAsync("mta-sts.hang.test", "/.well-known/mta-sts.txt", cts.Token);
        Assert.Same(task, await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(15))));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Fact]
    public async Task A_policy_host_on_a_private_address_is_refused_by_default()
    {
        var fetcher = new MtaStsFetcher(Zone("mta-sts.lan.test", IPAddress.Loopback)) { Port = Port, Timeout = TimeSpan.FromSeconds(30) };
        var sw = Stopwatch.StartNew();
        var r = await fetcher.GetAsync("mta-sts.lan.test", "/.well-known/mta-sts.txt", default);
        Assert.Contains("not reachable from the internet", r.Error);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
        lock (_held) Assert.Empty(_held); // not even connected
    }

    [Fact]
    public async Task A_bimi_logo_on_a_private_address_is_not_fetched()
    {
        var zone = Zone("logo.lan.test", IPAddress.Parse("127.0.0.1"));
        var sink = new CheckSink();
        await new BimiFetcher(zone).CheckAsync("lan.test", $"https://logo.lan.test:{Port}/admin/logo.svg", null, sink, default);
        Assert.Contains(sink.Checks, c => c.Id == MailCheckId.BimiSvg && c.Summary.Contains("not reachable from the internet"));
        lock (_held) Assert.Empty(_held);
    }
}
