using System.Net;
using MailAdmin.Dns.Checks;
using MailAdmin.Models;
using Xunit;

namespace MailAdmin.Dns.Tests.Checks;

/// <summary>
/// The zone the check-family tests start from: example.com with two name servers in two networks, an SOA with the usual
/// timers, two MX hosts at public addresses (with forward-confirmed PTRs), SPF "mx -all" and an enforced DMARC policy. Each
/// test breaks one thing in it and asserts the row of the check that must see it.
/// </summary>
internal static class CheckFixtures
{
    public const string Domain = "example.com";

    public static readonly IPAddress Mx1Ip = IPAddress.Parse("11.22.33.25");
    public static readonly IPAddress Mx2Ip = IPAddress.Parse("11.44.33.25");

    public static ZoneResolver Good()
    {
        var z = new ZoneResolver();
        var apex = z[Domain];
        apex.Of("SOA").Add("ns1.example.com. hostmaster.example.com. 1 3600 600 1209600 300");
        apex.Of("NS").AddRange(new[] { "ns1.example.com", "ns2.example.com" });
        z["ns1.example.com"].A.Add(IPAddress.Parse("11.22.33.1"));
        z["ns2.example.com"].A.Add(IPAddress.Parse("11.44.33.1"));
        apex.Mx.Add(new MxRecord(10, "mx1.example.com"));
        apex.Mx.Add(new MxRecord(20, "mx2.example.com"));
        z["mx1.example.com"].A.Add(Mx1Ip);
        z["mx2.example.com"].A.Add(Mx2Ip);
        z[ZoneResolver.ReverseName(Mx1Ip)].Ptr.Add("mx1.example.com");
        z[ZoneResolver.ReverseName(Mx2Ip)].Ptr.Add("mx2.example.com");
        apex.Txt.Add("v=spf1 mx -all");
        z["_dmarc.example.com"].Txt.Add("v=DMARC1; p=reject; rua=mailto:dmarc@example.com");
        return z;
    }

    /// <summary>Runs every check of example.com over the zone (no HTTPS fetches unless the options ask for them).</summary>
    public static async Task<List<MailCheck>> RunAsync(ZoneResolver z, DomainCheckOptions options = null, bool allowPrivate = false)
    {
        options ??= new DomainCheckOptions { FetchMtaStsPolicy = false, DkimSelectorGuess = DkimSelectorGuess.None };
        var report = await new DomainChecker(z) { AllowPrivateAddresses = allowPrivate }.CheckAsync(Domain, options, CancellationToken.None);
        return report.Checks;
    }

    /// <summary>Runs the checks with the options (MTA-STS policy not fetched, no DKIM guessing unless they say otherwise).</summary>
    public static Task<List<MailCheck>> RunAsync(ZoneResolver z, Action<DomainCheckOptions> configure)
    {
        var options = new DomainCheckOptions { FetchMtaStsPolicy = false, DkimSelectorGuess = DkimSelectorGuess.None };
        configure(options);
        return RunAsync(z, options);
    }

    /// <summary>The one row of a check, with the status expected.</summary>
    public static MailCheck Row(IEnumerable<MailCheck> checks, MailCheckId id, MailCheckStatus status)
    {
        var rows = checks.Where(c => c.Id == id).ToList();
        Assert.True(rows.Count > 0, $"no {id} row among: {string.Join(" | ", checks.Select(c => $"{c.Id} {c.Status}"))}");
        var match = rows.Where(c => c.Status == status).ToList();
        Assert.True(match.Count == 1, $"expected one {id} {status} row, got: {string.Join(" | ", rows.Select(c => $"{c.Status}: {c.Summary}"))}");
        return match[0];
    }

    /// <summary>No row of the check has one of these statuses.</summary>
    public static void NoRow(IEnumerable<MailCheck> checks, MailCheckId id, params MailCheckStatus[] statuses)
    {
        var rows = checks.Where(c => c.Id == id && (statuses.Length == 0 || statuses.Contains(c.Status))).ToList();
        Assert.True(rows.Count == 0, $"unexpected {id} row(s): {string.Join(" | ", rows.Select(c => $"{c.Status}: {c.Summary}"))}");
    }
}
