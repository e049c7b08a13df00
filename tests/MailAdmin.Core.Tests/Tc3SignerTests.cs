using MailAdmin.Remote;
using Xunit;

namespace MailAdmin.Core.Tests;

/// <summary>
/// TC3-HMAC-SHA256 against the worked example of Tencent Cloud's "Signature v3" page (English edition: CVM
/// DescribeInstances, timestamp 1551113065, SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE).
/// </summary>
public class Tc3SignerTests
{
    private const string Payload = "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}";
    private const string ContentType = "application/json; charset=utf-8";

    [Fact]
    public void Canonical_request_matches_the_published_example()
    {
        var cr = Tc3Signer.CanonicalRequest("POST", "", ContentType, "cvm.tencentcloudapi.com", Payload);
        Assert.Equal("POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064", cr);
        Assert.Equal("TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
            Tc3Signer.StringToSign(1551113065, "cvm", cr));
    }

    [Fact]
    public void Signature_and_authorization_match_the_published_example()
    {
        var auth = Tc3Signer.Authorization("AKIDEXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", 1551113065, "POST", "", ContentType, "cvm.tencentcloudapi.com", Payload);
        Assert.Equal("TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", auth);
    }

    [Fact]
    public void Scope_date_is_utc_not_local()
    {
        // 1551113065 is 2019-02-26 00:44:25 in UTC+8, but the scope date is the UTC one
        Assert.StartsWith("2019-02-25/", Tc3Signer.Scope(1551113065, "dnspod"));
    }

    [Fact]
    public void Any_change_to_the_body_or_key_changes_the_signature()
    {
        var a = Tc3Signer.Authorization("id", "key", "dnspod", 1700000000, "POST", "", ContentType, "dnspod.tencentcloudapi.com", "{\"Domain\":\"a.cn\"}");
        Assert.NotEqual(a, Tc3Signer.Authorization("id", "key", "dnspod", 1700000000, "POST", "", ContentType, "dnspod.tencentcloudapi.com", "{\"Domain\":\"b.cn\"}"));
        Assert.NotEqual(a, Tc3Signer.Authorization("id", "kez", "dnspod", 1700000000, "POST", "", ContentType, "dnspod.tencentcloudapi.com", "{\"Domain\":\"a.cn\"}"));
        Assert.DoesNotContain("key", a.Replace("SignedHeaders", ""));
    }
}
