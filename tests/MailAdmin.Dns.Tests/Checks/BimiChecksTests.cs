using System.Net;
using MailAdmin.Dns.Checks;
using MailAdmin.Models;
using Xunit;
using static MailAdmin.Dns.Tests.Checks.CheckFixtures;

namespace MailAdmin.Dns.Tests.Checks;

/// <summary>The BIMI checks (src/MailAdmin.Dns/Checks/Bimi): the record on in-memory zones, the logo's SVG profile on the text
/// the fetcher hands over, and the fetcher's verdicts that need no server. Fetching a real logo and mark certificate over
/// HTTPS is tested end to end in tests/Pester/TestMailDomain.Tests.ps1 (BimiSvg, BimiMarkCertificate).</summary>
public class BimiChecksTests
{
    private const string GoodSvg = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" baseProfile=\"tiny-ps\" viewBox=\"0 0 100 100\">"
        + "<title>Example Ltd</title><circle cx=\"50\" cy=\"50\" r=\"40\" fill=\"#236\"/></svg>";

    private static ZoneResolver With(string dmarc, params string[] bimi)
    {
        var z = Good();
        z["_dmarc.example.com"].Txt[0] = dmarc;
        z["default._bimi.example.com"].Txt.AddRange(bimi);
        return z;
    }

    [Fact]
    public async Task A_valid_record_under_an_enforced_dmarc_policy_passes()
    {
        var checks = await RunAsync(With("v=DMARC1; p=reject", "v=BIMI1; l=https://example.com/logo.svg"));
        Row(checks, MailCheckId.BimiRecord, MailCheckStatus.Pass);
        Row(checks, MailCheckId.BimiDmarcPrerequisite, MailCheckStatus.Pass);
    }

    [Theory]
    [InlineData("v=DMARC1; p=none")]
    [InlineData("v=DMARC1; p=quarantine; pct=50")]
    public async Task Dmarc_not_fully_enforced_fails_the_prerequisite(string dmarc)
    {
        Row(await RunAsync(With(dmarc, "v=BIMI1; l=https://example.com/logo.svg")), MailCheckId.BimiDmarcPrerequisite, MailCheckStatus.Fail);
    }

    [Theory]
    [InlineData(new[] { "v=BIMI1; l=http://example.com/logo.svg" }, "must be an https URL of an SVG")]
    [InlineData(new[] { "v=BIMI1; l=https://example.com/logo.svg; a=ftp://example.com/vmc.pem" }, "PEM mark certificate")]
    [InlineData(new[] { "v=BIMI1; l=https://example.com/a.svg; l=https://example.com/b.svg" }, "appears more than once")]
    [InlineData(new[] { "v=BIMI1; l=https://example.com/a.svg", "v=BIMI1; l=https://example.com/b.svg" }, "2 BIMI records")]
    public async Task A_malformed_record_fails(string[] bimi, string summary)
    {
        var checks = await RunAsync(With("v=DMARC1; p=reject", bimi));
        Assert.Contains(summary, Row(checks, MailCheckId.BimiRecord, MailCheckStatus.Fail).Summary, StringComparison.Ordinal);
        NoRow(checks, MailCheckId.BimiRecord, MailCheckStatus.Pass);
    }

    [Fact]
    public async Task No_record_says_nothing()
    {
        var checks = await RunAsync(Good());
        NoRow(checks, MailCheckId.BimiRecord);
        NoRow(checks, MailCheckId.BimiDmarcPrerequisite);
    }

    [Fact]
    public void An_svg_tiny_ps_logo_with_a_title_passes()
    {
        var sink = new CheckSink();
        BimiFetcher.CheckSvg("https://example.com/logo.svg", GoodSvg, sink);
        Assert.Contains("SVG Tiny PS", Row(sink.Checks, MailCheckId.BimiSvg, MailCheckStatus.Pass).Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 200 100\"><script>alert(1)</script></svg>")]
    [InlineData("not xml at all")]
    public void A_logo_that_is_not_svg_tiny_ps_fails(string svg)
    {
        var sink = new CheckSink();
        BimiFetcher.CheckSvg("https://example.com/logo.svg", svg, sink);
        Row(sink.Checks, MailCheckId.BimiSvg, MailCheckStatus.Fail);
    }

    [Fact]
    public async Task A_logo_on_a_private_address_is_refused_and_a_record_without_a_certificate_warns()
    {
        var z = Good();
        z["logo.example.com"].A.Add(IPAddress.Parse("10.1.2.3"));
        var sink = new CheckSink();
        await new BimiFetcher(z).CheckAsync(Domain, "https://logo.example.com/logo.svg", null, sink, CancellationToken.None);
        Assert.Contains("not reachable from the internet", Row(sink.Checks, MailCheckId.BimiSvg, MailCheckStatus.Fail).Summary, StringComparison.Ordinal);
        Assert.Contains("no a= mark certificate", Row(sink.Checks, MailCheckId.BimiMarkCertificate, MailCheckStatus.Warning).Summary,
            StringComparison.Ordinal);
    }
}
