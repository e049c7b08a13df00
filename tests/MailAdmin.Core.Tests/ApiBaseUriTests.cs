using System;
using MailAdmin.Errors;
using MailAdmin.Remote;
using Xunit;

namespace MailAdmin.Core.Tests;

/// <summary>-ApiBaseUri names the host; a URI without a path gets the provider's documented path (issue 14, item 4).</summary>
public class ApiBaseUriTests
{
    private static readonly Uri Exmail = new("https://api.exmail.qq.com/cgi-bin/");

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/cgi-bin/")]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5000/cgi-bin/")]
    [InlineData("https://mail.example.com", "https://mail.example.com/cgi-bin/")]
    [InlineData("http://127.0.0.1:5000/cgi-bin/", "http://127.0.0.1:5000/cgi-bin/")]
    [InlineData("http://127.0.0.1:5000/cgi-bin", "http://127.0.0.1:5000/cgi-bin/")]
    [InlineData("https://gw.example.com/tencent/api/", "https://gw.example.com/tencent/api/")]
    public void A_bare_host_gets_the_documented_path_and_a_path_is_kept(string given, string expected)
        => Assert.Equal(expected, RemoteApiOptions.ResolveBase(new Uri(given), Exmail).ToString());

    [Fact]
    public void No_uri_means_the_documented_one()
        => Assert.Same(Exmail, RemoteApiOptions.ResolveBase(null, Exmail));

    [Fact]
    public void A_host_only_provider_keeps_the_bare_host()
        => Assert.Equal("http://127.0.0.1:7000/", RemoteApiOptions.ResolveBase(new Uri("http://127.0.0.1:7000"), new Uri("https://alimail-cn.aliyuncs.com/")).ToString());

    [Fact]
    public void A_relative_uri_is_refused()
    {
        var e = Assert.Throws<MailAdminException>(() => RemoteApiOptions.ResolveBase(new Uri("cgi-bin/", UriKind.Relative), Exmail));
        Assert.Equal("InvalidApiUri", e.ErrorId);
    }
}
