using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Transport
{
    /// <summary>
    /// Which TLS 1.2 cipher suites a server accepts and whether it enforces its own order (check 108), and the key
    /// exchange it chooses (109): one short connection per question, each offering only the suites asked about.
    /// Offering chosen suites needs OpenSSL (Linux, macOS); elsewhere only the negotiated suite is reported.
    /// A suite this machine's TLS library will not offer at all counts as not accepted.
    /// </summary>
    public sealed class TlsScanner
    {
        public int Port { get; set; } = 25;
        public TlsStart Start { get; set; } = TlsStart.Smtp;
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
        public string LocalDomain { get; set; } = "mailadmin-probe.invalid";

        private static readonly TlsCipherSuite[] Good12 =
        {
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        };

        /// <summary>Suite groups by NCSC-NL/internet.nl verdict; "insufficient" groups fail, "phase-out" groups warn.</summary>
        private static readonly (string name, bool insufficient, TlsCipherSuite[] suites)[] Groups =
        {
            ("CBC with ECDHE (phase-out)", false, new[]
            {
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
            }),
            ("DHE (phase-out)", false, new[]
            {
                TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
                TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256, TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
                    TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
            }),
            ("static RSA key exchange (insufficient: no forward secrecy)", true, new[]
            {
                TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256, TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
                TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA, TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
            }),
            ("3DES, RC4, NULL or anonymous (insufficient)", true, new[]
            {
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA, TlsCipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA, TlsCipherSuite.TLS_RSA_WITH_RC4_128_SHA,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_NULL_SHA, TlsCipherSuite.TLS_RSA_WITH_NULL_SHA256, TlsCipherSuite.TLS_DH_anon_WITH_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_ECDH_anon_WITH_AES_128_CBC_SHA,
            }),
        };

        /// <summary>One handshake; returns the negotiated protocol and suite, or null when the server refused it.</summary>
        public async Task<(SslProtocols protocol, TlsCipherSuite suite)?> HandshakeAsync(
            IPAddress ip, string host, SslProtocols protocols, IEnumerable<TlsCipherSuite> suites, CancellationToken ct)
        {
            var r = await TryHandshakeAsync(ip, host, protocols, suites, null, ct).ConfigureAwait(false);
            return r.Error == null ? (r.Protocol, r.Suite) : ((SslProtocols, TlsCipherSuite)?)null;
        }

        /// <summary>The outcome of one connection and handshake.</summary>
        public sealed class Outcome
        {
            public SslProtocols Protocol; public TlsCipherSuite Suite;
            /// <summary>Why the certificate is not valid for the host (null when it is, or when not asked).</summary>
            public string CertificateProblem;
            /// <summary>Why there is no TLS: connection, STARTTLS dialogue or handshake (null on success).</summary>
            public string Error;
            /// <summary>The error happened before TLS: the service does not offer STARTTLS or is not what was expected.</summary>
            public bool BeforeTls;
        }

        /// <summary>Connects, runs the STARTTLS dialogue if any, and handshakes; with <paramref name="trustedRoots"/> (may be empty) the certificate is judged
        /// for the host.</summary>
        public async Task<Outcome> TryHandshakeAsync(IPAddress ip, string host, SslProtocols protocols, IEnumerable<TlsCipherSuite> suites,
            System.Security.Cryptography.X509Certificates.X509Certificate2Collection trustedRoots, CancellationToken ct)
        {
            var o = new Outcome();
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(ct))
            using (var tcp = new TcpClient(ip.AddressFamily))
            {
                cts.CancelAfter(Timeout);
                var stage = "connection";
                try
                {
                    await tcp.ConnectAsync(ip, Port, cts.Token).ConfigureAwait(false);
                    var stream = tcp.GetStream();
                    stage = "STARTTLS dialogue";
                    await StartTlsAsync(stream, cts.Token).ConfigureAwait(false);
                    stage = "TLS handshake";
                    using (var ssl = new SslStream(stream, true, (s, c, ch, e) =>
                    {
                        if (trustedRoots != null)
                        {
                            o.CertificateProblem = MailAdmin.Validation.CertificateTrust.Problem(host, c, e, trustedRoots);
                        }

                        return true;
                    }))
                    {
                        var options = new SslClientAuthenticationOptions
                        {
                            TargetHost = host,
                            EnabledSslProtocols = protocols,
                            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                        };
                        if (suites != null)
                        {
                            options.CipherSuitesPolicy = new CipherSuitesPolicy(suites);
                        }

                        await ssl.AuthenticateAsClientAsync(options, cts.Token).ConfigureAwait(false);
                        o.Protocol = ssl.SslProtocol;
                        o.Suite = ssl.NegotiatedCipherSuite;
                        return o;
                    }
                }
                catch (Exception e) when (
                    e is AuthenticationException || e is IOException || e is SocketException || e is OperationCanceledException && !ct.IsCancellationRequested
                    || e is InvalidDataException)
                {
                    o.Error = $"{stage} failed: {(e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.Message)}";
                    o.BeforeTls = stage != "TLS handshake";
                    return o;
                }
            }
        }

        private async Task StartTlsAsync(NetworkStream s, CancellationToken ct)
        {
            switch (Start)
            {
                case TlsStart.Implicit: return;
                case TlsStart.Smtp:
                    await Expect(s, "220", true, ct).ConfigureAwait(false);
                    await Send(s, $"EHLO {LocalDomain}", ct).ConfigureAwait(false);
                    await Expect(s, "250", true, ct).ConfigureAwait(false);
                    await Send(s, "STARTTLS", ct).ConfigureAwait(false);
                    await Expect(s, "220", true, ct).ConfigureAwait(false);
                    return;
                case TlsStart.Imap:
                    await Expect(s, "* OK", false, ct).ConfigureAwait(false);
                    await Send(s, "a STARTTLS", ct).ConfigureAwait(false);
                    await Expect(s, "a OK", false, ct).ConfigureAwait(false);
                    return;
                case TlsStart.Pop3:
                    await Expect(s, "+OK", false, ct).ConfigureAwait(false);
                    await Send(s, "STLS", ct).ConfigureAwait(false);
                    await Expect(s, "+OK", false, ct).ConfigureAwait(false);
                    return;
            }
        }

        private static Task Send(NetworkStream s, string line, CancellationToken ct)
        {
            var b = Encoding.ASCII.GetBytes(line + "\r\n");
            return s.WriteAsync(b, 0, b.Length, ct);
        }

        /// <summary>Reads reply lines byte by byte (nothing may be read past the reply: TLS starts right after) until the final one.</summary>
        private static async Task Expect(NetworkStream s, string prefix, bool smtp, CancellationToken ct)
        {
            var one = new byte[1];
            for (var lines = 0; lines < 100; lines++)
            {
                var sb = new StringBuilder();
                while (true)
                {
                    var n = await s.ReadAsync(one, 0, 1, ct).ConfigureAwait(false);
                    if (n == 0)
                    {
                        throw new IOException("the server closed the connection");
                    }

                    if (one[0] == '\n')
                    {
                        break;
                    }

                    if (one[0] != '\r')
                    {
                        sb.Append((char)one[0]);
                    }

                    if (sb.Length > 2048)
                    {
                        throw new InvalidDataException("reply line too long");
                    }
                }
                var line = sb.ToString();
                if (smtp)
                {
                    if (line.Length >= 4 && line[3] == '-')
                    {
                        continue;
                    }

                    if (!line.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        throw new InvalidDataException($"unexpected reply '{line}'");
                    }

                    return;
                }
                if (line.StartsWith("*", StringComparison.Ordinal) && !prefix.StartsWith("*", StringComparison.Ordinal))
                {
                    continue; // IMAP untagged lines
                }

                if (!line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"unexpected reply '{line}'");
                }

                return;
            }
        }

        public static bool IsAead(TlsCipherSuite s)
        {
            var n = s.ToString();
            return n.Contains("_GCM_") || n.Contains("CHACHA20") || n.Contains("_CCM");
        }
        public static bool IsTls13(TlsCipherSuite s) => s.ToString().StartsWith("TLS_AES_", StringComparison.Ordinal)
            || s.ToString().StartsWith("TLS_CHACHA20_", StringComparison.Ordinal);

        /// <summary>Checks 108 (suites and order) and 109 (key exchange) for one server address.</summary>
        public async Task<List<MailCheck>> ScanAsync(string host, IPAddress ip, string area, CancellationToken ct)
        {
            var checks = new List<MailCheck>();
            var where = $"{host} ({ip}:{Port})";
            void Add(MailCheckId id, MailCheckStatus st, string name, string summary, string reference, IEnumerable<string> records = null)
                => checks.Add(MailCheck.Create(id, $"{name} {host}", st, summary, reference, records, area: area));

            var first = await HandshakeAsync(ip, host, SslProtocols.None, null, ct).ConfigureAwait(false);
            if (first == null)
            {
                return checks; // the connection or TLS itself fails: the probe reports that
            }

            var negotiated = first.Value;
            var records = new List<string> { $"default: {Name(negotiated.protocol)} {negotiated.suite}" };
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            {
                Add(MailCheckId.TlsCipherSuites, MailCheckStatus.Info, "Cipher suites",
                    $"{where} chose {negotiated.suite} ({Name(negotiated.protocol)}). Listing the suites it accepts needs OpenSSL (Linux or macOS).",
                        "RFC 9325 4.2", records);
                return checks;
            }
            var tls12 = await HandshakeAsync(ip, host, SslProtocols.Tls12, null, ct).ConfigureAwait(false);
            if (tls12 != null)
            {
                records.Add($"TLS 1.2: {tls12.Value.suite}");
            }

            var errors = new List<string>();
            var warnings = new List<string>();
            TlsCipherSuite? phaseOutAccepted = null;
            foreach (var (name, insufficient, suites) in Groups)
            {
                var r = await HandshakeAsync(ip, host, SslProtocols.Tls12, suites, ct).ConfigureAwait(false);
                if (r == null)
                {
                    records.Add($"{name}: refused");
                    continue;
                }
                records.Add($"{name}: accepts {r.Value.suite}");
                (insufficient ? errors : warnings).Add($"accepts {name.Split('(')[0].Trim()} ({r.Value.suite})");
                if (!insufficient && phaseOutAccepted == null)
                {
                    phaseOutAccepted = r.Value.suite;
                }
            }
            // order: a phase-out suite offered first, a good one second; a server that enforces its order picks the good one
            if (phaseOutAccepted != null)
            {
                var r = await HandshakeAsync(ip, host, SslProtocols.Tls12, new[] { phaseOutAccepted.Value }.Concat(Good12), ct).ConfigureAwait(false);
                if (r != null && !IsAead(r.Value.suite))
                {
                    warnings.Add(
                        $"it takes the client's order (chose {r.Value.suite} over AEAD suites offered after it): set the server to prefer its own order");
                }
                else if (r != null)
                {
                    records.Add($"order: server's own ({r.Value.suite} chosen over {phaseOutAccepted.Value})");
                }
            }
            if (errors.Count > 0)
            {
                Add(MailCheckId.TlsCipherSuites, MailCheckStatus.Fail, "Cipher suites", $"{where} " + string.Join("; ", errors.Concat(warnings)) + ".",
                    "RFC 9325 4.1, NCSC-NL TLS guidelines", records);
            }
            else if (warnings.Count > 0)
            {
                Add(MailCheckId.TlsCipherSuites, MailCheckStatus.Warning, "Cipher suites",
                    $"{where} " + string.Join("; ", warnings) + ". Offer only ECDHE with AES-GCM or ChaCha20 (and TLS 1.3).", "RFC 9325 4.2, NCSC-NL TLS "
                        + "guidelines", records);
            }
            else
            {
                Add(MailCheckId.TlsCipherSuites, MailCheckStatus.Pass, "Cipher suites",
                    $"{where} accepts only AEAD suites with forward secrecy (chose {negotiated.suite}).", "RFC 9325 4.2", records);
            }

            var kx = KeyExchange(negotiated.suite);
            Add(MailCheckId.TlsKeyExchange, kx == "RSA" ? MailCheckStatus.Fail : kx == "DHE" ? MailCheckStatus.Warning : MailCheckStatus.Pass, "Key exchange",
                kx == "RSA" ? $"{where} chose static RSA key exchange ({negotiated.suite}): no forward secrecy."
                : kx == "DHE" ? $"{where} chose finite-field DHE ({negotiated.suite}): make sure the group is ffdhe3072 or larger (RFC 7919), or prefer ECDHE."
                : $"{where} uses {(IsTls13(negotiated.suite) ? "TLS 1.3 (always (EC)DHE)" : "ECDHE")} key exchange ({negotiated.suite}). The curve itself is "
                    + "not visible to this probe.",
                "RFC 9325 4.1, RFC 7919", new[] { negotiated.suite.ToString() });
            return checks;
        }

        private static string KeyExchange(TlsCipherSuite s)
        {
            var n = s.ToString();
            if (IsTls13(s) || n.StartsWith("TLS_ECDHE_", StringComparison.Ordinal))
            {
                return "ECDHE";
            }

            if (n.StartsWith("TLS_DHE_", StringComparison.Ordinal))
            {
                return "DHE";
            }

            if (n.StartsWith("TLS_RSA_", StringComparison.Ordinal))
            {
                return "RSA";
            }

            return n.Split('_').Skip(1).FirstOrDefault() ?? "?";
        }

        public static string Name(SslProtocols p) => p == SslProtocols.Tls13 ? "TLS 1.3" : p == SslProtocols.Tls12 ? "TLS 1.2" : p.ToString();
    }
}
