using System.Net;
using MailAdmin.Models;
using Xunit;
using static MailAdmin.Dns.Tests.Checks.CheckFixtures;

namespace MailAdmin.Dns.Tests.Checks;

/// <summary>The MX checks (src/MailAdmin.Dns/Checks/Mx: MX records and hosts, DANE, reverse DNS) on in-memory zones. Whether a
/// TLSA record matches the certificate the host presents needs the SMTP probe: tests/Pester/ProbeSmtp.Tests.ps1.</summary>
public class MxChecksTests
{
    private const string Tlsa311 = "3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Two_mx_hosts_that_resolve_pass()
    {
        var checks = await RunAsync(Good());
        Assert.Contains("2 MX record(s)", Row(checks, MailCheckId.MxLookup, MailCheckStatus.Pass).Summary);
        Assert.Equal(2, checks.Count(c => c.Id == MailCheckId.MxResolves && c.Status == MailCheckStatus.Pass));
        Row(checks, MailCheckId.MxIpv6, MailCheckStatus.Info);
        NoRow(checks, MailCheckId.MxRedundancy);
        NoRow(checks, MailCheckId.DuplicateMx);
        NoRow(checks, MailCheckId.MxAddressesRoutable);
    }

    [Fact]
    public async Task No_mx_with_an_address_warns_and_without_one_is_information()
    {
        var z = Good();
        z[Domain].Mx.Clear();
        z[Domain].A.Add(IPAddress.Parse("11.22.33.80"));
        Row(await RunAsync(z), MailCheckId.MxLookup, MailCheckStatus.Warning);
        z[Domain].A.Clear();
        Row(await RunAsync(z), MailCheckId.MxLookup, MailCheckStatus.Info);
    }

    [Fact]
    public async Task An_mx_lookup_that_times_out_fails()
    {
        var z = Good();
        z[Domain].Mx.Clear();
        z[Domain].Timeout = true;
        Row(await RunAsync(z), MailCheckId.MxLookup, MailCheckStatus.Fail);
    }

    [Fact]
    public async Task A_null_mx_beside_other_mx_records_fails()
    {
        var z = Good();
        z[Domain].Mx.Add(new MxRecord(0, "."));
        Row(await RunAsync(z), MailCheckId.NullMx, MailCheckStatus.Fail);
    }

    [Fact]
    public async Task A_lone_null_mx_passes_only_at_preference_zero()
    {
        var z = Good();
        z[Domain].Mx.Clear();
        z[Domain].Mx.Add(new MxRecord(0, "."));
        Row(await RunAsync(z), MailCheckId.NullMx, MailCheckStatus.Pass);
        z[Domain].Mx[0] = new MxRecord(10, ".");
        Row(await RunAsync(z), MailCheckId.NullMx, MailCheckStatus.Fail);
    }

    [Fact]
    public async Task An_ip_literal_or_an_invalid_name_as_mx_fails()
    {
        var z = Good();
        z[Domain].Mx.Add(new MxRecord(30, "11.22.33.99"));
        z[Domain].Mx.Add(new MxRecord(40, "bad_name!.example.com"));
        var rows = (await RunAsync(z)).Where(c => c.Id == MailCheckId.MxNotIpLiteral).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(MailCheckStatus.Fail, r.Status));
        Assert.Contains(rows, r => r.Summary.Contains("'11.22.33.99' is an IP address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_mx_that_is_an_alias_fails()
    {
        var z = Good();
        z["mx2.example.com"].A.Clear();
        z["mx2.example.com"].Cname = "real.example.net";
        z["real.example.net"].A.Add(IPAddress.Parse("11.55.0.1"));
        Assert.Contains("mx2.example.com is an alias", Row(await RunAsync(z), MailCheckId.MxNotCname, MailCheckStatus.Fail).Summary);
    }

    [Fact]
    public async Task An_mx_host_without_an_address_fails()
    {
        var z = Good();
        z["mx2.example.com"].A.Clear();
        Assert.Contains("mx2.example.com", Row(await RunAsync(z), MailCheckId.MxResolves, MailCheckStatus.Fail).Summary);
    }

    [Fact]
    public async Task A_private_mx_address_fails_unless_private_addresses_are_allowed()
    {
        var z = Good();
        z["mx2.example.com"].A[0] = IPAddress.Parse("10.0.0.5");
        Assert.Contains("10.0.0.5", Row(await RunAsync(z), MailCheckId.MxAddressesRoutable, MailCheckStatus.Fail).Summary);
        NoRow(await RunAsync(z, null, allowPrivate: true), MailCheckId.MxAddressesRoutable);
    }

    [Fact]
    public async Task The_same_host_twice_warns_and_two_hosts_on_one_address_are_information()
    {
        var z = Good();
        z[Domain].Mx.Add(new MxRecord(30, "mx1.example.com"));
        z["mx2.example.com"].A[0] = Mx1Ip;
        var checks = await RunAsync(z);
        Row(checks, MailCheckId.DuplicateMx, MailCheckStatus.Warning);
        Row(checks, MailCheckId.DuplicateMx, MailCheckStatus.Info);
    }

    [Fact]
    public async Task A_single_mx_host_is_information_and_more_than_ten_warn()
    {
        var z = Good();
        z[Domain].Mx.RemoveAt(1);
        Row(await RunAsync(z), MailCheckId.MxRedundancy, MailCheckStatus.Info);
        for (var i = 3; i <= 12; i++)
        {
            z[Domain].Mx.Add(new MxRecord(i * 10, $"mx{i}.example.com"));
            z[$"mx{i}.example.com"].A.Add(IPAddress.Parse($"11.22.34.{i}"));
        }

        Row(await RunAsync(z), MailCheckId.TooManyMx, MailCheckStatus.Warning);
    }

    [Fact]
    public async Task An_mx_with_ipv6_has_no_ipv6_row()
    {
        var z = Good();
        z["mx1.example.com"].Aaaa.Add(IPAddress.Parse("2a00:1450::25"));
        NoRow(await RunAsync(z), MailCheckId.MxIpv6);
    }

    [Fact]
    public async Task No_cname_questions_and_no_tlsa_in_an_unsigned_zone()
    {
        var z = Good();
        var checks = await RunAsync(z);
        Assert.DoesNotContain(z.Asked, q => q.StartsWith("CNAME ", StringComparison.Ordinal));
        Assert.DoesNotContain(z.Asked, q => q.StartsWith("TLSA ", StringComparison.Ordinal));
        Assert.Equal(2, checks.Count(c => c.Id == MailCheckId.DaneTlsa && c.Summary.Contains("not DNSSEC-signed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Tlsa_in_a_signed_zone_passes_and_one_record_asks_for_a_rollover_record()
    {
        var z = Good();
        z["mx1.example.com"].Authenticated = true;
        z["_25._tcp.mx1.example.com"].Authenticated = true;
        z["_25._tcp.mx1.example.com"].Of("TLSA").Add(Tlsa311);
        var checks = await RunAsync(z);
        Assert.Contains("DANE is in effect", Row(checks, MailCheckId.DaneTlsa, MailCheckStatus.Pass).Summary);
        Assert.Contains("one usable TLSA record", Row(checks, MailCheckId.DaneRollover, MailCheckStatus.Info).Summary);
        Assert.Contains("not DNSSEC-signed", Row(checks, MailCheckId.DaneTlsa, MailCheckStatus.Info).Summary); // mx2
    }

    [Fact]
    public async Task Tlsa_fields_out_of_range_or_a_short_digest_fail_and_pkix_usages_warn()
    {
        var z = Good();
        z["mx1.example.com"].Authenticated = true;
        var tlsa = z["_25._tcp.mx1.example.com"].Of("TLSA");
        tlsa.Add("4 1 1 " + new string('a', 64));
        tlsa.Add("3 1 1 abcd");
        tlsa.Add("1 1 1 " + new string('b', 64));
        tlsa.Add("3 1 0 3082");
        var checks = await RunAsync(z);
        Assert.Equal(2, checks.Count(c => c.Id == MailCheckId.DaneFields && c.Status == MailCheckStatus.Fail));
        Assert.Contains(checks, c => c.Id == MailCheckId.DaneUsage && c.Summary.Contains("PKIX-EE", StringComparison.Ordinal));
        Assert.Contains(checks, c => c.Id == MailCheckId.DaneUsage && c.Summary.Contains("matching 0", StringComparison.Ordinal));
        Assert.Contains("not DNSSEC-authenticated", checks.First(c => c.Id == MailCheckId.DaneTlsa && c.Name == "TLSA mx1.example.com").Summary);
    }

    [Fact]
    public async Task A_tlsa_answer_that_fails_validation_fails_denial_of_existence()
    {
        var z = Good();
        z["mx1.example.com"].Authenticated = true;
        z["_25._tcp.mx1.example.com"].ExtendedError = "6 DNSSEC Bogus";
        Row(await RunAsync(z), MailCheckId.DaneDenialOfExistence, MailCheckStatus.Fail);
    }

    [Fact]
    public async Task Reverse_dns_that_confirms_passes_and_missing_or_unconfirmed_warn()
    {
        var z = Good();
        Assert.Equal(2, (await RunAsync(z)).Count(c => c.Id == MailCheckId.MxForwardConfirmedPtr && c.Status == MailCheckStatus.Pass));
        z[ZoneResolver.ReverseName(Mx1Ip)].Ptr[0] = "elsewhere.example.net";
        z[ZoneResolver.ReverseName(Mx2Ip)].Ptr.Clear();
        var checks = await RunAsync(z);
        Assert.Contains("elsewhere.example.net", Row(checks, MailCheckId.MxForwardConfirmedPtr, MailCheckStatus.Warning).Summary);
        Assert.Contains("no PTR record", Row(checks, MailCheckId.MxPtr, MailCheckStatus.Warning).Summary);
    }
}
