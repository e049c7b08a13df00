using MailAdmin.Dns.Checks;
using MailAdmin.Models;
using Xunit;
using static MailAdmin.Dns.Tests.Checks.CheckFixtures;

namespace MailAdmin.Dns.Tests.Checks;

/// <summary>The MTA-STS checks (src/MailAdmin.Dns/Checks/MtaSts): the TXT record on in-memory zones, the policy text as the
/// fetcher hands it over, and the MX TLS verdict under an enforced policy. The HTTPS fetch itself is tested against a
/// loopback server in MtaStsFetchTests and FetchLimitsTests.</summary>
public class MtaStsChecksTests
{
    private static ZoneResolver With(params string[] txt)
    {
        var z = Good();
        z["_mta-sts.example.com"].Txt.AddRange(txt);
        return z;
    }

    [Fact]
    public async Task A_valid_record_passes()
    {
        var checks = await RunAsync(With("v=STSv1; id=2026112701"));
        Row(checks, MailCheckId.MtaStsRecord, MailCheckStatus.Pass);
        NoRow(checks, MailCheckId.MtaStsRecordSyntax);
    }

    [Fact]
    public async Task No_record_is_information_and_two_fail()
    {
        Row(await RunAsync(Good()), MailCheckId.MtaStsRecord, MailCheckStatus.Info);
        Assert.Contains("2 MTA-STS records", Row(await RunAsync(With("v=STSv1; id=1", "v=STSv1; id=2")), MailCheckId.MtaStsRecord,
            MailCheckStatus.Fail).Summary);
    }

    [Fact]
    public async Task Unrelated_txt_beside_the_record_warns()
    {
        Row(await RunAsync(With("v=STSv1; id=1", "hello")), MailCheckId.MtaStsRecord, MailCheckStatus.Warning);
    }

    [Theory]
    [InlineData("v=STSv1", "no id=")]
    [InlineData("v=STSv1; id=not-valid!", "1-32 letters and digits")]
    [InlineData("v=STSv1; id=1; id=2", "more than once")]
    [InlineData("v=STSv10; id=1", "exactly 'v=STSv1'")]
    public async Task A_malformed_record_fails_its_syntax(string record, string summary)
    {
        var rows = (await RunAsync(With(record))).Where(c => c.Id == MailCheckId.MtaStsRecordSyntax).ToList();
        Assert.Contains(rows, r => r.Status == MailCheckStatus.Fail && r.Summary.Contains(summary, StringComparison.Ordinal));
    }

    [Fact]
    public void A_good_policy_passes_mode_and_max_age()
    {
        var sink = new CheckSink();
        var p = MtaStsPolicy.Parse("version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 604800\n", sink);
        Assert.Equal("enforce", p.Mode);
        Row(sink.Checks, MailCheckId.MtaStsMode, MailCheckStatus.Pass);
        NoRow(sink.Checks, MailCheckId.MtaStsPolicySyntax);
        NoRow(sink.Checks, MailCheckId.MtaStsMaxAge, MailCheckStatus.Warning, MailCheckStatus.Fail);
        Assert.True(MtaStsPolicy.Matches("*.example.com", "mx1.example.com"));
        Assert.False(MtaStsPolicy.Matches("*.example.com", "a.b.example.com"));
    }

    [Theory]
    [InlineData("version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 604800\n", MailCheckId.MtaStsMode, MailCheckStatus.Warning, "does not protect")]
    [InlineData("version: STSv1\nmode: strict\nmx: mx1.example.com\nmax_age: 604800\n", MailCheckId.MtaStsPolicySyntax, MailCheckStatus.Fail,
        "must be enforce")]
    [InlineData("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 3600\n", MailCheckId.MtaStsMaxAge, MailCheckStatus.Warning, "under a day")]
    [InlineData("version: STSv1\nmode: enforce\nmode: none\nmx: mx1.example.com\nmax_age: 604800\n", MailCheckId.MtaStsPolicySyntax,
        MailCheckStatus.Fail, "'mode' appears more than once")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 604800\n", MailCheckId.MtaStsPolicySyntax, MailCheckStatus.Fail, "no mx patterns")]
    [InlineData("version: STSv1\nmode: enforce\nmx: mx1.example.com\n", MailCheckId.MtaStsPolicySyntax, MailCheckStatus.Fail, "no valid max_age")]
    [InlineData("version: STSv1\nmode enforce\nmx: mx1.example.com\nmax_age: 604800\n", MailCheckId.MtaStsPolicySyntax, MailCheckStatus.Fail,
        "is not 'key: value'")]
    public void A_policy_gets_the_row_its_rule_gives(string text, MailCheckId id, MailCheckStatus status, string summary)
    {
        var sink = new CheckSink();
        MtaStsPolicy.Parse(text, sink);
        Assert.Contains(sink.Checks, c => c.Id == id && c.Status == status && c.Summary.Contains(summary, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(MailCheckStatus.Pass, MailCheckStatus.Pass)]
    [InlineData(MailCheckStatus.Fail, MailCheckStatus.Fail)]
    public async Task Under_an_enforced_policy_the_mx_tls_verdict_follows_the_probe(MailCheckStatus startTls, MailCheckStatus verdict)
    {
        var sink = new CheckSink();
        sink.Checks.Add(MailCheck.Create(MailCheckId.SmtpStartTls, "STARTTLS mx1.example.com", startTls, "STARTTLS offered or not.", "RFC 3207",
            area: "SMTP"));
        var options = new DomainCheckOptions { ProbeSmtp = true };
        var context = new CheckContext(Good(), Domain, options, sink, new MailDomainReport(), CancellationToken.None) { MtaStsMode = "enforce" };
        await new MtaStsMxTlsCheck().RunAsync(context);
        Row(sink.Checks, MailCheckId.MtaStsMxTls, verdict);

        var testing = new CheckSink();
        testing.Checks.AddRange(sink.Checks.Where(c => c.Id != MailCheckId.MtaStsMxTls));
        await new MtaStsMxTlsCheck().RunAsync(new CheckContext(Good(), Domain, options, testing, new MailDomainReport(), CancellationToken.None)
        {
            MtaStsMode = "testing",
        });
        NoRow(testing.Checks, MailCheckId.MtaStsMxTls);
    }
}
