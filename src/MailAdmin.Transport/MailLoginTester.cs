using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace MailAdmin.Transport
{
    /// <summary>Tries one credential on IMAP, POP3 and SMTP submission (MailKit); never sends or changes mail.</summary>
    public sealed class MailLoginTester
    {
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
        public X509Certificate2Collection TrustedRoots { get; set; }
        public bool SkipCertificateCheck { get; set; }

        private bool Validate(string host, X509Certificate cert, SslPolicyErrors errors, ref string problem)
        {
            if (SkipCertificateCheck)
            {
                return true;
            }

            problem = MailAdmin.Validation.CertificateTrust.Problem(host, cert, errors, TrustedRoots);
            return problem == null;
        }

        /// <summary>As below, without MailKit types, so that callers in another load context (the cmdlets) never bind to MailKit.</summary>
        public Task<MailLoginResult> TestAsync(
            MailLoginProtocol protocol, string host, int port, bool implicitTls, NetworkCredential credential, CancellationToken ct)
            => TestAsync(protocol, host, port, implicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls, credential, ct);

        public async Task<MailLoginResult> TestAsync(
            MailLoginProtocol protocol, string host, int port, SecureSocketOptions security, NetworkCredential credential, CancellationToken ct)
        {
            var r = new MailLoginResult
            {
                Server = host,
                Protocol = protocol,
                Port = port,
                UserName = credential.UserName,
                CertificateChecked = !SkipCertificateCheck,
                Security = security == SecureSocketOptions.SslOnConnect ? "ImplicitTls" : security == SecureSocketOptions.StartTls ? "StartTls"
                    : security == SecureSocketOptions.None ? "None" : "Auto"
            };
            var started = DateTime.UtcNow;
            MailService client = protocol == MailLoginProtocol.Imap ? new ImapClient() : protocol == MailLoginProtocol.Pop3 ? (MailService)new Pop3Client()
                : new SmtpClient();
            string certProblem = null;
            client.Timeout = (int)Timeout.TotalMilliseconds;
            client.ServerCertificateValidationCallback = (s, c, ch, e) => Validate(host, c, e, ref certProblem);
            try
            {
                using (client)
                {
                    await client.ConnectAsync(host, port, security, ct).ConfigureAwait(false);
                    r.TlsProtocol = client.IsSecure
                        ? (client.SslProtocol == SslProtocols.Tls13 ? "TLS 1.3" : client.SslProtocol == SslProtocols.Tls12 ? "TLS 1.2"
                        : client.SslProtocol.ToString()) : null;
                    await client.AuthenticateAsync(credential, ct).ConfigureAwait(false);
                    r.Accepted = true;
                    await client.DisconnectAsync(true, ct).ConfigureAwait(false);
                }
            }
            catch (MailKit.Security.AuthenticationException e)
            {
                r.Reason = $"login refused: {e.Message}";
            }
            catch (SslHandshakeException e)
            {
                r.Reason = certProblem != null ? $"the certificate {certProblem}" : $"TLS failed: {e.Message}";
            }
            catch (Exception e) when (e is ImapProtocolException || e is Pop3ProtocolException || e is SmtpProtocolException || e is ImapCommandException
                                     || e is Pop3CommandException || e is SmtpCommandException || e is NotSupportedException)
            {
                r.Reason = e.Message;
            }
            catch (Exception e) when (e is SocketException || e is IOException || e is OperationCanceledException && !ct.IsCancellationRequested)
            {
                r.Reason = $"no connection: {(e is OperationCanceledException ? "timed out" : e.Message)}";
            }
            r.Duration = DateTime.UtcNow - started;
            return r;
        }
    }
}
