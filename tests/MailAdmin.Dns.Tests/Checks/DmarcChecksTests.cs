using MailAdmin.Models;
using Xunit;
using static MailAdmin.Dns.Tests.Checks.CheckFixtures;

namespace MailAdmin.Dns.Tests.Checks;

/// <summary>The DMARC checks (src/MailAdmin.Dns/Checks/Dmarc) on in-memory zones.</summary>
public class DmarcChecksTests
{
    /// <summary>The fixture zone with the TXT records at _dmarc replaced ("|" separates records).</summary>
    private static ZoneResolver With(string txt)
    {
        var z = Good();
        z["_dmarc.example.com"].Txt.Clear();
        z["_dmarc.example.com"].Txt.AddRange(txt.Split('|'));
        return z;
    }

    private const string Rua = "; rua=mailto:dmarc@example.com";

    [Theory]
    [InlineData("v=DMARC1; p=reject" + Rua, MailCheckId.DmarcRecord, MailCheckStatus.Pass, "_dmarc.example.com")]
    [InlineData("v=DMARC1; p=reject" + Rua, MailCheckId.DmarcPolicyStrength, MailCheckStatus.Pass, "The policy is reject.")]
    [InlineData("v=DMARC1; p=reject; t=y" + Rua, MailCheckId.DmarcPolicyStrength, MailCheckStatus.Info, "test mode")]
    [InlineData("v=DMARC1; p=quarantine" + Rua, MailCheckId.DmarcPolicyStrength, MailCheckStatus.Info, "quarantine")]
    [InlineData("v=DMARC1; p=none" + Rua, MailCheckId.DmarcPolicyStrength, MailCheckStatus.Warning, "failing mail is still delivered")]
    [InlineData("hello", MailCheckId.DmarcRecord, MailCheckStatus.Fail, "No DMARC record")]
    [InlineData("v=DMARC1; p=reject" + Rua + "|v=DMARC1; p=none", MailCheckId.DmarcMultiple, MailCheckStatus.Fail, "2 DMARC records")]
    [InlineData(" v=DMARC1; p=reject" + Rua, MailCheckId.DmarcLeadingWhitespace, MailCheckStatus.Fail, "white space")]
    [InlineData("v=DMARC1; p=reject" + Rua + "|google-site-verification=x", MailCheckId.DmarcUnrelatedTxt, MailCheckStatus.Warning, "not DMARC")]
    [InlineData("v=DMARC12; p=reject" + Rua, MailCheckId.DmarcGrammar, MailCheckStatus.Fail, "exactly 'v=DMARC1'")]
    [InlineData("v=DMARC1; rua=mailto:dmarc@example.com", MailCheckId.DmarcPolicy, MailCheckStatus.Fail, "no p= tag")]
    [InlineData("v=DMARC1; p=block" + Rua, MailCheckId.DmarcPolicy, MailCheckStatus.Fail, "p=block")]
    [InlineData("v=DMARC1; rua=mailto:dmarc@example.com; p=reject", MailCheckId.DmarcPolicy, MailCheckStatus.Warning, "follow v=DMARC1")]
    [InlineData("v=DMARC1; p=reject; sp=bogus" + Rua, MailCheckId.DmarcSubdomainPolicy, MailCheckStatus.Fail, "sp=bogus")]
    [InlineData("v=DMARC1; p=reject; sp=none" + Rua, MailCheckId.DmarcSubdomainPolicy, MailCheckStatus.Warning, "subdomains unprotected")]
    [InlineData("v=DMARC1; p=reject; pct=150" + Rua, MailCheckId.DmarcPct, MailCheckStatus.Fail, "pct=150")]
    [InlineData("v=DMARC1; p=reject; pct=20" + Rua, MailCheckId.DmarcPct, MailCheckStatus.Warning, "only 20%")]
    [InlineData("v=DMARC1; p=reject; adkim=x" + Rua, MailCheckId.DmarcAlignment, MailCheckStatus.Fail, "adkim=x")]
    [InlineData("v=DMARC1; p=reject; fo=2" + Rua + "; ruf=mailto:f@example.com", MailCheckId.DmarcFailureOptions, MailCheckStatus.Fail, "fo=2")]
    [InlineData("v=DMARC1; p=reject; fo=1" + Rua, MailCheckId.DmarcFailureOptions, MailCheckStatus.Info, "without ruf")]
    [InlineData("v=DMARC1; p=reject; rf=iodef" + Rua, MailCheckId.DmarcReportFormatInterval, MailCheckStatus.Warning, "afrf")]
    [InlineData("v=DMARC1; p=reject; ri=daily" + Rua, MailCheckId.DmarcReportFormatInterval, MailCheckStatus.Warning, "ri=daily")]
    [InlineData("v=DMARC1; p=reject; psd=maybe" + Rua, MailCheckId.DmarcPsd, MailCheckStatus.Fail, "psd=maybe")]
    [InlineData("v=DMARC1; p=reject; foo=bar" + Rua, MailCheckId.DmarcUnknownTags, MailCheckStatus.Warning, "'foo'")]
    [InlineData("v=DMARC1; p=reject; p=none" + Rua, MailCheckId.DmarcUnknownTags, MailCheckStatus.Fail, "more than once")]
    [InlineData("v=DMARC1; p=reject", MailCheckId.DmarcReportUris, MailCheckStatus.Warning, "No rua=")]
    [InlineData("v=DMARC1; p=reject; rua=dmarc@example.com", MailCheckId.DmarcReportUris, MailCheckStatus.Fail, "no URI scheme")]
    [InlineData("v=DMARC1; p=reject; rua=mailto:example.com", MailCheckId.DmarcReportUris, MailCheckStatus.Fail, "not a mail address")]
    [InlineData("v=DMARC1; p=reject; rua=http://example.com/r", MailCheckId.DmarcReportUris, MailCheckStatus.Warning, "plain http")]
    [InlineData("v=DMARC1; p=reject; rua=mailto:a@example.com,mailto:b@example.com,mailto:c@example.com", MailCheckId.DmarcReportUris,
        MailCheckStatus.Warning, "3 addresses")]
    [InlineData("v=DMARC1; p=reject; rua=mailto:d@nomx.example.com", MailCheckId.DmarcReportMailboxMx, MailCheckStatus.Warning, "no MX record")]
    [InlineData("v=DMARC1; p=reject; rua=mailto:d@reports.example.net", MailCheckId.DmarcExternalReports, MailCheckStatus.Warning, "not authorised")]
    [InlineData("v=DMARC1; p=reject; rua=mailto:d@ok.example.org", MailCheckId.DmarcExternalReports, MailCheckStatus.Pass, "has authorised")]
    public async Task A_record_gets_the_row_its_rule_gives(string txt, MailCheckId id, MailCheckStatus status, string summary)
    {
        var z = With(txt);
        z["reports.example.net"].Mx.Add(new MxRecord(10, "mx.reports.example.net"));
        z["ok.example.org"].Mx.Add(new MxRecord(10, "mx.ok.example.org"));
        z["example.com._report._dmarc.ok.example.org"].Txt.Add("v=DMARC1");
        z["nomx.example.com"].A.Add(CheckFixtures.Mx1Ip);
        Assert.Contains(summary, Row(await RunAsync(z), id, status).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_at_the_apex_instead_of_under_dmarc_fails()
    {
        var z = Good();
        z[Domain].Txt.Add("v=DMARC1; p=reject");
        Assert.Contains("no effect", Row(await RunAsync(z), MailCheckId.DmarcUnrelatedTxt, MailCheckStatus.Fail).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subdomain_without_a_record_falls_back_to_the_organisational_domain()
    {
        var z = Good();
        z["sub.example.com"].Of("SOA").Add("ns1.example.com. hostmaster.example.com. 1 3600 600 1209600 300");
        z["sub.example.com"].Mx.Add(new MxRecord(10, "mx1.example.com"));
        var report = await new Dns.Checks.DomainChecker(z).CheckAsync(
            "sub.example.com",
            new Dns.Checks.DomainCheckOptions { FetchMtaStsPolicy = false, DkimSelectorGuess = Dns.Checks.DkimSelectorGuess.None },
            CancellationToken.None);
        Assert.Contains("example.com", Row(report.Checks, MailCheckId.DmarcRecord, MailCheckStatus.Pass).Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v=DMARC1; p=reject", MailCheckStatus.Pass)]
    [InlineData("v=DMARC1; p=none", MailCheckStatus.Warning)]
    public async Task A_domain_that_takes_no_mail_should_reject_in_its_name(string txt, MailCheckStatus status)
    {
        var z = With(txt);
        z[Domain].Mx.Clear();
        z[Domain].Mx.Add(new MxRecord(0, "."));
        Row(await RunAsync(z), MailCheckId.DmarcParkedDomain, status);
        NoRow(await RunAsync(With(txt)), MailCheckId.DmarcParkedDomain);
    }
}
