using MailAdmin.Models;
using Xunit;
using static MailAdmin.Dns.Tests.Checks.CheckFixtures;

namespace MailAdmin.Dns.Tests.Checks;

/// <summary>The TLS-RPT checks (src/MailAdmin.Dns/Checks/TlsRpt) on in-memory zones.</summary>
public class TlsRptChecksTests
{
    private static ZoneResolver With(params string[] txt)
    {
        var z = Good();
        z["_smtp._tls.example.com"].Txt.AddRange(txt);
        return z;
    }

    [Fact]
    public async Task A_valid_record_has_pass_rows_of_its_own()
    {
        var checks = await RunAsync(With("v=TLSRPTv1; rua=mailto:tls@example.com,https://reports.example.com/tls"));
        Row(checks, MailCheckId.TlsRptRecord, MailCheckStatus.Pass);
        Assert.Contains("mailto:tls@example.com", Row(checks, MailCheckId.TlsRptRua, MailCheckStatus.Pass).Summary);
    }

    [Fact]
    public async Task No_record_is_information_without_mta_sts_and_a_warning_with_it()
    {
        Row(await RunAsync(Good()), MailCheckId.TlsRptRecord, MailCheckStatus.Info);
        var sts = Good();
        sts["_mta-sts.example.com"].Txt.Add("v=STSv1; id=1");
        Row(await RunAsync(sts), MailCheckId.TlsRptCompanion, MailCheckStatus.Warning);
        sts["_smtp._tls.example.com"].Txt.Add("v=TLSRPTv1; rua=mailto:tls@example.com");
        NoRow(await RunAsync(sts), MailCheckId.TlsRptCompanion);
    }

    [Theory]
    [InlineData(new[] { "v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com" }, MailCheckId.TlsRptRecord, MailCheckStatus.Fail,
        "2 TLS-RPT records")]
    [InlineData(new[] { "v=TLSRPTv1; rua=mailto:a@example.com", "hello" }, MailCheckId.TlsRptRecord, MailCheckStatus.Warning, "not TLS-RPT")]
    [InlineData(new[] { "v=TLSRPTv1" }, MailCheckId.TlsRptRua, MailCheckStatus.Fail, "no rua=")]
    [InlineData(new[] { "v=TLSRPTv1; rua=http://example.com/r" }, MailCheckId.TlsRptRua, MailCheckStatus.Fail, "http://example.com/r")]
    [InlineData(new[] { "v=TLSRPTv1; rua=mailto:nobody" }, MailCheckId.TlsRptRua, MailCheckStatus.Fail, "mailto:nobody")]
    public async Task A_record_gets_the_row_its_rule_gives(string[] txt, MailCheckId id, MailCheckStatus status, string summary)
    {
        Assert.Contains(summary, Row(await RunAsync(With(txt)), id, status).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_that_does_not_start_with_the_version_fails()
    {
        var sink = new Dns.Checks.CheckSink();
        Dns.Checks.TlsRptCheck.CheckTlsRpt("rua=mailto:a@example.com; v=TLSRPTv1", sink);
        Row(sink.Checks, MailCheckId.TlsRptRecord, MailCheckStatus.Fail);
        Row(sink.Checks, MailCheckId.TlsRptRua, MailCheckStatus.Pass);
    }
}
