using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailAdmin.Dns.Checks;
using MailAdmin.Models;
using Xunit;

namespace MailAdmin.Dns.Tests;

/// <summary>The MTA-STS fetch against a loopback HTTPS server that answers what a test needs (a redirect, a chunked body).</summary>
public class MtaStsFetchTests
{
    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder(); san.AddDnsName(name);
        req.CertificateExtensions.Add(san.Build());
        using var cert = req.CreateSelfSigned(DateTimeOffset.Now.AddDays(-1), DateTimeOffset.Now.AddDays(10));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Serves one HTTPS request with the given raw response, then closes.</summary>
    private static (int port, Task served) Serve(X509Certificate2 cert, string response)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var served = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var ssl = new SslStream(client.GetStream());
            await ssl.AuthenticateAsServerAsync(cert);
            var buf = new byte[4096];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n")) { var n = await ssl.ReadAsync(buf); if (n == 0) break; request.Append(Encoding.ASCII.GetString(buf, 0, n)); }
            await ssl.WriteAsync(Encoding.ASCII.GetBytes(response));
            listener.Stop();
        });
        return (port, served);
    }

    private static ZoneResolver Zone(string domain)
    {
        var z = new ZoneResolver();
        z["mta-sts." + domain].A.Add(IPAddress.Loopback);
        return z;
    }

    [Fact]
    public async Task A_redirect_is_reported_and_never_followed()
    {
        var cert = SelfSigned("mta-sts.redir.test");
        var (port, served) = Serve(cert, "HTTP/1.1 301 Moved Permanently\r\nLocation: https://elsewhere.example/mta-sts.txt\r\nContent-Length: 0\r\n\r\n");
        var sink = new CheckSink();
        var fetcher = new MtaStsFetcher(Zone("redir.test")) { Port = port, TrustedRoots = new X509Certificate2Collection(cert), AllowPrivateAddresses = true };
        await fetcher.CheckAsync("redir.test", new[] { new MxRecord(10, "mx.redir.test") }, sink, default);
        await served;
        var c = Assert.Single(sink.Checks, x => x.Id == MailCheckId.MtaStsPolicyFetch && x.Status == MailCheckStatus.Fail);
        Assert.Contains("301", c.Summary);
        Assert.Contains("https://elsewhere.example/mta-sts.txt", c.Summary);
        Assert.DoesNotContain(sink.Checks, x => x.Id == MailCheckId.MtaStsPolicySyntax || x.Id == MailCheckId.MtaStsMxCoverage); // no policy was read
    }

    [Fact]
    public async Task A_chunked_policy_with_the_wrong_content_type_is_read_and_flagged()
    {
        var cert = SelfSigned("mta-sts.chunk.test");
        var body = "version: STSv1\r\nmode: enforce\r\nmx: *.chunk.test\r\nmax_age: 86400\r\n";
        var chunked = $"{body.Length / 2:x}\r\n{body[..(body.Length / 2)]}\r\n{(body.Length - body.Length / 2):x}\r\n{body[(body.Length / 2)..]}\r\n0\r\n\r\n";
        var (port, served) = Serve(cert, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked);
        var sink = new CheckSink();
        var fetcher = new MtaStsFetcher(Zone("chunk.test")) { Port = port, TrustedRoots = new X509Certificate2Collection(cert), AllowPrivateAddresses = true };
        await fetcher.CheckAsync("chunk.test", new[] { new MxRecord(10, "mx1.chunk.test"), new MxRecord(20, "a.b.chunk.test") }, sink, default);
        await served;
        Assert.Contains(sink.Checks, x => x.Id == MailCheckId.MtaStsPolicyFetch && x.Status == MailCheckStatus.Warning && x.Summary.Contains("text/html"));
        Assert.Contains(sink.Checks, x => x.Id == MailCheckId.MtaStsMode && x.Status == MailCheckStatus.Pass);
        // "*.chunk.test" covers mx1.chunk.test but not a.b.chunk.test (one label only, RFC 8461 4.1)
        var cover = Assert.Single(sink.Checks, x => x.Id == MailCheckId.MtaStsMxCoverage);
        Assert.Equal(MailCheckStatus.Fail, cover.Status);
        Assert.Contains("a.b.chunk.test", cover.Summary);
        Assert.DoesNotContain("mx1.chunk.test", cover.Summary);
    }
}
