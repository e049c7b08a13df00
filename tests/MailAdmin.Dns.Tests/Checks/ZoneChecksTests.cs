using System.Net;
using MailAdmin.Models;
using Xunit;
using static MailAdmin.Dns.Tests.Checks.CheckFixtures;

namespace MailAdmin.Dns.Tests.Checks;

/// <summary>The zone checks (src/MailAdmin.Dns/Checks/Zone and the existence check of DomainChecker) on in-memory zones. The
/// probes of the authoritative servers themselves (NameServerProbe) need real servers: tests/Pester/TestMailDomain.Tests.ps1.</summary>
public class ZoneChecksTests
{
    [Fact]
    public async Task A_good_zone_passes_existence_name_servers_and_soa()
    {
        var checks = await RunAsync(Good());
        Row(checks, MailCheckId.DomainExists, MailCheckStatus.Pass);
        Assert.Contains("2 name servers", Row(checks, MailCheckId.NameServers, MailCheckStatus.Pass).Summary);
        Row(checks, MailCheckId.SoaFields, MailCheckStatus.Pass);
        NoRow(checks, MailCheckId.NameServerDiversity);
        NoRow(checks, MailCheckId.WildcardLeakage);
    }

    [Fact]
    public async Task A_domain_that_does_not_exist_fails_and_nothing_else_is_checked()
    {
        var checks = await RunAsync(new ZoneResolver());
        Assert.Contains("NXDOMAIN", Row(checks, MailCheckId.DomainExists, MailCheckStatus.Fail).Summary);
        Assert.Single(checks);
    }

    [Fact]
    public async Task A_domain_whose_servers_time_out_fails_existence()
    {
        var z = Good();
        z[Domain].Records.Remove("SOA");
        z[Domain].Timeout = true;
        var checks = await RunAsync(z);
        Assert.Contains("Timeout", Row(checks, MailCheckId.DomainExists, MailCheckStatus.Fail).Summary);
    }

    [Fact]
    public async Task One_name_server_fails()
    {
        var z = Good();
        z[Domain].Of("NS").RemoveAt(1);
        Assert.Contains("single name server", Row(await RunAsync(z), MailCheckId.NameServers, MailCheckStatus.Fail).Summary);
    }

    [Fact]
    public async Task A_name_server_that_is_an_address_or_has_none_fails()
    {
        var z = Good();
        z[Domain].Of("NS").Add("11.22.33.9");
        z[Domain].Of("NS").Add("ns3.example.com");
        z["ns3.example.com"].Txt.Add("no address here");
        var summary = Row(await RunAsync(z), MailCheckId.NameServers, MailCheckStatus.Fail).Summary;
        Assert.Contains("11.22.33.9 is an IP address", summary);
        Assert.Contains("ns3.example.com has no address", summary);
    }

    [Fact]
    public async Task Name_servers_in_one_network_warn()
    {
        var z = Good();
        z["ns2.example.com"].A[0] = IPAddress.Parse("11.22.33.2");
        Row(await RunAsync(z), MailCheckId.NameServerDiversity, MailCheckStatus.Warning);
    }

    [Fact]
    public async Task Soa_timers_outside_the_usual_ranges_are_information()
    {
        var z = Good();
        z[Domain].Of("SOA")[0] = "ns1.example.com. hostmaster.example.com. 1 60 600 86400 30";
        var summary = Row(await RunAsync(z), MailCheckId.SoaFields, MailCheckStatus.Info).Summary;
        Assert.Contains("refresh 60 s", summary);
        Assert.Contains("retry 600 s is not shorter", summary);
        Assert.Contains("negative-caching TTL 30 s", summary);
    }

    [Theory]
    [InlineData("1 3600 3600 1209600 300", "retry 3600 s is not shorter than refresh 3600 s")]
    [InlineData("1 3600 600 1209599 300", "expire 1209599 s is outside 2-4 weeks")]
    [InlineData("1 43201 600 1209600 300", "refresh 43201 s is outside 1200-43200")]
    [InlineData("1 3600 600 1209600 86401", "negative-caching TTL 86401 s is outside 300-86400")]
    public async Task Soa_timers_just_outside_the_ranges_are_named(string timers, string note)
    {
        var z = Good();
        z[Domain].Of("SOA")[0] = "ns1.example.com. hostmaster.example.com. " + timers;
        Assert.Equal("SOA: " + note + ".", Row(await RunAsync(z), MailCheckId.SoaFields, MailCheckStatus.Info).Summary);
    }

    [Fact]
    public async Task Soa_timers_at_the_edges_of_the_ranges_pass()
    {
        var z = Good();
        z[Domain].Of("SOA")[0] = "ns1.example.com. hostmaster.example.com. 1 1200 1199 2419200 86400";
        Row(await RunAsync(z), MailCheckId.SoaFields, MailCheckStatus.Pass);
    }

    [Fact]
    public async Task An_unsigned_zone_warns_and_no_answer_is_authenticated()
    {
        var checks = await RunAsync(Good());
        Assert.Contains("not DNSSEC-signed", Row(checks, MailCheckId.Dnssec, MailCheckStatus.Warning).Summary);
        Assert.Contains("No answer carried the AD flag", Row(checks, MailCheckId.AuthenticatedAnswers, MailCheckStatus.Info).Summary);
        Assert.Contains("No MX host address", Row(checks, MailCheckId.MxDnssec, MailCheckStatus.Info).Summary);
    }

    [Fact]
    public async Task A_signed_and_validated_zone_passes_dnssec_for_the_domain_and_its_mx_hosts()
    {
        var z = Good();
        z[Domain].Of("DS").Add("12345 13 2 ABCDEF");
        foreach (var name in new[] { Domain, "_dmarc.example.com", "mx1.example.com", "mx2.example.com" })
        {
            z[name].Authenticated = true;
        }

        var checks = await RunAsync(z);
        Assert.Contains("validated", Row(checks, MailCheckId.Dnssec, MailCheckStatus.Pass).Summary);
        Row(checks, MailCheckId.MxDnssec, MailCheckStatus.Pass);
        Assert.Contains("MX: authenticated", Row(checks, MailCheckId.AuthenticatedAnswers, MailCheckStatus.Info).Records);
    }

    [Fact]
    public async Task Bogus_answers_fail_dnssec()
    {
        var z = Good();
        z["mx2.example.com"].ExtendedError = "6 DNSSEC Bogus";
        z["_dmarc.example.com"].ExtendedError = "6 DNSSEC Bogus";
        var checks = await RunAsync(z);
        Assert.Contains("DMARC: 6 DNSSEC Bogus", Row(checks, MailCheckId.Dnssec, MailCheckStatus.Fail).Records);
        Assert.Contains("mx2.example.com", Row(checks, MailCheckId.MxDnssec, MailCheckStatus.Fail).Summary);
    }

    [Fact]
    public async Task Caa_is_looked_up_the_tree_from_each_mx_host()
    {
        var z = Good();
        z[Domain].Of("CAA").Add("0 issue \"letsencrypt.org\"");
        var checks = await RunAsync(z);
        Assert.Equal(2, checks.Count(c => c.Id == MailCheckId.Caa && c.Status == MailCheckStatus.Pass));
        Assert.Contains("CAA at example.com", checks.First(c => c.Id == MailCheckId.Caa).Summary);
    }

    [Fact]
    public async Task Caa_without_issue_or_with_an_unknown_critical_tag_warns_and_none_at_all_warns()
    {
        var z = Good();
        z["mx1.example.com"].Of("CAA").Add("128 frobnicate \"x\"");
        z["mx1.example.com"].Of("CAA").Add("0 iodef \"ftp://x.example.com\"");
        var checks = await RunAsync(z);
        var bad = Assert.Single(checks, c => c.Id == MailCheckId.Caa && c.Name == "CAA for mx1.example.com");
        Assert.Equal(MailCheckStatus.Warning, bad.Status);
        Assert.Contains("critical tag 'frobnicate'", bad.Summary);
        Assert.Contains("no 'issue' tag", bad.Summary);
        Assert.Contains("not a mailto: or https: URL", bad.Summary);
        var none = Assert.Single(checks, c => c.Id == MailCheckId.Caa && c.Name == "CAA for mx2.example.com");
        Assert.Contains("No CAA record", none.Summary);
    }

    [Fact]
    public async Task A_wildcard_spf_leaking_into_dmarc_fails()
    {
        var z = Good();
        z[Domain].Txt.Clear();
        z["_dmarc.example.com"].Txt.Clear();
        z["_dmarc.example.com"].Txt.Add("v=spf1 -all");
        z["mailadmin-wildcard-probe-7f3a.example.com"].Txt.Add("v=spf1 -all");
        var checks = await RunAsync(z);
        Row(checks, MailCheckId.WildcardLeakage, MailCheckStatus.Warning);
        Assert.Contains("_dmarc.example.com", Row(checks, MailCheckId.WildcardLeakage, MailCheckStatus.Fail).Summary);
    }

    [Fact]
    public async Task Mx_and_name_servers_off_the_approved_lists_warn()
    {
        var checks = await RunAsync(Good(), o =>
        {
            o.ApprovedMxHosts = new[] { "mx1.example.com" };
            o.ApprovedNameServers = new[] { "*.example.com" };
        });
        var mx = Assert.Single(checks, c => c.Id == MailCheckId.ApprovedHosts && c.Name == "Approved MX hosts");
        Assert.Equal(MailCheckStatus.Warning, mx.Status);
        Assert.Contains("mx2.example.com", mx.Summary);
        var ns = Assert.Single(checks, c => c.Id == MailCheckId.ApprovedHosts && c.Name == "Approved NS hosts");
        Assert.Equal(MailCheckStatus.Pass, ns.Status);
    }

    [Fact]
    public async Task Resolvers_that_agree_pass_propagation_and_one_that_differs_warns()
    {
        var same = await RunAsync(Good(), o => o.CompareResolvers = new[]
        {
            new KeyValuePair<string, IDnsResolver>("a", Good()), new KeyValuePair<string, IDnsResolver>("b", Good()),
        });
        Row(same, MailCheckId.Propagation, MailCheckStatus.Pass);

        var old = Good();
        old["_dmarc.example.com"].Txt[0] = "v=DMARC1; p=none";
        var differ = await RunAsync(Good(), o => o.CompareResolvers = new[]
        {
            new KeyValuePair<string, IDnsResolver>("new", Good()), new KeyValuePair<string, IDnsResolver>("old", old),
        });
        Assert.Contains(differ, c => c.Id == MailCheckId.Propagation && c.Status == MailCheckStatus.Warning
            && c.Records.Any(r => r.Contains("TXT _dmarc.example.com", StringComparison.Ordinal) && r.Contains("p=none", StringComparison.Ordinal)));
    }
}
