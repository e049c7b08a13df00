using System.Net;
using MailAdmin.Models;
using Xunit;
using static MailAdmin.Dns.Tests.Checks.CheckFixtures;

namespace MailAdmin.Dns.Tests.Checks;

/// <summary>The SMTP check (src/MailAdmin.Dns/Checks/Smtp) on in-memory zones: which MX addresses -ProbeSmtp talks to. What the
/// probe finds there (greeting, EHLO, STARTTLS, certificates, TLS versions and ciphers, relay, DANE match) needs a server:
/// tests/MailAdmin.Transport.Tests and tests/Pester/ProbeSmtp.Tests.ps1.</summary>
public class SmtpChecksTests
{
    private static ZoneResolver PrivateMx()
    {
        var z = Good();
        z["mx1.example.com"].A[0] = IPAddress.Parse("10.0.0.25");
        z["mx2.example.com"].A[0] = IPAddress.Parse("192.168.0.25");
        return z;
    }

    [Fact]
    public async Task Private_mx_addresses_are_not_probed()
    {
        var rows = (await RunAsync(PrivateMx(), o => o.ProbeSmtp = true)).Where(c => c.Id == MailCheckId.SmtpReachable).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(MailCheckStatus.Info, r.Status));
        Assert.Contains(rows, r => r.Summary.Contains("10.0.0.25", StringComparison.Ordinal) && r.Summary.Contains("not probed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_is_probed_without_probe_smtp_or_under_a_null_mx()
    {
        NoRow(await RunAsync(PrivateMx()), MailCheckId.SmtpReachable);
        var z = PrivateMx();
        z[Domain].Mx.Clear();
        z[Domain].Mx.Add(new MxRecord(0, "."));
        NoRow(await RunAsync(z, o => o.ProbeSmtp = true), MailCheckId.SmtpReachable);
    }

    [Fact]
    public async Task Probe_smtp_asks_tlsa_for_each_mx_host_even_in_an_unsigned_zone()
    {
        var z = PrivateMx();
        await RunAsync(z, o => o.ProbeSmtp = true);
        Assert.Contains("TLSA _25._tcp.mx1.example.com", z.Asked);
        Assert.Contains("TLSA _25._tcp.mx2.example.com", z.Asked);
    }
}
