using System;
using System.Collections.Generic;
using System.Globalization;
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

namespace MailAdmin.Dns.Checks
{
    /// <summary>
    /// Fetches https://mta-sts.DOMAIN/.well-known/mta-sts.txt (RFC 8461 3.3) over a connection to the address the run's
    /// resolver gives (so -Server applies here too), never following redirects, with a size and time limit.
    /// </summary>
    public sealed class MtaStsFetcher
    {
        private readonly IDnsResolver _dns;
        public MtaStsFetcher(IDnsResolver dns)
        {
            _dns = dns;
        }
        public int Port { get; set; } = 443;
        /// <summary>Extra trust anchors (a private or test CA) besides the system's.</summary>
        public X509Certificate2Collection TrustedRoots { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
        public int MaxBytes { get; set; } = 64 * 1024;
        /// <summary>Also fetch from private, loopback and other non-routable addresses (test and lab networks).</summary>
        public bool AllowPrivateAddresses { get; set; }

        public async Task<HttpsFetchResult> GetAsync(string host, string path, CancellationToken ct)
        {
            var result = new HttpsFetchResult();
            var a = await _dns.AddressAsync(host, false, ct).ConfigureAwait(false);
            var aaaa = a.Records.Count == 0 ? await _dns.AddressAsync(host, true, ct).ConfigureAwait(false) : null;
            var ip = a.Records.FirstOrDefault() ?? aaaa?.Records.FirstOrDefault();
            if (ip == null)
            {
                result.Error = $"{host} has no address ({(a.IsError ? a.Status.ToString() : a.Status == DnsStatus.NxDomain ? "NXDOMAIN" : "no A/AAAA")})";
                return result;
            }
            // the same rule as the MX checks: a record cannot send this run to a private network unless the admin allows it
            if (!AllowPrivateAddresses && !MxCheck.IsRoutable(ip))
            {
                result.Error = $"{host} resolves to {ip}, which is not reachable from the internet, "
                    + "so it is not fetched (allow private addresses to check a lab network)";
                return result;
            }
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            using (var tcp = new TcpClient(ip.AddressFamily))
            {
                timeout.CancelAfter(Timeout);
                // the TLS handshake takes no token here: closing the socket ends every wait, at the timeout or on Ctrl+C
                using (timeout.Token.Register(tcp.Dispose))
                    try
                    {
                        var connect = tcp.ConnectAsync(ip, Port);
                        if (await Task.WhenAny(connect, Task.Delay(Timeout, timeout.Token)).ConfigureAwait(false) != connect)
                        {
                            result.Error = $"no connection to {ip}:{Port} within {Timeout.TotalSeconds:0} s";
                            return result;
                        }
                        await connect.ConfigureAwait(false);
                        using (var ssl = new SslStream(tcp.GetStream(), false,
                            (s, cert, chain,
                            errors) =>
                            {
                                result.CertificateProblem = MailAdmin.Validation.CertificateTrust.Problem(host, cert, errors, TrustedRoots);
                                return true;
                            }))
                        {
                            await ssl.AuthenticateAsClientAsync(host, null, SslProtocols.None, false).ConfigureAwait(false);
                            var request = Encoding.ASCII.GetBytes(
                                $"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: MailAdmin Test-MailDomain\r\n"
                                + "Accept: text/plain\r\nConnection: close\r\n\r\n");
                            await ssl.WriteAsync(request, 0, request.Length, timeout.Token).ConfigureAwait(false);
                            var raw = new MemoryStream();
                            var buf = new byte[8192];
                            int n;
                            while ((n = await ssl.ReadAsync(buf, 0, buf.Length, timeout.Token).ConfigureAwait(false)) > 0)
                            {
                                raw.Write(buf, 0, n);
                                if (raw.Length > MaxBytes + 16384)
                                {
                                    result.Truncated = true;
                                    break;
                                }
                            }
                            Parse(raw.ToArray(), result);
                        }
                    }
                    catch (Exception) when (ct.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(ct);
                    }
                    catch (Exception e) when (timeout.IsCancellationRequested
                        && (e is OperationCanceledException || e is ObjectDisposedException || e is IOException || e is SocketException
                        || e is AuthenticationException))
                    {
                        result.Error = $"no answer from {ip}:{Port} within {Timeout.TotalSeconds:0} s";
                    }
                    catch (AuthenticationException e)
                    {
                        result.Error = $"the TLS handshake with {host} ({ip}:{Port}) failed: {e.Message}";
                    }
                    catch (IOException e)
                    {
                        result.Error = $"the connection to {host} ({ip}:{Port}) failed: {e.Message}";
                    }
                    catch (SocketException e)
                    {
                        result.Error = $"no connection to {host} ({ip}:{Port}): {e.Message}";
                    }
            }
            return result;
        }

        private void Parse(byte[] raw, HttpsFetchResult result)
        {
            var text = Encoding.UTF8.GetString(raw);
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var sep = 4;
            if (headEnd < 0)
            {
                headEnd = text.IndexOf("\n\n", StringComparison.Ordinal);
                sep = 2;
            }
            if (headEnd < 0)
            {
                result.Error = "the server's answer is not HTTP";
                return;
            }
            var lines = text.Substring(0, headEnd).Replace("\r\n", "\n").Split('\n');
            result.StatusLine = lines[0];
            var parts = lines[0].Split(' ');
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                result.Error = $"the server's answer is not HTTP ('{lines[0]}')";
                return;
            }
            result.Status = status;
            foreach (var l in lines.Skip(1))
            {
                var c = l.IndexOf(':');
                if (c > 0)
                {
                    result.Headers[l.Substring(0, c).Trim()] = l.Substring(c + 1).Trim();
                }
            }
            var body = text.Substring(headEnd + sep);
            if (result.Headers.TryGetValue("Transfer-Encoding", out var te) && te.IndexOf("chunked", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                body = Dechunk(body);
            }

            if (body.Length > MaxBytes)
            {
                body = body.Substring(0, MaxBytes);
                result.Truncated = true;
            }
            result.Body = body;
        }

        private static string Dechunk(string s)
        {
            var sb = new StringBuilder();
            var i = 0;
            while (i < s.Length)
            {
                var nl = s.IndexOf("\r\n", i, StringComparison.Ordinal);
                if (nl < 0)
                {
                    break;
                }

                if (!int.TryParse(s.Substring(i, nl - i).Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
                {
                    break;
                }

                if (nl + 2 + size > s.Length)
                {
                    sb.Append(s.Substring(nl + 2));
                    break;
                }
                sb.Append(s, nl + 2, size);
                i = nl + 2 + size + 2;
            }
            return sb.ToString();
        }

        /// <summary>Fetches and checks the policy (83-87) and MX coverage against the domain's MX hosts.</summary>
        /// <returns>The policy's mode (enforce, testing, none), or null when no policy could be read.</returns>
        public async Task<string> CheckAsync(string domain, IReadOnlyList<MxRecord> mx, CheckSink sink, CancellationToken ct)
        {
            var host = "mta-sts." + domain;
            var url = $"https://{host}{(Port != 443 ? ":" + Port.ToString(CultureInfo.InvariantCulture) : "")}/.well-known/mta-sts.txt";
            var r = await GetAsync(host, "/.well-known/mta-sts.txt", ct).ConfigureAwait(false);
            if (r.Error != null)
            {
                sink.Add(
                    MailCheckId.MtaStsPolicyFetch,
                    "MTA-STS policy fetch",
                    MailCheckStatus.Fail,
                    $"The policy at {url} cannot be fetched: {r.Error}. Senders then ignore the MTA-STS record.",
                    "RFC 8461 3.3");
                return null;
            }
            if (r.CertificateProblem != null)
            {
                sink.Add(
                    MailCheckId.MtaStsPolicyFetch,
                    "MTA-STS policy certificate",
                    MailCheckStatus.Fail,
                    $"{url}: {r.CertificateProblem}; senders must not use a policy fetched this way.",
                    "RFC 8461 3.3");
            }

            if (r.Status >= 300 && r.Status < 400)
            {
                sink.Add(
                    MailCheckId.MtaStsPolicyFetch,
                    "MTA-STS policy fetch",
                    MailCheckStatus.Fail,
                    $"{url} answers {r.Status} (redirect{(r.Headers.TryGetValue("Location", out var loc) ? " to " + loc : "")}); senders must not follow "
                    + "redirects, so the policy is not found.",
                    "RFC 8461 3.3");
                return null;
            }
            if (r.Status != 200)
            {
                sink.Add(
                    MailCheckId.MtaStsPolicyFetch,
                    "MTA-STS policy fetch",
                    MailCheckStatus.Fail,
                    $"{url} answers '{r.StatusLine}', not 200.",
                    "RFC 8461 3.3");
                return null;
            }
            r.Headers.TryGetValue("Content-Type", out var type);
            if (type == null || !type.Split(';')[0].Trim().Equals("text/plain", StringComparison.OrdinalIgnoreCase))
            {
                sink.Add(
                    MailCheckId.MtaStsPolicyFetch,
                    "MTA-STS policy content type",
                    MailCheckStatus.Warning,
                    $"{url} is served as '{type ?? "(none)"}', not text/plain.",
                    "RFC 8461 3.2");
            }

            if (r.Truncated)
            {
                sink.Add(
                    MailCheckId.MtaStsPolicyFetch,
                    "MTA-STS policy size",
                    MailCheckStatus.Warning,
                    $"{url} is larger than {MaxBytes / 1024} KB; senders may refuse it.",
                    "RFC 8461 3.3");
            }

            if (r.CertificateProblem == null)
            {
                sink.Add(
                    MailCheckId.MtaStsPolicyFetch,
                    "MTA-STS policy fetch",
                    MailCheckStatus.Pass,
                    $"The policy is served at {url} with a valid certificate.",
                    "RFC 8461 3.3",
                    new[] { r.Body });
            }

            var policy = MtaStsPolicy.Parse(r.Body, sink);
            if (mx == null || policy.Mode == "none")
            {
                return policy.Mode;
            }

            var hosts = mx.Where(m => m.Exchange != "" && m.Exchange != ".").Select(m => m.Exchange).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var uncovered = hosts.Where(h => !policy.Mx.Any(p => MtaStsPolicy.Matches(p, h))).ToList();
            if (uncovered.Count == 0)
            {
                sink.Add(
                    MailCheckId.MtaStsMxCoverage,
                    "MTA-STS MX coverage",
                    MailCheckStatus.Pass,
                    "Every MX host matches an mx pattern of the policy.",
                    "RFC 8461 4.1",
                    policy.Mx);
            }
            else
            {
                var verb = uncovered.Count == 1 ? "matches" : "match";
                var consequence = policy.Mode == "enforce" ? ": senders that honour the policy will not deliver there" : "";
                sink.Add(
                    MailCheckId.MtaStsMxCoverage,
                    "MTA-STS MX coverage",
                    policy.Mode == "enforce" ? MailCheckStatus.Fail : MailCheckStatus.Warning,
                    $"{string.Join(", ", uncovered)} {verb} no mx pattern of the policy ({string.Join(", ", policy.Mx)}){consequence}.",
                    "RFC 8461 4.1",
                    policy.Mx);
            }
            return policy.Mode;
        }
    }
}
