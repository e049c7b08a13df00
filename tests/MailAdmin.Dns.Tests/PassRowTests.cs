using System.Net;
using System.Security.Cryptography;
using MailAdmin.Dns.Checks;
using MailAdmin.Models;
using Xunit;

namespace MailAdmin.Dns.Tests;

/// <summary>Every check the engine evaluates reports its status, Pass included, under its own id (-Detailed shows what was
/// found good, not only what is wrong).</summary>
public class PassRowTests
{
    private static async Task<List<MailCheck>> Check(ZoneResolver z, params string[] selectors)
    {
        var report = await new DomainChecker(z).CheckAsync(
            "example.com",
            new DomainCheckOptions { FetchMtaStsPolicy = false, DkimSelectors = selectors },
            CancellationToken.None);
        return report.Checks;
    }

    private static ZoneResolver Good()
    {
        var z = new ZoneResolver();
        z["example.com"].Txt.Add("v=spf1 mx -all");
        z["example.com"].Mx.Add(new MxRecord(10, "mx.example.com"));
        z["mx.example.com"].A.Add(IPAddress.Parse("192.0.2.25"));
        z["_dmarc.example.com"].Txt.Add("v=DMARC1; p=reject; rua=mailto:dmarc@example.com");
        return z;
    }

    [Fact]
    public async Task A_valid_tls_rpt_record_has_a_pass_row_of_its_own()
    {
        var z = Good();
        z["_smtp._tls.example.com"].Txt.Add("v=TLSRPTv1; rua=mailto:tls@example.com");
        var checks = await Check(z);
        var record = Assert.Single(checks, c => c.Id == MailCheckId.TlsRptRecord);
        Assert.Equal(MailCheckStatus.Pass, record.Status);
        Assert.Contains(checks, c => c.Id == MailCheckId.TlsRptRua && c.Status == MailCheckStatus.Pass);
    }

    [Fact]
    public async Task A_valid_bimi_record_has_a_pass_row_of_its_own()
    {
        var z = Good();
        z["default._bimi.example.com"].Txt.Add("v=BIMI1; l=https://example.com/logo.svg");
        var record = Assert.Single(await Check(z), c => c.Id == MailCheckId.BimiRecord);
        Assert.Equal(MailCheckStatus.Pass, record.Status);
    }

    [Fact]
    public async Task A_dkim_key_reports_its_size_and_type()
    {
        var z = Good();
        using var rsa = RSA.Create(2048);
        z["s1._domainkey.example.com"].Txt.Add("v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
        var size = Assert.Single(await Check(z, "s1"), c => c.Id == MailCheckId.DkimKeySize);
        Assert.Equal(MailCheckStatus.Pass, size.Status);
        Assert.Contains("RSA 2048", size.Summary);
    }

    [Fact]
    public async Task A_correct_null_mx_passes()
    {
        var z = new ZoneResolver();
        z["example.com"].Txt.Add("v=spf1 -all");
        z["example.com"].Mx.Add(new MxRecord(0, "."));
        z["_dmarc.example.com"].Txt.Add("v=DMARC1; p=reject");
        var nullMx = Assert.Single(await Check(z), c => c.Id == MailCheckId.NullMx);
        Assert.Equal(MailCheckStatus.Pass, nullMx.Status);
    }

    [Fact]
    public void Rsa_keys_are_read_in_both_published_forms_and_garbage_is_refused()
    {
        using var rsa = RSA.Create(2048);
        Assert.Equal(2048, DkimCheck.RsaKeyBits(rsa.ExportSubjectPublicKeyInfo()));
        Assert.Equal(2048, DkimCheck.RsaKeyBits(rsa.ExportRSAPublicKey()));
        Assert.Equal(-1, DkimCheck.RsaKeyBits(new byte[] { 0x30, 0x03, 0x02, 0x01 }));
        Assert.Equal(-1, DkimCheck.RsaKeyBits(Convert.FromBase64String("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")));
    }
}
