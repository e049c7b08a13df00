using System.Net;
using MailAdmin.Dns.Spf;
using MailAdmin.Models;
using Xunit;
using static MailAdmin.Dns.Tests.Checks.CheckFixtures;

namespace MailAdmin.Dns.Tests.Checks;

/// <summary>The SPF checks (src/MailAdmin.Dns/Checks/Spf) on in-memory zones, including the RFC 7208 rules the old engine got
/// wrong (issue 13, "Exactness"): the lookup limit in evaluation order, void lookups, repeated modifiers.</summary>
public class SpfChecksTests
{
    private static readonly IPAddress Sender = IPAddress.Parse("192.0.2.1");

    /// <summary>The fixture zone with the apex TXT records replaced ("|" separates records).</summary>
    private static ZoneResolver With(string txt)
    {
        var z = Good();
        z[Domain].Txt.Clear();
        z[Domain].Txt.AddRange(txt.Split('|'));
        z["_spf.example.com"].Txt.Add("v=spf1 ip4:11.22.0.0/16 -all");
        return z;
    }

    [Theory]
    [InlineData("v=spf1 mx -all", MailCheckId.SpfRecord, MailCheckStatus.Pass, "one SPF record")]
    [InlineData("v=spf1 mx -all", MailCheckId.SpfGrammar, MailCheckStatus.Pass, "parses")]
    [InlineData("v=spf1 mx -all", MailCheckId.SpfPolicyStrength, MailCheckStatus.Pass, "unlisted senders fail")]
    [InlineData("v=spf1 mx ~all", MailCheckId.SpfPolicyStrength, MailCheckStatus.Pass, "soft-fail")]
    [InlineData("v=spf1 mx ?all", MailCheckId.SpfPolicyStrength, MailCheckStatus.Warning, "neutral")]
    [InlineData("v=spf1 mx +all", MailCheckId.SpfPolicyStrength, MailCheckStatus.Fail, "any host on the internet")]
    [InlineData("v=spf1 mx", MailCheckId.SpfPolicyStrength, MailCheckStatus.Warning, "without 'all' or redirect")]
    [InlineData("v=spf1 mx -all", MailCheckId.SpfLookupLimit, MailCheckStatus.Pass, null)]
    [InlineData("v=spf1 mx -all", MailCheckId.SpfVoidLookups, MailCheckStatus.Pass, null)]
    [InlineData("hello", MailCheckId.SpfRecord, MailCheckStatus.Warning, "publishes no SPF record")]
    [InlineData("v=spf1mx -all", MailCheckId.SpfVersionSpace, MailCheckStatus.Fail, "no space follows")]
    [InlineData(" v=spf1 mx -all", MailCheckId.SpfRecord, MailCheckStatus.Fail, "white space before")]
    [InlineData("v=spf1 mx -all|spf2.0/pra mx -all", MailCheckId.SenderId, MailCheckStatus.Warning, "Sender ID")]
    [InlineData("v=spf1 mx -all|v=spf1 +all", MailCheckId.SpfMultiple, MailCheckStatus.Fail, "2 SPF records")]
    [InlineData("v=spf1 mx -all|caf\uFFFD cr\uFFFDme", MailCheckId.SpfUndecodable, MailCheckStatus.Warning, "not valid text")]
    [InlineData("v=spf1 ip4:11.22.35.0/24~all", MailCheckId.SpfAllGlued, MailCheckStatus.Fail, "glued")]
    [InlineData("v=spf1 mx bogus:x -all", MailCheckId.SpfGrammar, MailCheckStatus.Fail, "invalid")]
    [InlineData("v=spf1 ip4:11.0.0.0/8 -all", MailCheckId.SpfIpValues, MailCheckStatus.Warning, "very large range")]
    [InlineData("v=spf1 ip4:11.22.33.0/24 ip6:2001:db8::/48 -all", MailCheckId.SpfAuthorisedAddresses, MailCheckStatus.Info, "2 address range")]
    [InlineData("v=spf1 mx ptr -all", MailCheckId.SpfPtr, MailCheckStatus.Warning, "'ptr'")]
    [InlineData("v=spf1 mx -all ~all", MailCheckId.SpfAllPlacement, MailCheckStatus.Fail, "2 'all' terms")]
    [InlineData("v=spf1 -all mx", MailCheckId.SpfAllPlacement, MailCheckStatus.Warning, "never evaluated")]
    [InlineData("v=spf1 mx -all redirect=_spf.example.com", MailCheckId.SpfRedirectWithAll, MailCheckStatus.Warning, "is ignored")]
    [InlineData("v=spf1 mx redirect=a.example.net redirect=b.example.net", MailCheckId.SpfModifierRepeated, MailCheckStatus.Fail, "permerror")]
    [InlineData("v=spf1 mx -all exp=a.example.net exp=b.example.net", MailCheckId.SpfModifierRepeated, MailCheckStatus.Fail, "permerror")]
    [InlineData("v=spf1 exists:%{i}.spf.example.com -all", MailCheckId.SpfMacroTerms, MailCheckStatus.Info, "depends on the sender")]
    [InlineData("v=spf1 mx -all exp=explain.example.com", MailCheckId.SpfExplanation, MailCheckStatus.Warning, "0 TXT records")]
    [InlineData("v=spf1 include:example.com -all", MailCheckId.SpfLoops, MailCheckStatus.Fail, "loops back")]
    [InlineData("v=spf1 include:_spf.example.com include:_spf.example.com -all", MailCheckId.SpfLoops, MailCheckStatus.Warning, "more than once")]
    [InlineData("v=spf1 include:nospf.example.com -all", MailCheckId.SpfTargetWithoutSpf, MailCheckStatus.Fail, "no SPF record")]
    [InlineData("v=spf1 a:nx.example.net -all", MailCheckId.SpfEmptyTargets, MailCheckStatus.Warning, "no A or AAAA")]
    [InlineData("v=spf1 mx:mx1.example.com -all", MailCheckId.SpfEmptyTargets, MailCheckStatus.Warning, "no MX record")]
    [InlineData("v=spf1 a:nx.example.net -all", MailCheckId.SpfVoidLookups, MailCheckStatus.Warning, "1 lookup")]
    public async Task A_record_gets_the_row_its_rule_gives(string txt, MailCheckId id, MailCheckStatus status, string summary)
    {
        var z = With(txt);
        z["nospf.example.com"].Txt.Add("hello");
        var row = Row(await RunAsync(z), id, status);
        if (summary != null)
        {
            Assert.Contains(summary, row.Summary, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_good_record_has_no_warnings()
    {
        var checks = (await RunAsync(With("v=spf1 mx include:_spf.example.com -all"))).Where(c => c.Area == "SPF").ToList();
        Assert.All(checks, c => Assert.True(c.Status is MailCheckStatus.Pass or MailCheckStatus.Info, c.ToString()));
    }

    [Fact]
    public async Task A_txt_lookup_that_times_out_says_spf_could_not_be_checked()
    {
        var z = With("v=spf1 mx -all");
        z[Domain].Txt.Clear();
        z[Domain].TxtNone = true;
        z[Domain].Timeout = true;
        z[Domain].Mx.Clear();
        Assert.Contains("could not be checked", Row(await RunAsync(z), MailCheckId.SpfRecord, MailCheckStatus.Warning).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_over_450_characters_warns_and_over_512_says_it_may_need_tcp()
    {
        string Record(int n) => "v=spf1 " + string.Join(" ", Enumerable.Range(0, n).Select(i => $"ip4:11.22.{i / 250}.{i % 250 + 1}")) + " -all";
        Assert.Contains("keep it under 450", Row(await RunAsync(With(Record(31))), MailCheckId.SpfSize, MailCheckStatus.Warning).Summary);
        Assert.Contains("may need TCP", Row(await RunAsync(With(Record(40))), MailCheckId.SpfSize, MailCheckStatus.Warning).Summary);
        NoRow(await RunAsync(With(Record(10))), MailCheckId.SpfSize);
    }

    [Fact]
    public async Task Nine_lookups_warn()
    {
        var z = With("v=spf1 " + string.Join(" ", Enumerable.Range(1, 9).Select(i => $"include:i{i}.example.net")) + " -all");
        for (var i = 1; i <= 9; i++)
        {
            z[$"i{i}.example.net"].Txt.Add("v=spf1 ip4:11.66.0.1 -all");
        }

        Row(await RunAsync(z), MailCheckId.SpfLookupLimit, MailCheckStatus.Warning);
    }

    [Fact]
    public async Task A_match_after_the_tenth_lookup_is_a_permerror_not_a_pass()
    {
        var terms = string.Join(" ", Enumerable.Range(1, 11).Select(i => $"include:i{i}.example.net"));
        var z = With($"v=spf1 {terms} ip4:192.0.2.1 -all");
        for (var i = 1; i <= 11; i++)
        {
            z[$"i{i}.example.net"].Txt.Add("v=spf1 ip4:198.51.100.1 -all");
        }

        var eval = await new SpfEvaluator(z).CheckHostAsync(Sender, "a@example.com", "mail.example.com");
        Assert.Equal(SpfResult.PermError, eval.Result);
        Row(await RunAsync(z), MailCheckId.SpfLookupLimit, MailCheckStatus.Fail);
    }

    [Fact]
    public async Task A_match_before_the_limit_is_reached_passes_in_evaluation_order()
    {
        var terms = string.Join(" ", Enumerable.Range(1, 11).Select(i => $"include:i{i}.example.net"));
        var z = With($"v=spf1 ip4:192.0.2.1 {terms} -all");
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
        var z = With("v=spf1 a:nx.example.net mx:nodata.example.net exists:nodata.example.net ip4:192.0.2.1 -all");
        z["nodata.example.net"].Txt.Add("unrelated");
        var eval = await new SpfEvaluator(z).CheckHostAsync(Sender, "a@example.com", "mail.example.com");
        Assert.Equal(SpfResult.PermError, eval.Result);
        Assert.Equal(3, eval.VoidLookups);
        var checks = await RunAsync(z);
        Assert.Contains("3 lookups", Row(checks, MailCheckId.SpfVoidLookups, MailCheckStatus.Fail).Summary, StringComparison.Ordinal);
        Assert.Contains(checks, c => c.Id == MailCheckId.SpfEmptyTargets && c.Name == "SPF exists target" && c.Status == MailCheckStatus.Info);
    }

    [Fact]
    public async Task An_include_whose_record_is_invalid_fails()
    {
        var z = With("v=spf1 include:broken.example.net -all");
        z["broken.example.net"].Txt.Add("v=spf1 bogus:x -all");
        Assert.Contains("invalid", Row(await RunAsync(z), MailCheckId.SpfTargetWithoutSpf, MailCheckStatus.Fail).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_mx_mechanism_over_ten_hosts_fails()
    {
        var z = With("v=spf1 mx:big.example.net -all");
        for (var i = 1; i <= 11; i++)
        {
            z["big.example.net"].Mx.Add(new MxRecord(i, $"mx{i}.example.net"));
        }

        Row(await RunAsync(z), MailCheckId.SpfMxFanOut, MailCheckStatus.Fail);
    }

    [Fact]
    public async Task The_type_99_record_is_asked_and_reported_only_when_thorough()
    {
        var z = With("v=spf1 mx -all");
        z[Domain].Of("SPF").Add("v=spf1 mx -all");
        NoRow(await RunAsync(z), MailCheckId.SpfType99);
        Row(await RunAsync(z, o => o.Thorough = true), MailCheckId.SpfType99, MailCheckStatus.Warning);
    }

    [Fact]
    public async Task A_parked_domain_should_publish_exactly_minus_all()
    {
        ZoneResolver Parked(string txt)
        {
            var z = With(txt);
            z[Domain].Mx.Clear();
            z[Domain].Mx.Add(new MxRecord(0, "."));
            return z;
        }

        Row(await RunAsync(Parked("v=spf1 mx -all")), MailCheckId.SpfParkedDomain, MailCheckStatus.Warning);
        NoRow(await RunAsync(Parked("v=spf1 -all")), MailCheckId.SpfParkedDomain);
    }

    [Theory]
    [InlineData("11.22.33.25", MailCheckStatus.Pass, "pass")]
    [InlineData("11.99.0.1", MailCheckStatus.Fail, "fail")]
    public async Task The_sender_evaluation_gives_the_result_of_check_host(string ip, MailCheckStatus status, string result)
    {
        var checks = await RunAsync(With("v=spf1 mx -all"), o => o.SpfIp = IPAddress.Parse(ip));
        Assert.Contains($"= {result}:", Row(checks, MailCheckId.SpfSenderEvaluation, status).Summary, StringComparison.Ordinal);
    }
}
