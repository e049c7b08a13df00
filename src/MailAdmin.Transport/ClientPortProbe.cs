using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Transport
{
    /// <summary>
    /// Checks the client-facing ports a domain's SRV records name (117, RFC 8314): implicit TLS on submissions,
    /// imaps and pop3s; STARTTLS offered on submission, imap and pop3; certificate valid for the host.
    /// </summary>
    public sealed class ClientPortProbe
    {
        public X509Certificate2Collection TrustedRoots { get; set; }
        public System.TimeSpan Timeout { get; set; } = System.TimeSpan.FromSeconds(10);

        /// <summary>Probes one service (submissions, submission, imaps, imap, pop3s, pop3) at host:port, address ip.</summary>
        public async Task<List<MailCheck>> ProbeAsync(string service, string host, int port, IPAddress ip, CancellationToken ct)
        {
            TlsStart start;
            switch (service)
            {
                case "submission": start = TlsStart.Smtp; break;
                case "imap": start = TlsStart.Imap; break;
                case "pop3": start = TlsStart.Pop3; break;
                default: start = TlsStart.Implicit; break;
            }
            var where = $"{service} at {host} ({ip}:{port})";
            var o = await new TlsScanner { Port = port, Start = start, Timeout = Timeout }
                .TryHandshakeAsync(ip, host, SslProtocols.None, null, TrustedRoots ?? new X509Certificate2Collection(), ct).ConfigureAwait(false);
            var check = new MailCheck
            {
                Id = MailCheckId.ClientPorts, Area = "Client", Name = $"Client port {service} {host}:{port}",
                Reference = "RFC 8314 3, 4.1", Records = new string[0],
            };
            if (o.Error != null)
            {
                check.Status = start == TlsStart.Implicit || !o.BeforeTls ? MailCheckStatus.Fail : MailCheckStatus.Warning;
                check.Summary = start == TlsStart.Implicit
                    ? $"{where} gives no TLS: {o.Error}. Clients configured from the SRV record cannot connect securely."
                    : o.BeforeTls
                        ? $"{where} does not complete STARTTLS ({o.Error}): clients would send passwords in clear. Offer STARTTLS, or better implicit TLS "
                            + $"({(service == "submission" ? "465" : service == "imap" ? "993" : "995")})."
                                  : $"{where} offers STARTTLS but the handshake fails: {o.Error}.";
            }
            else if (o.CertificateProblem != null)
            {
                check.Status = MailCheckStatus.Fail;
                check.Summary = $"{where} speaks {TlsScanner.Name(o.Protocol)}, but its certificate {o.CertificateProblem}: mail clients will refuse it or "
                    + "train users to click through warnings.";
                check.Records = new[] { $"{TlsScanner.Name(o.Protocol)} {o.Suite}" };
            }
            else
            {
                var old = o.Protocol != SslProtocols.Tls12 && o.Protocol != SslProtocols.Tls13;
                check.Status = old ? MailCheckStatus.Warning : start == TlsStart.Implicit ? MailCheckStatus.Pass : MailCheckStatus.Info;
                check.Summary = old ? $"{where} negotiated {o.Protocol}; TLS 1.2 or newer is required (RFC 8996)."
                    : start == TlsStart.Implicit ? $"{where} speaks {TlsScanner.Name(o.Protocol)} at once (implicit TLS) with a certificate valid for {host}."
                    : $"{where} offers STARTTLS ({TlsScanner.Name(o.Protocol)}, certificate valid for {host}); implicit TLS "
                        + $"({(service == "submission" ? "465" : service == "imap" ? "993" : "995")}) is preferred (RFC 8314 3.3).";
                check.Records = new[] { $"{TlsScanner.Name(o.Protocol)} {o.Suite}" };
            }
            if (check.Status == MailCheckStatus.Fail || check.Status == MailCheckStatus.Warning)
            {
                check.Fix = MailCheckCatalogue.Get(MailCheckId.ClientPorts).Fix;
            }

            return new List<MailCheck> { check };
        }
    }
}
