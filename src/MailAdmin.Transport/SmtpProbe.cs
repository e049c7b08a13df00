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
using MailAdmin.Models;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace MailAdmin.Transport
{
    /// <summary>
    /// Talks SMTP to one MX address the way a sending server would, without sending mail (checks 102-107, 110, 112-114):
    /// greeting, EHLO, STARTTLS, TLS version and certificate, open relay refusal, postmaster accepted. Stops before DATA.
    /// </summary>
    public sealed class SmtpProbe
    {
        public int Port { get; set; } = 25;
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
        /// <summary>The EHLO name to announce.</summary>
        public string LocalDomain { get; set; } = "mailadmin-probe.invalid";
        /// <summary>Extra trust anchors for the MX certificate (a private or test CA).</summary>
        public X509Certificate2Collection TrustedRoots { get; set; }
        /// <summary>Also list the TLS 1.2 cipher suites the server accepts, its order and key exchange (checks 108, 109): a few more short
        /// connections.</summary>
        public bool ScanCiphers { get; set; } = true;

        private sealed class ProbeClient : SmtpClient
        {
            public ProbeClient(IProtocolLogger logger) : base(logger)
            {
            }
            public Task<SmtpResponse> CommandAsync(string command, CancellationToken ct) => SendCommandAsync(command, ct);
        }

        /// <summary>Probes one MX address; <paramref name="tlsa"/> are the host's TLSA records ("usage selector matching hex"), matched against the chain it
        /// presents (check 96).</summary>
        public async Task<List<MailCheck>> ProbeAsync(string domain, string mxHost, IPAddress ip, IReadOnlyList<string> tlsa, CancellationToken ct)
        {
            var checks = new List<MailCheck>();
            var where = $"{mxHost} ({ip}:{Port})";
            void Add(MailCheckId id, MailCheckStatus s, string name, string summary, string reference, IEnumerable<string> records = null)
                => checks.Add(MailCheck.Create(id, $"{name} {mxHost}", s, summary, reference, records));

            if (!MailAdmin.Validation.MailNames.IsHostName(mxHost))
            {
                Add(MailCheckId.SmtpReachable, MailCheckStatus.Fail, "SMTP connect", $"'{mxHost}' is not a valid host name; it is not probed.",
                    "RFC 5321 2.3.5");
                return checks;
            }
            var log = new MemoryStream();
            X509Certificate2 cert = null;
            SslPolicyErrors certErrors = SslPolicyErrors.None;
            string chainProblem = null;
            var presented = new List<X509Certificate2>();
            using (var client = new ProbeClient(new ProtocolLogger(log, leaveOpen: true)))
            {
                client.LocalDomain = LocalDomain;
                client.Timeout = (int)Timeout.TotalMilliseconds;
                client.ServerCertificateValidationCallback = (s, c, chain, errors) =>
                {
                    cert = c == null ? null : new X509Certificate2(c);
                    certErrors = errors;
                    presented.Clear();
                    if (cert != null)
                    {
                        presented.Add(cert);
                    }

                    if (chain != null)
                    {
                        foreach (var el in chain.ChainElements)
                        {
                            if (cert == null || el.Certificate.Thumbprint != cert.Thumbprint)
                            {
                                presented.Add(new X509Certificate2(el.Certificate));
                            }
                        }
                    }

                    chainProblem = MailAdmin.Validation.CertificateTrust.Problem(mxHost, c, errors, TrustedRoots);
                    return true; // a probe reports the certificate; it does not refuse to look further
                };
                var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                var started = DateTime.UtcNow;
                try
                {
                    using (var cts = CancellationTokenSource.CreateLinkedTokenSource(ct))
                    {
                        cts.CancelAfter(Timeout);
                        var connect = socket.ConnectAsync(ip, Port);
                        if (await Task.WhenAny(connect, Task.Delay(Timeout, cts.Token)).ConfigureAwait(false) != connect || !socket.Connected)
                        {
                            throw new TimeoutException();
                        }

                        await connect.ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is SocketException || e is TimeoutException || e is OperationCanceledException && !ct.IsCancellationRequested)
                {
                    socket.Dispose();
                    Add(MailCheckId.SmtpReachable, MailCheckStatus.Warning, "SMTP port",
                        $"No connection to {where}: {(e is SocketException se ? se.Message : "timed out")}. Outbound port 25 is often blocked where this "
                            + "runs, so this may say more about here than about the server.", "RFC 5321 3.1");
                    return checks;
                }
                var connectMs = (DateTime.UtcNow - started).TotalMilliseconds;
                try
                {
                    await client.ConnectAsync(socket, mxHost, Port, SecureSocketOptions.StartTlsWhenAvailable, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (
                    e is SmtpCommandException || e is SmtpProtocolException || e is SslHandshakeException || e is IOException
                    || e is System.Security.Authentication.AuthenticationException)
                {
                    var transcript0 = Transcript(log);
                    var banner0 = transcript0.FirstOrDefault(l => l.StartsWith("S: ", StringComparison.Ordinal));
                    var startTls = transcript0.FindIndex(l => l.StartsWith("C: STARTTLS", StringComparison.OrdinalIgnoreCase));
                    var startTlsReply = startTls < 0 ? null
                        : transcript0.Skip(startTls + 1).FirstOrDefault(l => l.StartsWith("S: ", StringComparison.Ordinal));
                    if (startTlsReply != null && !startTlsReply.StartsWith("S: 220", StringComparison.Ordinal))
                    {
                        // the greeting and EHLO went well; the server offered STARTTLS and then refused to start it
                        Add(MailCheckId.SmtpReachable, MailCheckStatus.Pass, "SMTP port", $"{where} accepts connections.", "RFC 5321 3.1");
                        Add(MailCheckId.SmtpStartTls, MailCheckStatus.Fail, "STARTTLS",
                            $"{where} offers STARTTLS but answers it '{startTlsReply.Substring(3)}': senders that require TLS (MTA-STS, DANE) defer "
                                + "their mail, the others send it unencrypted.",
                            "RFC 3207 4");
                    }
                    else if (banner0 != null && banner0.StartsWith("S: 554", StringComparison.Ordinal))
                    {
                        Add(MailCheckId.SmtpGreeting, MailCheckStatus.Fail, "SMTP greeting", $"{where} refuses service: '{banner0.Substring(3)}'.",
                            "RFC 5321 4.2");
                    }
                    else if (e is SslHandshakeException || e is System.Security.Authentication.AuthenticationException)
                    {
                        Add(MailCheckId.SmtpStartTls, MailCheckStatus.Fail, "STARTTLS", $"{where} offers STARTTLS but the TLS handshake fails: {e.Message}",
                            "RFC 3207");
                    }
                    else
                    {
                        Add(MailCheckId.SmtpGreeting, MailCheckStatus.Fail, "SMTP greeting", $"The SMTP conversation with {where} failed: {e.Message}",
                            "RFC 5321 4.2");
                    }

                    return checks;
                }
                var transcript = Transcript(log);
                var banner = transcript.FirstOrDefault(l => l.StartsWith("S: 220", StringComparison.Ordinal));
                var sessionMs = (DateTime.UtcNow - started).TotalMilliseconds;
                Add(MailCheckId.SmtpReachable, MailCheckStatus.Pass, "SMTP port", $"{where} accepts connections ({connectMs:0} ms).", "RFC 5321 3.1");
                Add(MailCheckId.SmtpTiming, sessionMs > 15000 ? MailCheckStatus.Warning : MailCheckStatus.Pass, "SMTP timing",
                    sessionMs > 15000
                        ? $"{where} took {sessionMs / 1000:0.0} s from connect through greeting, EHLO and TLS; senders time out or queue (a deliberate greet "
                            + "pause looks the same)."
                                      : $"{where}: connect {connectMs:0} ms, greeting, EHLO{(client.IsSecure ? " and TLS" : "")} done in {sessionMs:0} ms.",
                                          "RFC 5321 4.5.3.2",
                    new[] { $"connect {connectMs:0} ms", $"session ready {sessionMs:0} ms" });
                if (banner != null)
                {
                    var text = banner.Substring(3).Trim();
                    var parts = text.Split(' ');
                    var nameOk = parts.Length > 1 && (parts[1].Contains(".") || parts[1].StartsWith("[", StringComparison.Ordinal));
                    Add(MailCheckId.SmtpGreeting, nameOk ? MailCheckStatus.Pass : MailCheckStatus.Warning, "SMTP greeting",
                        nameOk ? $"Greeting: '{text}'." : $"The greeting '{text}' does not start with the server's domain name.", "RFC 5321 4.2",
                        new[] { text });
                }
                var preTls = transcript.TakeWhile(l => !l.StartsWith("C: STARTTLS", StringComparison.OrdinalIgnoreCase)).ToList();
                var offeredTls = preTls.Any(
                    l => l.StartsWith("S: 250", StringComparison.Ordinal) && l.IndexOf("STARTTLS", StringComparison.OrdinalIgnoreCase) >= 0);
                var authBeforeTls = preTls.Where(
                    l => l.StartsWith("S: 250", StringComparison.Ordinal) && l.IndexOf("AUTH", StringComparison.OrdinalIgnoreCase) >= 0).ToList();
                Add(MailCheckId.SmtpEhlo, MailCheckStatus.Info, "EHLO", $"{where} supports: {client.Capabilities}.", "RFC 5321 4.1.1.1");
                if (authBeforeTls.Count > 0 && offeredTls)
                {
                    Add(MailCheckId.SmtpAuthBeforeTls, MailCheckStatus.Warning, "AUTH before TLS",
                        $"{where} offers AUTH before STARTTLS; passwords could be sent in clear.", "RFC 4954 4", authBeforeTls.Select(l => l.Substring(3)));
                }

                if (!client.IsSecure)
                    Add(MailCheckId.SmtpStartTls, MailCheckStatus.Warning, "STARTTLS", $"{where} does not offer STARTTLS: mail to it travels unencrypted.",
                        "RFC 3207");
                else
                {
                    Add(MailCheckId.SmtpStartTls, MailCheckStatus.Pass, "STARTTLS", $"{where} offers STARTTLS and the handshake succeeds.", "RFC 3207");
                    var proto = client.SslProtocol;
                    var modern = proto == SslProtocols.Tls12 || (int)proto == 12288 /* Tls13 */;
                    Add(MailCheckId.TlsVersions, modern ? MailCheckStatus.Pass : MailCheckStatus.Fail, "TLS version",
                        $"{where} negotiated "
                            + ProtocolName(proto)
                            + $"{(client.SslCipherAlgorithm.HasValue ? ", " + client.SslCipherAlgorithm + " " + client.SslCipherStrength : "")}.",
                                "RFC 8996, RFC 8314");
                    if (cert != null)
                    {
                        var days = (cert.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays;
                        var (alg, bits) = Tlsa.KeyOf(cert);
                        var info = new[]
                        {
                            $"subject {cert.Subject}", $"issuer {cert.Issuer}",
                            $"valid until {cert.NotAfter.ToUniversalTime():u}", $"key {alg} {bits}", $"signature {cert.SignatureAlgorithm.FriendlyName}",
                        };
                        var weakSig = (cert.SignatureAlgorithm.FriendlyName ?? "").IndexOf("sha1", StringComparison.OrdinalIgnoreCase) >= 0
                            || (cert.SignatureAlgorithm.FriendlyName ?? "").IndexOf("md5", StringComparison.OrdinalIgnoreCase) >= 0;
                        if (days < 0)
                        {
                            Add(MailCheckId.TlsCertificate, MailCheckStatus.Fail, "Certificate",
                                $"The certificate of {where} expired on {cert.NotAfter.ToUniversalTime():yyyy-MM-dd}.", "RFC 5280 4.1.2.5", info);
                        }
                        else if (alg == "RSA" && bits < 2048)
                        {
                            Add(MailCheckId.TlsCertificate, MailCheckStatus.Fail, "Certificate",
                                $"The certificate of {where} has a {bits}-bit RSA key: too weak (at least 2048, better 3072).",
                                    "NCSC-NL TLS 2025, RFC 8603", info);
                        }
                        else if (weakSig)
                        {
                            Add(MailCheckId.TlsCertificate, MailCheckStatus.Fail, "Certificate",
                                $"The certificate of {where} is signed with {cert.SignatureAlgorithm.FriendlyName}: use SHA-256 or better.", "RFC 9155", info);
                        }
                        else if (days < 30)
                        {
                            Add(MailCheckId.TlsCertificate, MailCheckStatus.Warning, "Certificate", $"The certificate of {where} expires in {days:0} days.",
                                "RFC 5280 4.1.2.5", info);
                        }
                        else
                        {
                            Add(MailCheckId.TlsCertificate, MailCheckStatus.Pass, "Certificate",
                                $"The certificate of {where} is valid for {mxHost} until "
                                    + $"{cert.NotAfter.ToUniversalTime():yyyy-MM-dd}"
                                    + $"{(alg == "RSA" && bits < 3072 ? $" (RSA {bits}: sufficient, 3072 recommended from now on)" : "")}.",
                                        "RFC 6125", info);
                        }
                    }
                    if (cert != null)
                    {
                        if (chainProblem != null)
                        {
                            Add(MailCheckId.TlsCertificateTrust, MailCheckStatus.Warning, "Certificate trust",
                                $"The certificate of {where}: {chainProblem}. Senders that require valid TLS (MTA-STS enforce, DANE-TA) will not deliver.",
                                "RFC 8461 4.2, RFC 6125");
                        }
                        else
                        {
                            Add(MailCheckId.TlsCertificateTrust, MailCheckStatus.Pass, "Certificate trust",
                                $"The certificate of {where} is valid for {mxHost} and chains to a trusted root.", "RFC 6125");
                        }
                    }

                    var usable = (tlsa ?? new string[0]).Where(Tlsa.Usable).ToList();
                    if (usable.Count > 0)
                    {
                        var matches = Tlsa.Matching(usable, presented);
                        Add(MailCheckId.DaneMatchesCertificate, matches.Count > 0 ? MailCheckStatus.Pass : MailCheckStatus.Fail, "TLSA match",
                            matches.Count > 0 ? $"{where} presents a certificate chain that matches TLSA '{matches[0]}'."
                                              : $"No TLSA record of {mxHost} matches the certificate chain {where} presents: DANE senders will defer all mail "
                                                  + "to it. Publish the record for the current key (3 1 1 <sha256 of the key>) before switching keys.",
                            "RFC 7672 3.1, RFC 7671 5", usable);
                    }
                }
                if (client.IsSecure && ScanCiphers)
                {
                    checks.AddRange(
                        await new TlsScanner { Port = Port, Start = TlsStart.Smtp, Timeout = Timeout, LocalDomain = LocalDomain }.ScanAsync(
                        mxHost, ip, "SMTP", ct).ConfigureAwait(false));
                    checks.AddRange(await new OpenSslProbe { Timeout = Timeout }.ScanAsync(mxHost, ip, Port, "SMTP", ct).ConfigureAwait(false));
                }
                // open relay (112) and postmaster (113): envelope only, never DATA
                try
                {
                    var mail = await client.CommandAsync("MAIL FROM:<mailadmin-probe@example.org>", ct).ConfigureAwait(false);
                    if ((int)mail.StatusCode / 100 == 2)
                    {
                        var relay = await client.CommandAsync("RCPT TO:<relay-test@example.net>", ct).ConfigureAwait(false);
                        var code = (int)relay.StatusCode;
                        Add(MailCheckId.OpenRelay, code / 100 == 2 ? MailCheckStatus.Fail : MailCheckStatus.Pass, "Open relay",
                            code / 100 == 2 ? $"{where} accepted mail from outside for an outside recipient ({code} {relay.Response}): it is an open relay."
                                : $"{where} refuses to relay for outsiders ({code} {relay.Response}).", "RFC 5321 7.1");
                        var pm = await client.CommandAsync($"RCPT TO:<postmaster@{domain}>", ct).ConfigureAwait(false);
                        var pcode = (int)pm.StatusCode;
                        Add(MailCheckId.RoleMailboxes, pcode / 100 == 2 ? MailCheckStatus.Pass : MailCheckStatus.Warning, "Postmaster",
                            pcode / 100 == 2 ? $"{where} accepts mail for postmaster@{domain}."
                                : $"{where} refuses postmaster@{domain} ({pcode} {pm.Response}); every mail domain must accept it.", "RFC 5321 4.5.1");
                    }
                    else Add(MailCheckId.OpenRelay, MailCheckStatus.Info, "Open relay",
                        $"{where} refused the probe's MAIL FROM ({(int)mail.StatusCode} {mail.Response}); relay and postmaster were not tested.",
                            "RFC 5321 7.1");
                    await client.CommandAsync("RSET", ct).ConfigureAwait(false);
                    await client.DisconnectAsync(true, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SmtpCommandException || e is SmtpProtocolException || e is IOException)
                {
                    Add(MailCheckId.OpenRelay, MailCheckStatus.Info, "Open relay", $"The envelope test with {where} stopped: {e.Message}", "RFC 5321 7.1");
                }
            }
            return checks;
        }

        private static string ProtocolName(SslProtocols p) => (int)p == 12288 ? "TLS 1.3" : p == SslProtocols.Tls12 ? "TLS 1.2" : p == SslProtocols.Tls11
            ? "TLS 1.1" : p == SslProtocols.Tls ? "TLS 1.0" : p.ToString();

        private static List<string> Transcript(MemoryStream log)
            => Encoding.UTF8.GetString(log.ToArray()).Replace("\r\n", "\n").Split('\n').Where(l => l.Length > 0).ToList();
    }
}
