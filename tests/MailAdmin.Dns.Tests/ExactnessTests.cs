using System.Net;
using MailAdmin.Dns.Checks;
using MailAdmin.Dns.Spf;
using MailAdmin.Models;
using Xunit;

namespace MailAdmin.Dns.Tests;

/// <summary>RFC rules the engine must apply exactly (issue 13, "Exactness"), on in-memory zones.</summary>
public class ExactnessTests
{
    private static readonly IPAddress Sender = IPAddress.Parse("192.0.2.1");

    private static ZoneResolver Zone(string spf)
    {
        var z = new ZoneResolver();
        z["example.com"].Txt.Add(spf);
        z["example.com"].A.Add(IPAddress.Parse("192.0.2.80"));
        return z;
    }

    private static async Task<List<MailCheck>> Check(ZoneResolver z, params string[] selectors)
    {
        var report = await new DomainChecker(z).CheckAsync(
            "example.com",
            new DomainCheckOptions { FetchMtaStsPolicy = false, DkimSelectors = selectors },
            CancellationToken.None);
        return report.Checks;
    }

    [Fact]
    public async Task A_match_after_the_tenth_lookup_is_a_permerror_not_a_pass()
    {
        var terms = string.Join(" ", Enumerable.Range(1, 11).Select(i => $"include:i{i}.example.net"));
        var z = Zone($"v=spf1 {terms} ip4:192.0.2.1 -all");
        for (var i = 1; i <= 11; i++)
        {
            z[$"i{i}.example.net"].Txt.Add("v=spf1 ip4:198.51.100.1 -all");
        }

        var eval = await new SpfEvaluator(z).CheckHostAsync(Sender, "a@example.com", "mail.example.com");
        Assert.Equal(SpfResult.PermError, eval.Result);
        Assert.Contains(await Check(z), c => c.Id == MailCheckId.SpfLookupLimit && c.Status == MailCheckStatus.Fail);
    }

    [Fact]
    public async Task A_match_before_the_limit_is_reached_passes_in_evaluation_order()
    {
        var terms = string.Join(" ", Enumerable.Range(1, 11).Select(i => $"include:i{i}.example.net"));
        var z = Zone($"v=spf1 ip4:192.0.2.1 {terms} -all");
        for (var i = 1; i <= 11; i++)
        {
            z[$"i{i}.example.net"].Txt.Add("v=spf1 -all");
        }

        var eval = await new SpfEvaluator(z).CheckHostAsync(Sender, "a@example.com", "mail.example.com");
        Assert.Equal(SpfResult.Pass, eval.Result);
        Assert.Equal(0, eval.DnsLookups);
    }

    [Fact]
    public async Task Void_lookups_count_nxdomain_and_nodata_and_more_than_two_fail()
    {
        // nx.example.net does not exist (NXDOMAIN); nodata.example.net exists without A, AAAA or MX (NODATA)
        var z = Zone("v=spf1 a:nx.example.net mx:nodata.example.net exists:nodata.example.net ip4:192.0.2.1 -all");
        z["nodata.example.net"].Txt.Add("unrelated");
        var eval = await new SpfEvaluator(z).CheckHostAsync(Sender, "a@example.com", "mail.example.com");
        Assert.Equal(SpfResult.PermError, eval.Result);
        Assert.Equal(3, eval.VoidLookups);
        var voids = Assert.Single(await Check(z), c => c.Id == MailCheckId.SpfVoidLookups);
        Assert.Equal(MailCheckStatus.Fail, voids.Status);
        Assert.Contains("3 lookups", voids.Summary);
    }

    [Fact]
    public async Task Two_void_lookups_are_a_warning_not_a_failure()
    {
        var z = Zone("v=spf1 a:nx.example.net mx:nodata.example.net ip4:192.0.2.1 -all");
        z["nodata.example.net"].Txt.Add("unrelated");
        var voids = Assert.Single(await Check(z), c => c.Id == MailCheckId.SpfVoidLookups);
        Assert.Equal(MailCheckStatus.Warning, voids.Status);
    }

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.1 redirect=a.example.net redirect=b.example.net")]
    [InlineData("v=spf1 ip4:192.0.2.1 exp=a.example.net exp=b.example.net -all")]
    public async Task A_repeated_modifier_is_reported_by_the_record_checks(string record)
    {
        var checks = await Check(Zone(record));
        var repeated = Assert.Single(checks, c => c.Id == MailCheckId.SpfModifierRepeated);
        Assert.Equal(MailCheckStatus.Fail, repeated.Status);
        Assert.Contains("permerror", repeated.Summary);
    }

    [Fact]
    public async Task A_revoked_key_under_a_selector_the_admin_named_fails()
    {
        var z = Zone("v=spf1 -all");
        z["_domainkey.example.com"].Txt.Add("o=~");
        z["s1._domainkey.example.com"].Txt.Add("v=DKIM1; k=rsa; p=");
        var key = Assert.Single(await Check(z, "s1"), c => c.Id == MailCheckId.DkimPublicKey);
        Assert.Equal(MailCheckStatus.Fail, key.Status);
        Assert.Contains("revoked", key.Summary);
    }

    [Fact]
    public async Task A_revoked_key_found_by_guessing_is_information()
    {
        var z = Zone("v=spf1 -all");
        z["_domainkey.example.com"].Txt.Add("o=~");
        z["default._domainkey.example.com"].Txt.Add("v=DKIM1; k=rsa; p=");
        var key = Assert.Single(await Check(z), c => c.Id == MailCheckId.DkimPublicKey);
        Assert.Equal(MailCheckStatus.Info, key.Status);
    }
}
