using System.Net;
using MailAdmin.Models;
using Xunit;
using static MailAdmin.Dns.Tests.Checks.CheckFixtures;

namespace MailAdmin.Dns.Tests.Checks;

/// <summary>The mail-client checks (src/MailAdmin.Dns/Checks/Client): configuration aliases and RFC 6186 SRV records, asked only
/// with -Thorough or -ProbeSmtp, on in-memory zones. Probing the ports themselves (TLS on a routable address) is tested in
/// tests/Pester/ProbeSmtp.Tests.ps1.</summary>
public class ClientChecksTests
{
    private static ZoneResolver Clients()
    {
        var z = Good();
        z["autodiscover.example.com"].Cname = "autodiscover.outlook.com";
        z["autodiscover.outlook.com"].A.Add(IPAddress.Parse("52.96.0.1"));
        z["_submissions._tcp.example.com"].Of("SRV").Add("0 1 465 mail.example.com");
        z["_imaps._tcp.example.com"].Of("SRV").Add("0 1 993 mail.example.com");
        z["mail.example.com"].A.Add(IPAddress.Parse("10.9.8.7"));
        return z;
    }

    [Fact]
    public async Task Client_records_and_type_99_are_asked_only_when_thorough()
    {
        var z = Clients();
        var checks = await RunAsync(z);
        Assert.DoesNotContain(z.Asked, q => q.StartsWith("SRV ", StringComparison.Ordinal) || q.StartsWith("SPF ", StringComparison.Ordinal));
        Assert.DoesNotContain(z.Asked, q => q.Contains("autodiscover", StringComparison.Ordinal));
        NoRow(checks, MailCheckId.ClientSrv);
        NoRow(checks, MailCheckId.Autodiscover);

        var thorough = Clients();
        await RunAsync(thorough, o => o.Thorough = true);
        Assert.Contains(thorough.Asked, q => q.StartsWith("SRV _submissions._tcp.", StringComparison.Ordinal));
        Assert.Contains(thorough.Asked, q => q == "SPF example.com");
        Assert.Contains(thorough.Asked, q => q == "A autodiscover.example.com");
    }

    [Fact]
    public async Task Aliases_and_implicit_tls_srv_records_are_reported_when_thorough()
    {
        var checks = await RunAsync(Clients(), o => o.Thorough = true);
        Assert.Contains("autodiscover.example.com -> autodiscover.outlook.com", Row(checks, MailCheckId.Autodiscover, MailCheckStatus.Info).Records);
        Assert.Contains("submissions", Row(checks, MailCheckId.ClientSrv, MailCheckStatus.Pass).Summary, StringComparison.Ordinal);
        NoRow(checks, MailCheckId.DanglingCname);
        NoRow(checks, MailCheckId.ClientPorts);
    }

    [Fact]
    public async Task Starttls_ports_only_warn()
    {
        var z = Good();
        z["_submission._tcp.example.com"].Of("SRV").Add("0 1 587 mail.example.com");
        Assert.Contains("submission without submissions", Row(await RunAsync(z, o => o.Thorough = true), MailCheckId.ClientSrv,
            MailCheckStatus.Warning).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alias_to_a_name_that_does_not_exist_warns_and_an_mta_sts_alias_is_checked_without_thorough()
    {
        var z = Good();
        z["_mta-sts.example.com"].Txt.Add("v=STSv1; id=1");
        z["mta-sts.example.com"].Cname = "gone-tenant.example.net";
        var dangling = Row(await RunAsync(z), MailCheckId.DanglingCname, MailCheckStatus.Warning);
        Assert.Equal(new[] { "mta-sts.example.com -> gone-tenant.example.net (NXDOMAIN)" }, dangling.Records);
    }

    [Fact]
    public async Task With_probe_smtp_a_private_client_host_is_not_probed_and_a_host_without_address_fails()
    {
        var z = Clients();
        z["mx1.example.com"].A[0] = IPAddress.Parse("10.0.0.25"); // so that -ProbeSmtp does not reach out to the MX hosts
        z["mx2.example.com"].A[0] = IPAddress.Parse("10.0.0.26");
        z["_imap._tcp.example.com"].Of("SRV").Add("0 1 143 noaddress.example.com");
        z["_pop3s._tcp.example.com"].Of("SRV").Add("0 1 995 bad_host!");
        var checks = await RunAsync(z, o => o.ProbeSmtp = true);
        var skipped = checks.Where(c => c.Id == MailCheckId.ClientPorts).ToList();
        Assert.Equal(2, skipped.Count); // submissions and imaps on mail.example.com
        Assert.All(skipped, c => Assert.Equal(MailCheckStatus.Info, c.Status));
        Assert.All(skipped, c => Assert.Contains("private or reserved address", c.Summary, StringComparison.Ordinal));
        Assert.Contains(checks, c => c.Id == MailCheckId.ClientSrv && c.Status == MailCheckStatus.Fail && c.Summary.Contains("has no address"));
        Assert.Contains(checks, c => c.Id == MailCheckId.ClientSrv && c.Status == MailCheckStatus.Fail && c.Summary.Contains("not a valid host name"));
    }
}
