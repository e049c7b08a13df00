using System.Net;
using MailAdmin.Transport;
using Xunit;

namespace MailAdmin.Transport.Tests;

/// <summary>Issue 12, item 5: probes never send a credential without TLS unless told to.</summary>
public class ProbeTests
{
    [Fact]
    public async Task Test_MailServer_does_not_log_in_over_a_plain_connection()
    {
        using var srv = new LoopbackSmtpServer { AdvertiseAuth = true };
        var r = await new MailServerTester { Timeout = TimeSpan.FromSeconds(5) }
            .TestAsync("127.0.0.1", MailServiceType.Smtp, srv.Port, new NetworkCredential("a@contoso.test", "S3cret-Pw"), default);
        Assert.True(r.Connected, r.Error);
        Assert.Equal("None", r.Security);
        Assert.Empty(srv.AuthCommands);
        Assert.Null(r.LoginAccepted);
        Assert.Contains("not tried", r.LoginReason);
        Assert.DoesNotContain("S3cret-Pw", r.LoginReason);
    }

    [Fact]
    public async Task Test_MailServer_logs_in_over_a_plain_connection_only_when_allowed()
    {
        using var srv = new LoopbackSmtpServer { AdvertiseAuth = true };
        var r = await new MailServerTester { Timeout = TimeSpan.FromSeconds(5), AllowUnencryptedAuthentication = true }
            .TestAsync("127.0.0.1", MailServiceType.Smtp, srv.Port, new NetworkCredential("a@contoso.test", "S3cret-Pw"), default);
        Assert.Single(srv.AuthCommands);
        Assert.True(r.LoginAccepted);
    }

    [Fact]
    public async Task Send_Mail_without_TLS_refuses_a_credential_unless_allowed()
    {
        using var srv = new LoopbackSmtpServer { AdvertiseAuth = true };
        var mail = new OutgoingMail { From = "a@contoso.test", To = new[] { "b@contoso.test" }, Subject = "s", TextBody = "x" };
        using (var s = new MailSender(new SmtpSubmission { Server = "127.0.0.1", Port = srv.Port, NoTls = true, Credential = new NetworkCredential("a@contoso.test", "S3cret-Pw") }))
        {
            var e = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => s.SendAsync(mail, default));
            Assert.DoesNotContain("S3cret-Pw", e.Message);
        }
        Assert.Empty(srv.AuthCommands);
        Assert.Empty(srv.Taken);
        using (var s = new MailSender(new SmtpSubmission { Server = "127.0.0.1", Port = srv.Port, NoTls = true, AllowCredentialWithoutTls = true, Credential = new NetworkCredential("a@contoso.test", "S3cret-Pw") }))
            await s.SendAsync(mail, default);
        Assert.Single(srv.AuthCommands);
        Assert.Single(srv.Taken);
    }

    [Fact]
    public async Task The_smtp_probe_lists_the_ehlo_capabilities_and_warns_when_starttls_is_missing()
    {
        using var srv = new LoopbackSmtpServer { AdvertiseAuth = true };
        var checks = await new SmtpProbe { Port = srv.Port, Timeout = TimeSpan.FromSeconds(5) }
            .ProbeAsync("fake.test", "mx.fake.test", IPAddress.Loopback, Array.Empty<string>(), default);
        var ehlo = Assert.Single(checks, c => c.Id == MailAdmin.Models.MailCheckId.SmtpEhlo);
        Assert.Equal(MailAdmin.Models.MailCheckStatus.Info, ehlo.Status);
        Assert.Contains("EightBitMime", ehlo.Summary); // MailKit's names of the EHLO keywords
        Assert.Contains(checks, c => c.Id == MailAdmin.Models.MailCheckId.SmtpStartTls && c.Status == MailAdmin.Models.MailCheckStatus.Warning);
        // no STARTTLS offered, so no AUTH-before-TLS warning
        Assert.DoesNotContain(checks, c => c.Id == MailAdmin.Models.MailCheckId.SmtpAuthBeforeTls);
        Assert.Empty(srv.AuthCommands);
    }

    [Fact]
    public async Task The_smtp_probe_warns_when_auth_is_offered_before_starttls()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var req = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=mx.fake.test", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var made = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // a certificate with its key that SslStream can serve on Linux (an ephemeral key is not enough)
        using var cert = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(made.Export(
            System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
        using var srv = new LoopbackSmtpServer { AdvertiseAuth = true, Certificate = cert };
        var checks = await new SmtpProbe { Port = srv.Port, Timeout = TimeSpan.FromSeconds(10) }
            .ProbeAsync("fake.test", "mx.fake.test", IPAddress.Loopback, Array.Empty<string>(), default);
        var auth = Assert.Single(checks, c => c.Id == MailAdmin.Models.MailCheckId.SmtpAuthBeforeTls);
        Assert.Equal(MailAdmin.Models.MailCheckStatus.Warning, auth.Status);
        Assert.Contains(auth.Records, r => r.Contains("AUTH PLAIN LOGIN", StringComparison.Ordinal));
        // STARTTLS itself worked, and nothing was sent as a login
        Assert.Contains(checks, c => c.Id == MailAdmin.Models.MailCheckId.SmtpStartTls && c.Status == MailAdmin.Models.MailCheckStatus.Pass);
        Assert.Empty(srv.AuthCommands);

        // the same server without AUTH before TLS: no warning
        using var quiet = new LoopbackSmtpServer { AdvertiseAuth = false, Certificate = cert };
        var clean = await new SmtpProbe { Port = quiet.Port, Timeout = TimeSpan.FromSeconds(10) }
            .ProbeAsync("fake.test", "mx.fake.test", IPAddress.Loopback, Array.Empty<string>(), default);
        Assert.DoesNotContain(clean, c => c.Id == MailAdmin.Models.MailCheckId.SmtpAuthBeforeTls);
        Assert.Contains(clean, c => c.Id == MailAdmin.Models.MailCheckId.SmtpStartTls && c.Status == MailAdmin.Models.MailCheckStatus.Pass);
    }

    [Fact]
    public async Task The_smtp_probe_reports_a_refused_starttls_as_a_starttls_failure_not_a_greeting_failure()
    {
        using var srv = new LoopbackSmtpServer { AdvertiseAuth = false, StartTlsReply = "454 4.7.0 TLS not available due to local problem" };
        var checks = await new SmtpProbe { Port = srv.Port, Timeout = TimeSpan.FromSeconds(10) }
            .ProbeAsync("fake.test", "mx.fake.test", IPAddress.Loopback, Array.Empty<string>(), default);
        var tls = Assert.Single(checks, c => c.Id == MailAdmin.Models.MailCheckId.SmtpStartTls);
        Assert.Equal(MailAdmin.Models.MailCheckStatus.Fail, tls.Status);
        Assert.Contains("454 4.7.0 TLS not available", tls.Summary);
        Assert.Contains(checks, c => c.Id == MailAdmin.Models.MailCheckId.SmtpReachable && c.Status == MailAdmin.Models.MailCheckStatus.Pass);
        Assert.DoesNotContain(checks, c => c.Id == MailAdmin.Models.MailCheckId.SmtpGreeting && c.Status == MailAdmin.Models.MailCheckStatus.Fail);
    }
}
