using System.Net;
using MailAdmin.Dns.Checks;
using MailAdmin.Models;
using Xunit;

namespace MailAdmin.Dns.Tests;

/// <summary>Test-MailDomain asks only what the checks need (issue 13, "Speed"): known DKIM selectors before guessing, no
/// CNAME follow-ups the answers already carry, no TLSA in unsigned zones, no client records unless asked for.</summary>
public class QuestionTests
{
    private static ZoneResolver Zone()
    {
        var z = new ZoneResolver();
        z["example.com"].Txt.Add("v=spf1 mx -all");
        z["example.com"].Mx.Add(new MxRecord(10, "mx.example.com"));
        z["mx.example.com"].A.Add(IPAddress.Parse("192.0.2.25"));
        z["_dmarc.example.com"].Txt.Add("v=DMARC1; p=reject");
        z["_domainkey.example.com"].Txt.Add("o=~");
        z["mail._domainkey.example.com"].Txt.Add("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        return z;
    }

    private static async Task<List<MailCheck>> Run(ZoneResolver z, DomainCheckOptions options)
    {
        options.FetchMtaStsPolicy = false;
        return (await new DomainChecker(z).CheckAsync("example.com", options, CancellationToken.None)).Checks;
    }

    [Fact]
    public async Task A_named_selector_is_asked_alone()
    {
        var z = Zone();
        await Run(z, new DomainCheckOptions { DkimSelectors = new[] { "mail" } });
        Assert.Equal(new[] { "TXT mail._domainkey.example.com" }, z.Asked.Where(q => q.Contains("_domainkey")).Distinct());
    }

    [Fact]
    public async Task Common_selectors_are_guessed_only_when_none_is_known()
    {
        var z = Zone();
        var checks = await Run(z, new DomainCheckOptions());
        Assert.Equal(DkimCheck.CommonSelectors.Length, z.Asked.Count(q => q.Contains("._domainkey.")));
        Assert.Contains("TXT _domainkey.example.com", z.Asked);
        Assert.Contains(checks, c => c.Id == MailCheckId.DkimPublicKey && c.Name == "DKIM selector mail" && c.Status == MailCheckStatus.Pass);
    }

    [Fact]
    public async Task Guessing_can_be_turned_off()
    {
        var z = Zone();
        var checks = await Run(z, new DomainCheckOptions { DkimSelectorGuess = DkimSelectorGuess.None });
        Assert.DoesNotContain(z.Asked, q => q.Contains("_domainkey"));
        Assert.Contains(checks, c => c.Id == MailCheckId.DkimSelectors && c.Status == MailCheckStatus.Info);
    }

    [Fact]
    public async Task The_provider_table_gives_the_selectors_of_a_known_mx()
    {
        var z = Zone();
        z["example.com"].Mx.Clear();
        z["example.com"].Mx.Add(new MxRecord(0, "example-com.mail.protection.outlook.com"));
        z["example-com.mail.protection.outlook.com"].A.Add(IPAddress.Parse("52.101.0.1"));
        await Run(z, new DomainCheckOptions());
        Assert.Equal(
            new[] { "TXT selector1._domainkey.example.com", "TXT selector2._domainkey.example.com" },
            z.Asked.Where(q => q.Contains("_domainkey")).Distinct());
    }

    [Fact]
    public async Task No_cname_questions_and_no_tlsa_in_an_unsigned_zone()
    {
        var z = Zone();
        var checks = await Run(z, new DomainCheckOptions { DkimSelectors = new[] { "mail" } });
        Assert.DoesNotContain(z.Asked, q => q.StartsWith("CNAME ", StringComparison.Ordinal));
        Assert.DoesNotContain(z.Asked, q => q.StartsWith("TLSA ", StringComparison.Ordinal));
        Assert.Contains(checks, c => c.Id == MailCheckId.DaneTlsa && c.Summary.Contains("not DNSSEC-signed"));
    }

    [Fact]
    public async Task Client_records_and_type_99_only_when_thorough()
    {
        var z = Zone();
        await Run(z, new DomainCheckOptions { DkimSelectors = new[] { "mail" } });
        Assert.DoesNotContain(z.Asked, q => q.StartsWith("SRV ", StringComparison.Ordinal) || q.StartsWith("SPF ", StringComparison.Ordinal));
        Assert.DoesNotContain(z.Asked, q => q.Contains("autodiscover", StringComparison.Ordinal));
        var thorough = Zone();
        await Run(thorough, new DomainCheckOptions { DkimSelectors = new[] { "mail" }, Thorough = true });
        Assert.Contains(thorough.Asked, q => q.StartsWith("SRV _submissions._tcp.", StringComparison.Ordinal));
        Assert.Contains(thorough.Asked, q => q == "SPF example.com");
        Assert.Contains(thorough.Asked, q => q == "A autodiscover.example.com");
    }

    [Fact]
    public async Task A_dangling_dkim_alias_is_seen_from_the_txt_answer()
    {
        var z = Zone();
        z["s2._domainkey.example.com"].Cname = "gone.example.net";
        var checks = await Run(z, new DomainCheckOptions { DkimSelectors = new[] { "s2" } });
        var c = Assert.Single(checks, x => x.Id == MailCheckId.DkimRecord);
        Assert.Equal(MailCheckStatus.Fail, c.Status);
        Assert.Contains("gone.example.net", c.Summary);
        Assert.DoesNotContain(z.Asked, q => q.StartsWith("CNAME ", StringComparison.Ordinal));
    }
}
