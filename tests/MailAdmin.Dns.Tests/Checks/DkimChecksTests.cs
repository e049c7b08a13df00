using System.Net;
using System.Security.Cryptography;
using MailAdmin.Dns.Checks;
using MailAdmin.Models;
using Xunit;
using static MailAdmin.Dns.Tests.Checks.CheckFixtures;

namespace MailAdmin.Dns.Tests.Checks;

/// <summary>The DKIM checks (src/MailAdmin.Dns/Checks/Dkim) on in-memory zones: the key records under the selectors asked, and
/// which selectors are asked (known ones first, guesses only when none is known).</summary>
public class DkimChecksTests
{
    private const string Ed25519 = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    private static readonly string Rsa2048 = Key(2048);
    private static readonly string Rsa1024 = Key(1024);
    private static readonly string Rsa512 = Key(512);

    private static string Key(int bits)
    {
        using var rsa = RSA.Create(bits);
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    private static Task<List<MailCheck>> Selector(string record, string selector = "s1")
    {
        var z = Good();
        z[$"{selector}._domainkey.example.com"].Txt.Add(record);
        return RunAsync(z, o => o.DkimSelectors = new[] { selector });
    }

    [Fact]
    public async Task A_2048_bit_rsa_key_passes_with_its_size_and_type()
    {
        var checks = await Selector("v=DKIM1; k=rsa; p=" + Rsa2048);
        Assert.Contains("s1._domainkey.example.com", Row(checks, MailCheckId.DkimPublicKey, MailCheckStatus.Pass).Summary);
        Assert.Contains("RSA 2048", Row(checks, MailCheckId.DkimKeySize, MailCheckStatus.Pass).Summary);
        Assert.DoesNotContain(checks, c => c.Area == "DKIM" && c.Status >= MailCheckStatus.Warning);
    }

    [Theory]
    [InlineData("v=DKIM1; k=rsa; p=RSA1024", MailCheckId.DkimKeySize, MailCheckStatus.Warning, "use 2048 bits")]
    [InlineData("v=DKIM1; k=rsa; p=RSA512", MailCheckId.DkimKeySize, MailCheckStatus.Fail, "under 1024 bits")]
    [InlineData("v=DKIM1; k=ed25519; p=" + Ed25519, MailCheckId.DkimKeySize, MailCheckStatus.Info, "Ed25519")]
    [InlineData("v=DKIM1; k=ed25519; p=AAAA", MailCheckId.DkimKeySize, MailCheckStatus.Fail, "32 bytes")]
    [InlineData("v=DKIM1; k=rsa; p=" + Ed25519, MailCheckId.DkimPublicKey, MailCheckStatus.Fail, "not an RSA public key")]
    [InlineData("v=DKIM1; k=rsa; p=!!notbase64!!", MailCheckId.DkimPublicKey, MailCheckStatus.Fail, "not valid base64")]
    [InlineData("v=DKIM1; k=rsa", MailCheckId.DkimPublicKey, MailCheckStatus.Fail, "no p= tag")]
    [InlineData("v=DKIM1; k=rsa; p=", MailCheckId.DkimPublicKey, MailCheckStatus.Fail, "revoked")]
    [InlineData("v=DKIM2; k=rsa; p=RSA2048", MailCheckId.DkimVersion, MailCheckStatus.Fail, "DKIM1")]
    [InlineData("k=rsa; v=DKIM1; p=RSA2048", MailCheckId.DkimVersion, MailCheckStatus.Fail, "come first")]
    [InlineData("v=DKIM1; k=dsa; p=RSA2048", MailCheckId.DkimKeyType, MailCheckStatus.Fail, "k=dsa")]
    [InlineData("v=DKIM1; h=sha1; k=rsa; p=RSA2048", MailCheckId.DkimHashAlgorithms, MailCheckStatus.Fail, "sha1 only")]
    [InlineData("v=DKIM1; h=sha1:sha256; k=rsa; p=RSA2048", MailCheckId.DkimHashAlgorithms, MailCheckStatus.Warning, "allows sha1")]
    [InlineData("v=DKIM1; t=y; k=rsa; p=RSA2048", MailCheckId.DkimFlags, MailCheckStatus.Warning, "testing")]
    [InlineData("v=DKIM1; s=tlsrpt; k=rsa; p=RSA2048", MailCheckId.DkimServiceType, MailCheckStatus.Fail, "s=tlsrpt")]
    [InlineData("v=DKIM1; g=*; k=rsa; p=RSA2048", MailCheckId.DkimLegacyTags, MailCheckStatus.Warning, "g=")]
    [InlineData("v=DKIM1; k=rsa; p=RSA2048; =x", MailCheckId.DkimRecord, MailCheckStatus.Fail, "syntax error")]
    public async Task A_key_record_gets_the_row_its_rule_gives(string record, MailCheckId id, MailCheckStatus status, string summary)
    {
        record = record.Replace("RSA2048", Rsa2048, StringComparison.Ordinal)
            .Replace("RSA1024", Rsa1024, StringComparison.Ordinal)
            .Replace("RSA512", Rsa512, StringComparison.Ordinal);
        var row = Row(await Selector(record), id, status);
        Assert.Contains(summary, row.Summary, StringComparison.Ordinal);
        Assert.Equal("DKIM selector s1", row.Name);
    }

    [Fact]
    public async Task A_revoked_key_found_by_guessing_is_information()
    {
        var z = Good();
        z["_domainkey.example.com"].Txt.Add("o=~");
        z["default._domainkey.example.com"].Txt.Add("v=DKIM1; k=rsa; p=");
        Row(await RunAsync(z, o => o.DkimSelectorGuess = DkimSelectorGuess.Common), MailCheckId.DkimPublicKey, MailCheckStatus.Info);
    }

    [Fact]
    public async Task Two_records_under_one_selector_fail()
    {
        var z = Good();
        z["s1._domainkey.example.com"].Txt.Add("v=DKIM1; k=ed25519; p=" + Ed25519);
        z["s1._domainkey.example.com"].Txt.Add("v=DKIM1; k=rsa; p=" + Rsa2048);
        Assert.Contains("2 TXT records", Row(await RunAsync(z, o => o.DkimSelectors = new[] { "s1" }), MailCheckId.DkimRecord, MailCheckStatus.Fail).Summary);
    }

    [Fact]
    public async Task A_named_selector_without_a_key_fails()
    {
        var checks = await RunAsync(Good(), o => o.DkimSelectors = new[] { "gone" });
        Assert.Contains(checks, c => c.Id == MailCheckId.DkimSelectors && c.Name == "DKIM selector gone" && c.Status == MailCheckStatus.Fail);
        Assert.Contains(checks, c => c.Id == MailCheckId.DkimSelectors && c.Name == "DKIM keys" && c.Status == MailCheckStatus.Fail);
    }

    [Fact]
    public async Task A_dangling_dkim_alias_is_seen_from_the_txt_answer()
    {
        var z = Good();
        z["s2._domainkey.example.com"].Cname = "gone.example.net";
        var c = Row(await RunAsync(z, o => o.DkimSelectors = new[] { "s2" }), MailCheckId.DkimRecord, MailCheckStatus.Fail);
        Assert.Contains("gone.example.net", c.Summary);
        Assert.DoesNotContain(z.Asked, q => q.StartsWith("CNAME ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_named_selector_is_asked_alone()
    {
        var z = Good();
        z["mail._domainkey.example.com"].Txt.Add("v=DKIM1; k=ed25519; p=" + Ed25519);
        await RunAsync(z, o => o.DkimSelectors = new[] { "mail" });
        Assert.Equal(new[] { "TXT mail._domainkey.example.com" }, z.Asked.Where(q => q.Contains("_domainkey", StringComparison.Ordinal)).Distinct());
    }

    [Fact]
    public async Task Common_selectors_are_guessed_only_when_none_is_known()
    {
        var z = Good();
        z["_domainkey.example.com"].Txt.Add("o=~");
        z["mail._domainkey.example.com"].Txt.Add("v=DKIM1; k=ed25519; p=" + Ed25519);
        var checks = await RunAsync(z, o => o.DkimSelectorGuess = DkimSelectorGuess.Common);
        Assert.Equal(DkimCheck.CommonSelectors.Length, z.Asked.Count(q => q.Contains("._domainkey.", StringComparison.Ordinal)));
        Assert.Contains("TXT _domainkey.example.com", z.Asked);
        Assert.Contains(checks, c => c.Id == MailCheckId.DkimPublicKey && c.Name == "DKIM selector mail" && c.Status == MailCheckStatus.Pass);
    }

    [Fact]
    public async Task Guessing_under_a_domainkey_name_that_does_not_exist_stops_with_a_warning()
    {
        var z = Good();
        var checks = await RunAsync(z, o => o.DkimSelectorGuess = DkimSelectorGuess.Common);
        Assert.Contains("does not exist", Row(checks, MailCheckId.DkimSelectors, MailCheckStatus.Warning).Summary);
        Assert.DoesNotContain(z.Asked, q => q.Contains("._domainkey.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Guesses_that_find_nothing_warn()
    {
        var z = Good();
        z["_domainkey.example.com"].Txt.Add("o=~");
        Assert.Contains("No DKIM key found", Row(await RunAsync(z, o => o.DkimSelectorGuess = DkimSelectorGuess.Common), MailCheckId.DkimSelectors,
            MailCheckStatus.Warning).Summary);
    }

    [Fact]
    public async Task Guessing_can_be_turned_off()
    {
        var z = Good();
        var checks = await RunAsync(z);
        Assert.DoesNotContain(z.Asked, q => q.Contains("_domainkey", StringComparison.Ordinal));
        Row(checks, MailCheckId.DkimSelectors, MailCheckStatus.Info);
    }

    [Fact]
    public async Task The_provider_table_gives_the_selectors_of_a_known_mx()
    {
        var z = Good();
        z[Domain].Mx.Clear();
        z[Domain].Mx.Add(new MxRecord(0, "example-com.mail.protection.outlook.com"));
        z["example-com.mail.protection.outlook.com"].A.Add(IPAddress.Parse("52.101.0.1"));
        await RunAsync(z, o => o.DkimSelectorGuess = DkimSelectorGuess.Common);
        Assert.Equal(
            new[] { "TXT selector1._domainkey.example.com", "TXT selector2._domainkey.example.com" },
            z.Asked.Where(q => q.Contains("_domainkey", StringComparison.Ordinal)).Distinct());
    }

    [Fact]
    public void Rsa_keys_are_read_in_both_published_forms_and_garbage_is_refused()
    {
        using var rsa = RSA.Create(2048);
        Assert.Equal(2048, DkimCheck.RsaKeyBits(rsa.ExportSubjectPublicKeyInfo()));
        Assert.Equal(2048, DkimCheck.RsaKeyBits(rsa.ExportRSAPublicKey()));
        Assert.Equal(-1, DkimCheck.RsaKeyBits(new byte[] { 0x30, 0x03, 0x02, 0x01 }));
        Assert.Equal(-1, DkimCheck.RsaKeyBits(Convert.FromBase64String(Ed25519)));
        // the size agrees with the crypto library's own reading of the key, for sizes that are not multiples of 256
        foreach (var size in new[] { 512, 1024, 1032, 1536, 3072 })
        {
            using var k = RSA.Create(size);
            using var imported = RSA.Create();
            imported.ImportSubjectPublicKeyInfo(k.ExportSubjectPublicKeyInfo(), out _);
            Assert.Equal(imported.KeySize, DkimCheck.RsaKeyBits(k.ExportSubjectPublicKeyInfo()));
            Assert.Equal(size, DkimCheck.RsaKeyBits(k.ExportRSAPublicKey()));
        }
        // trailing bytes, another algorithm's key, a truncated key
        Assert.Equal(-1, DkimCheck.RsaKeyBits(rsa.ExportSubjectPublicKeyInfo().Concat(new byte[] { 0 }).ToArray()));
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(-1, DkimCheck.RsaKeyBits(ec.ExportSubjectPublicKeyInfo()));
        Assert.Equal(-1, DkimCheck.RsaKeyBits(rsa.ExportSubjectPublicKeyInfo().AsSpan(0, 100).ToArray()));
    }
}
