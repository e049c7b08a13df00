using System.Net;
using MailAdmin.Dns;
using MailAdmin.Dns.Checks;
using MailAdmin.Dns.Tests;
using MailAdmin.Models;
using MailAdmin.Transport;
using Xunit;

namespace MailAdmin.Transport.Tests;

/// <summary>Issue 12, item 6: DNS data never becomes a command-line option, and a hostile MX name never stops a run.</summary>
public sealed class HostileDnsTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ma-dns-" + Guid.NewGuid().ToString("n"))).FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    /// <summary>A stand-in for openssl that writes each argument it got on a line of its own.</summary>
    private string FakeOpenSsl()
    {
        var path = Path.Combine(_dir, "openssl");
        File.WriteAllText(path, $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{_dir}/argv'; done\ncat >/dev/null\n");
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        return path;
    }

    [Fact]
    public async Task Openssl_gets_the_host_name_as_one_argument()
    {
        await new OpenSslProbe { Timeout = TimeSpan.FromSeconds(5) }.HandshakeAsync(FakeOpenSsl(), "mx.contoso.test", IPAddress.Loopback, 25, "DHE", default);
        Assert.Equal(new[] { "s_client", "-connect", "127.0.0.1:25", "-servername", "mx.contoso.test", "-starttls", "smtp", "-tls1_2", "-cipher", "DHE" },
            File.ReadAllLines(Path.Combine(_dir, "argv")));
    }

    [Fact]
    public async Task An_mx_name_with_spaces_never_adds_openssl_options()
    {
        var hostile = "mx.evil.test -sess_out " + Path.Combine(_dir, "pwned");
        await new OpenSslProbe { Timeout = TimeSpan.FromSeconds(5) }.HandshakeAsync(FakeOpenSsl(), hostile, IPAddress.Loopback, 25, null, default);
        var argv = Path.Combine(_dir, "argv");
        Assert.False(File.Exists(argv) && File.ReadAllLines(argv).Contains("-sess_out"), "the MX name became an openssl option");
    }

    [Fact]
    public async Task The_smtp_probe_reports_a_hostile_mx_name_instead_of_throwing()
    {
        using var srv = new LoopbackSmtpServer();
        var e = await Record.ExceptionAsync(() => new SmtpProbe { Port = srv.Port, ScanCiphers = false, Timeout = TimeSpan.FromSeconds(2) }.ProbeAsync("evil.test", "mx /x.evil.test", IPAddress.Loopback, new string[0], default));
        Assert.Null(e);
    }

    [Fact]
    public async Task Hostile_mx_names_are_reported_and_never_probed()
    {
        var zone = new ZoneResolver();
        zone["evil.test"].Mx.Add(new MxRecord(10, "mx.evil.test -sess_out /tmp/pwned"));
        zone["evil.test"].Mx.Add(new MxRecord(20, "mx /x.evil.test"));
        zone["evil.test"].Mx.Add(new MxRecord(30, "good.evil.test"));
        zone["mx.evil.test -sess_out /tmp/pwned"].A.Add(IPAddress.Loopback);
        zone["mx /x.evil.test"].A.Add(IPAddress.Loopback);
        zone["good.evil.test"].A.Add(IPAddress.Loopback);
        // the real probe against a closed loopback port: it reports each host it tried to reach
        var report = await new DomainChecker(zone) { AllowPrivateAddresses = true }.CheckAsync("evil.test", new DomainCheckOptions
        {
            ProbeSmtp = true,
            SmtpPort = 1,
            FetchMtaStsPolicy = false,
        }, default);
        var probed = report.Checks.Where(c => c.Id == MailCheckId.SmtpReachable).Select(c => c.Summary).ToList();
        Assert.NotEmpty(probed);
        Assert.All(probed, summary => Assert.Contains("good.evil.test", summary));
        Assert.Contains(report.Checks, c => c.Status == MailCheckStatus.Fail && c.Summary.Contains("not a valid host name") && c.Summary.Contains("-sess_out"));
    }
}
