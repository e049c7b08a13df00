using System.Net;
using MailAdmin.Models;
using Xunit;
using static MailAdmin.Dns.Tests.Checks.CheckFixtures;

namespace MailAdmin.Dns.Tests.Checks;

/// <summary>The provider checks (src/MailAdmin.Dns/Checks/Provider): the records a connected provider or a named provider profile
/// requires, compared with in-memory zones.</summary>
public class ProviderChecksTests
{
    private static MailDnsRecord Record(string name, string type, string value, MailDnsPurpose purpose, bool required = true)
        => new() { Zone = Domain, Name = name, Type = type, Value = value, Purpose = purpose, Required = required };

    [Fact]
    public async Task Records_the_provider_requires_pass_when_published()
    {
        var z = Good();
        z["s1._domainkey.example.com"].Txt.Add("v=DKIM1; k=rsa; p=AAAA");
        z["autoconfig.example.com"].Cname = "autoconfig.provider.example.net";
        var expected = new[]
        {
            Record(Domain, "MX", "mx1.example.com", MailDnsPurpose.Mx),
            Record(Domain, "TXT", "v=spf1 mx -all", MailDnsPurpose.Spf),
            Record("s1._domainkey.example.com", "TXT", "v=DKIM1;  k=rsa; p=AAAA;", MailDnsPurpose.Dkim),
            Record("autoconfig.example.com", "CNAME", "autoconfig.provider.example.net", MailDnsPurpose.Autoconfig),
        };
        var rows = (await RunAsync(z, o => o.ExpectedRecords = expected)).Where(c => c.Id == MailCheckId.ProviderRecords).ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal(MailCheckStatus.Pass, r.Status));
    }

    [Fact]
    public async Task Missing_records_fail_with_what_to_publish_and_an_optional_alias_warns()
    {
        var expected = new[]
        {
            Record(Domain, "MX", "mx.provider.example.net", MailDnsPurpose.Mx),
            Record(Domain, "TXT", "v=spf1 include:spf.provider.example.net -all", MailDnsPurpose.Spf),
            Record("s1._domainkey.example.com", "TXT", "v=DKIM1; k=rsa; p=AAAA", MailDnsPurpose.Dkim),
            Record("autoconfig.example.com", "CNAME", "autoconfig.provider.example.net", MailDnsPurpose.Autoconfig, required: false),
        };
        var rows = (await RunAsync(Good(), o => o.ExpectedRecords = expected)).Where(c => c.Id == MailCheckId.ProviderRecords).ToList();
        Assert.Contains(rows, r => r.Status == MailCheckStatus.Fail && r.Summary.Contains("publish example.com MX mx.provider.example.net"));
        Assert.Contains(rows, r => r.Status == MailCheckStatus.Fail && r.Summary.Contains("lacks include:spf.provider.example.net"));
        Assert.Contains(rows, r => r.Status == MailCheckStatus.Fail && r.Summary.Contains("s1._domainkey.example.com has no TXT record"));
        Assert.Contains(rows, r => r.Status == MailCheckStatus.Warning && r.Summary.Contains("should be an alias of autoconfig.provider.example.net"));
    }

    [Fact]
    public async Task Another_dmarc_record_than_the_suggested_one_is_information()
    {
        var expected = new[] { Record("_dmarc.example.com", "TXT", "v=DMARC1; p=quarantine", MailDnsPurpose.Dmarc) };
        Row(await RunAsync(Good(), o => o.ExpectedRecords = expected), MailCheckId.ProviderRecords, MailCheckStatus.Info);
    }

    [Fact]
    public async Task A_named_provider_profile_is_compared()
    {
        var z = Good();
        z[Domain].Mx.Clear();
        z[Domain].Mx.Add(new MxRecord(5, "mxbiz1.qq.com"));
        z["mxbiz1.qq.com"].A.Add(IPAddress.Parse("11.77.0.1"));
        z[Domain].Txt[0] = "v=spf1 include:spf.mail.qq.com -all";
        z["spf.mail.qq.com"].Txt.Add("v=spf1 ip4:11.77.0.0/16 -all");
        var rows = (await RunAsync(z, o => o.ExpectProvider = "Exmail")).Where(c => c.Id == MailCheckId.ProviderRecords).ToList();
        Assert.Contains(rows, r => r.Name == "Exmail MX mxbiz1.qq.com" && r.Status == MailCheckStatus.Pass);
        Assert.Contains(rows, r => r.Name == "Exmail MX mxbiz2.qq.com" && r.Status == MailCheckStatus.Fail);
        Assert.Contains(rows, r => r.Name == "Exmail SPF" && r.Status == MailCheckStatus.Pass);
    }
}
