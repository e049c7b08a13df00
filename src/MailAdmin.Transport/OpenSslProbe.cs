using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Transport
{
    /// <summary>
    /// What .NET's TLS API does not show about a server (the key-exchange group, secure renegotiation, compression,
    /// Extended Master Secret: checks 109 and 111), read from 'openssl s_client' when the openssl tool is on PATH.
    /// </summary>
    public sealed class OpenSslProbe
    {
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

        public static string FindOpenSsl()
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                if (string.IsNullOrEmpty(dir))
                {
                    continue;
                }

                foreach (var name in new[] { "openssl", "openssl.exe" })
                {
                    var p = Path.Combine(dir, name);
                    if (File.Exists(p))
                    {
                        return p;
                    }
                }
            }
            return null;
        }

        /// <summary>One TLS 1.2 handshake after STARTTLS (SMTP) with the given cipher list; returns s_client's output, or null.</summary>
        public async Task<string> HandshakeAsync(string openssl, string host, IPAddress ip, int port, string cipher, CancellationToken ct)
        {
            // DNS data never reaches a command line as text: a checked host name, every argument on its own
            if (!MailAdmin.Validation.MailNames.IsHostName(host))
            {
                return null;
            }

            var args = new List<string>
            {
                "s_client", "-connect",
                    (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + ip + "]" : ip.ToString())
                        + ":" + port.ToString(CultureInfo.InvariantCulture),
                "-servername", host, "-starttls", "smtp", "-tls1_2"
            };
            if (cipher != null)
            {
                args.Add("-cipher");
                args.Add(cipher);
            }
            var r = await MailAdmin.Processes.ExternalProcess.RunAsync(
                openssl, args, System.Text.Encoding.ASCII.GetBytes("QUIT\n"), Timeout, ct).ConfigureAwait(false);
            return r.TimedOut ? null : r.StandardOutput;
        }

        private static string Field(string text, string pattern)
        {
            var m = Regex.Match(text ?? "", pattern, RegexOptions.Multiline);
            return m.Success ? m.Groups[1].Value.Trim() : null;
        }

        public async Task<List<MailCheck>> ScanAsync(string host, IPAddress ip, int port, string area, CancellationToken ct)
        {
            var checks = new List<MailCheck>();
            var openssl = FindOpenSsl();
            if (openssl == null)
            {
                return checks;
            }

            var where = $"{host} ({ip}:{port})";
            void Add(MailCheckId id, MailCheckStatus s, string name, string summary, string reference, IEnumerable<string> records)
                => checks.Add(MailCheck.Create(id, $"{name} {host}", s, summary, reference, records, area: area));
            var main = await HandshakeAsync(openssl, host, ip, port, null, ct).ConfigureAwait(false);
            var key = Field(main, @"^Server Temp Key:\s*(.+)$");
            if (main == null || key == null)
            {
                return checks; // no TLS 1.2 handshake: the other checks say why
            }

            var records = new List<string> { "TLS 1.2 key exchange: " + key };
            // 109: the group of the ECDHE (or DHE) exchange the server chose, and the DH group it uses when DHE is forced
            var groupProblems = new List<string>();
            if (Regex.IsMatch(key, @"secp224|prime192|secp192", RegexOptions.IgnoreCase))
            {
                groupProblems.Add($"it uses the weak curve {key} (phase-out)");
            }

            var dhSize = Regex.Match(key, @"^DH,\s*(\d+) bits");
            if (dhSize.Success && int.Parse(dhSize.Groups[1].Value, CultureInfo.InvariantCulture) < 3072)
            {
                groupProblems.Add($"it prefers finite-field DHE with {dhSize.Groups[1].Value} bits (insufficient below 3072, RFC 7919 ffdhe3072)");
            }

            var dhe = await HandshakeAsync(openssl, host, ip, port, "DHE", ct).ConfigureAwait(false);
            var dheKey = Field(dhe, @"^Server Temp Key:\s*(DH.+)$");
            if (dheKey != null)
            {
                records.Add("when only DHE is offered: " + dheKey);
                var m = Regex.Match(dheKey, @"(\d+) bits");
                if (m.Success && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) < 3072)
                {
                    groupProblems.Add($"with DHE it uses a {m.Groups[1].Value}-bit group (insufficient: use ffdhe3072 or larger, or drop DHE)");
                }
            }
            Add(MailCheckId.TlsKeyExchange, groupProblems.Count == 0 ? MailCheckStatus.Pass : MailCheckStatus.Warning, "Key exchange group",
                groupProblems.Count == 0
                    ? $"{where} uses {key} for the TLS 1.2 key exchange{(dheKey != null ? $", and {dheKey} when only DHE is offered" : "")}."
                    : $"{where}: " + string.Join("; ", groupProblems) + ".",
                "RFC 7919, RFC 8422, NCSC-NL TLS guidelines", records);
            // 111: TLS hygiene visible in the handshake
            var hygiene = new List<string>();
            var seen = new List<string>();
            var reneg = Field(main, @"^(Secure Renegotiation IS(?: NOT)? supported)");
            if (reneg != null)
            {
                seen.Add(reneg);
                if (reneg.Contains("NOT"))
                {
                    hygiene.Add("secure renegotiation (RFC 5746) is not supported");
                }
            }
            var compression = Field(main, @"^Compression:\s*(.+)$");
            if (compression != null)
            {
                seen.Add("Compression: " + compression);
                if (!compression.Equals("NONE", StringComparison.OrdinalIgnoreCase))
                {
                    hygiene.Add($"TLS compression is on ({compression}: CRIME)");
                }
            }
            var ems = Field(main, @"Extended master secret:\s*(\w+)");
            if (ems != null)
            {
                seen.Add("Extended master secret: " + ems);
                if (!ems.Equals("yes", StringComparison.OrdinalIgnoreCase))
                {
                    hygiene.Add("Extended Master Secret (RFC 7627) is not used");
                }
            }
            if (seen.Count > 0)
                Add(MailCheckId.TlsHygiene, hygiene.Count == 0 ? MailCheckStatus.Pass : MailCheckStatus.Warning, "TLS hygiene",
                    hygiene.Count == 0
                        ? $"{where}: secure renegotiation, no compression, Extended Master Secret (read with openssl s_client; client-initiated renegotiation "
                            + "and 0-RTT are not tested)." : $"{where}: " + string.Join("; ", hygiene) + ".",
                    "RFC 5746, RFC 7627, RFC 8446 8", seen);
            return checks;
        }
    }
}
