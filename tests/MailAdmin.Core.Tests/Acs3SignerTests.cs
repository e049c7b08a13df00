using MailAdmin.Remote;
using Xunit;

namespace MailAdmin.Core.Tests;

/// <summary>
/// ACS3-HMAC-SHA256 against the fixed worked example of Alibaba Cloud's "V3 request structure and signature" page
/// (ECS RunInstances in cn-shanghai, 2023-10-26T10:22:32Z, nonce 3156853299f313e23d1673dc12e1703d, YourAccessKeyId /
/// YourAccessKeySecret).
/// </summary>
public class Acs3SignerTests
{
    private static readonly Dictionary<string, string> Query = new()
    {
        ["RegionId"] = "cn-shanghai",
        ["ImageId"] = "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
    };
    private static Dictionary<string, string> Headers() => new()
    {
        ["x-acs-version"] = "2014-05-26",
        ["host"] = "ecs.cn-shanghai.aliyuncs.com",
        ["x-acs-action"] = "RunInstances",
        ["x-acs-date"] = "2023-10-26T10:22:32Z",
        ["x-acs-signature-nonce"] = "3156853299f313e23d1673dc12e1703d",
        ["x-acs-content-sha256"] = Acs3Signer.EmptyPayloadHash,
    };

    [Fact]
    public void Canonical_request_matches_the_published_example()
    {
        Assert.Equal("POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n" +
            "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
            "x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n" +
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            Acs3Signer.CanonicalRequest("POST", "/", Query, Headers(), Acs3Signer.EmptyPayloadHash));
        Assert.Equal(Acs3Signer.EmptyPayloadHash, Acs3Signer.PayloadHash(new byte[0]));
    }

    [Fact]
    public void Authorization_matches_the_published_example()
    {
        Assert.Equal("ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version," +
            "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
            Acs3Signer.Authorization("YourAccessKeyId", "YourAccessKeySecret", "POST", "/", Query, Headers(), Acs3Signer.EmptyPayloadHash));
    }

    [Fact]
    public void Encodes_per_rfc3986()
    {
        Assert.Equal("a%20b%2Ac~d%2F%C3%A9%2B%3D%22", Acs3Signer.Encode("a b*c~d/é+=\""));
        Assert.Equal("A=1&a=x%20y&b=", Acs3Signer.CanonicalQuery(new Dictionary<string, string> { ["b"] = "", ["a"] = "x y", ["A"] = "1" }));
    }
}
