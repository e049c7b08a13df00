using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace MailAdmin.Transport
{
    /// <summary>Connects to a mail service the way a client does and reports what it shows (MailKit); never sends or changes mail.</summary>
    public sealed class MailServerTester
    {
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
        public X509Certificate2Collection TrustedRoots { get; set; }
        public bool SkipCertificateCheck { get; set; }
        public string LocalDomain { get; set; } = "mailadmin-test.invalid";
        /// <summary>Log in also when the connection is not encrypted (port 25 without STARTTLS); otherwise the login is not tried.</summary>
        public bool AllowUnencryptedAuthentication { get; set; }

        public static int DefaultPort(MailServiceType s)
        {
            switch (s)
            {
                case MailServiceType.Smtp: return 25;
                case MailServiceType.Submission: return 587;
                case MailServiceType.Submissions: return 465;
                case MailServiceType.Imap: return 143;
                case MailServiceType.Imaps: return 993;
                case MailServiceType.Pop3: return 110;
                default: return 995;
            }
        }

        private static bool Implicit(MailServiceType s) => s == MailServiceType.Submissions || s == MailServiceType.Imaps || s == MailServiceType.Pop3s;

        public async Task<MailServerTestResult> TestAsync(string host, MailServiceType service, int port, NetworkCredential credential, CancellationToken ct)
        {
            var r = new MailServerTestResult { Server = host, Service = service, Port = port, CertificateChecked = !SkipCertificateCheck };
            var log = new MemoryStream();
            var logger = new ProtocolLogger(log, leaveOpen: true);
            MailKit.MailService client = service == MailServiceType.Imap || service == MailServiceType.Imaps ? new ImapClient(logger)
                : service == MailServiceType.Pop3 || service == MailServiceType.Pop3s ? (MailKit.MailService)new Pop3Client(logger) : new SmtpClient(logger);
            X509Certificate2 cert = null;
            client.Timeout = (int)Timeout.TotalMilliseconds;
            if (client is SmtpClient smtp)
            {
                smtp.LocalDomain = LocalDomain;
            }

            client.ServerCertificateValidationCallback = (o, c, chain, errors) =>
            {
                cert = c == null ? null : new X509Certificate2(c);
                r.CertificateProblem = MailAdmin.Validation.CertificateTrust.Problem(host, c, errors, TrustedRoots);
                return SkipCertificateCheck || r.CertificateProblem == null;
            };
            var started = DateTime.UtcNow;
            try
            {
                using (client)
                {
                    // port 25 keeps talking without TLS when none is offered (as MX senders do); client ports require it
                    var security = Implicit(service) ? SecureSocketOptions.SslOnConnect : service == MailServiceType.Smtp
                        ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.StartTls;
                    await client.ConnectAsync(host, port, security, ct).ConfigureAwait(false);
                    r.Connected = true;
                    r.ConnectMs = Math.Round((DateTime.UtcNow - started).TotalMilliseconds, 1);
                    r.Security = Implicit(service) ? "ImplicitTls" : client.IsSecure ? "StartTls" : "None";
                    if (client.IsSecure)
                    {
                        r.TlsProtocol = client.SslProtocol == SslProtocols.Tls13 ? "TLS 1.3" : client.SslProtocol == SslProtocols.Tls12 ? "TLS 1.2"
                            : client.SslProtocol.ToString();
                        r.CipherSuite = client.SslCipherSuite?.ToString();
                    }
                    if (cert != null)
                    {
                        r.CertificateSubject = cert.Subject;
                        r.CertificateIssuer = cert.Issuer;
                        r.CertificateNotAfter = cert.NotAfter.ToUniversalTime();
                        r.CertificateNames = MailAdmin.Validation.CertificateTrust.DnsNames(cert);
                        r.CertificateValid = SkipCertificateCheck ? (bool?)null : r.CertificateProblem == null;
                    }
                    r.AuthMechanisms = client.AuthenticationMechanisms.OrderBy(x => x, StringComparer.Ordinal).ToArray();
                    switch (client)
                    {
                        case SmtpClient s: r.Capabilities = s.Capabilities.ToString().Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries).Select(
                            x => x.Trim()).ToArray(); break;
                        case ImapClient i: r.Capabilities = i.Capabilities.ToString().Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries).Select(
                            x => x.Trim()).ToArray(); break;
                        case Pop3Client p: r.Capabilities = p.Capabilities.ToString().Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries).Select(
                            x => x.Trim()).ToArray(); break;
                    }
                    if (credential != null && !client.IsSecure && !AllowUnencryptedAuthentication)
                        r.LoginReason = "not tried: the connection is not encrypted (the server offered no STARTTLS, or it was stripped on the way), and the "
                            + "password would go in clear text; -AllowUnencryptedAuthentication tries anyway";
                    else if (credential != null)
                    {
                        try
                        {
                            await client.AuthenticateAsync(credential, ct).ConfigureAwait(false);
                            r.LoginAccepted = true;
                        }
                        catch (MailKit.Security.AuthenticationException e)
                        {
                            r.LoginAccepted = false;
                            r.LoginReason = e.Message;
                        }
                        catch (Exception e) when (
                            e is ImapCommandException || e is Pop3CommandException || e is SmtpCommandException || e is NotSupportedException)
                        {
                            r.LoginAccepted = false;
                            r.LoginReason = e.Message;
                        }
                    }
                    await client.DisconnectAsync(true, ct).ConfigureAwait(false);
                }
            }
            catch (SslHandshakeException e)
            {
                r.Error = r.CertificateProblem != null
                    ? $"the certificate {r.CertificateProblem} (use -TrustedCertificate for a private CA, or -SkipCertificateCheck)"
                    : $"TLS failed: {e.Message}";
            }
            catch (NotSupportedException e)
            {
                r.Error = e.Message.IndexOf("STARTTLS", StringComparison.OrdinalIgnoreCase) >= 0
                    || e.Message.IndexOf("STLS", StringComparison.OrdinalIgnoreCase) >= 0 ? "the server does not offer STARTTLS" : e.Message;
            }
            catch (Exception e) when (
                e is SocketException || e is IOException || e is ImapProtocolException || e is Pop3ProtocolException || e is SmtpProtocolException
                || e is ImapCommandException || e is Pop3CommandException || e is SmtpCommandException
                                     || e is OperationCanceledException && !ct.IsCancellationRequested)
            {
                r.Error = e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.Message;
            }
            var first = Encoding.UTF8.GetString(log.ToArray()).Replace("\r\n", "\n").Split('\n').FirstOrDefault(
                l => l.StartsWith("S: ", StringComparison.Ordinal));
            r.Banner = first?.Substring(3).Trim();
            if (!r.Connected && r.ConnectMs == 0)
            {
                r.ConnectMs = Math.Round((DateTime.UtcNow - started).TotalMilliseconds, 1);
            }

            return r;
        }
    }
}
