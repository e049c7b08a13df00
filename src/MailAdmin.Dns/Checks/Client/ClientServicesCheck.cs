using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>RFC 6186 SRV records for mail clients (122) and, with -ProbeSmtp, TLS on each client port (117).</summary>
    internal sealed class ClientServicesCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            var options = context.Options;
            if (!options.Thorough && !options.ProbeSmtp)
            {
                return;
            }

            Func<string, string, int, IPAddress, CancellationToken, Task<List<MailCheck>>> probe = null;
            if (options.ProbeSmtp)
            {
                var client = new MailAdmin.Transport.ClientPortProbe { TrustedRoots = options.TrustedRoots };
                var allowPrivate = context.AllowPrivateAddresses;
                probe = (service, host, port, ip, ct) =>
                {
                    if (allowPrivate || MxCheck.IsRoutable(ip))
                    {
                        return client.ProbeAsync(service, host, port, ip, ct);
                    }

                    var skipped = MailCheck.Create(
                        MailCheckId.ClientPorts,
                        $"Client port {service} {host}:{port}",
                        MailCheckStatus.Info,
                        $"{host} ({ip}) is a private or reserved address: not probed (on a lab network, add -AllowPrivateAddress).",
                        "RFC 6890",
                        area: "Client");
                    return Task.FromResult(new List<MailCheck> { skipped });
                };
            }

            await ClientServicesAsync(context.Dns, context.Domain, context.Sink, context.Ct, probe).ConfigureAwait(false);
        }

        private static readonly (string service, bool tls)[] ClientServices =
        {
            ("submissions", true), ("submission", false), ("imaps", true), ("imap", false), ("pop3s", true), ("pop3", false),
        };

        /// <summary>
        /// RFC 6186 SRV records for mail clients (117): which services are published, plaintext-only services warned
        /// about (RFC 8314), and with a probe each target's TLS checked.
        /// </summary>
        public static async Task ClientServicesAsync(IDnsResolver dns, string domain, CheckSink sink, CancellationToken ct,
            Func<string, string, int, System.Net.IPAddress, CancellationToken, Task<List<MailCheck>>> probe)
        {
            var found = new List<(string service, bool tls, int port, string target)>();
            foreach (var (service, tls) in ClientServices)
            {
                var r = await dns.QueryAsync($"_{service}._tcp.{domain}", "SRV", ct).ConfigureAwait(false);
                foreach (var rec in r.Records)
                {
                    var f = rec.Split(' ');
                    if (f.Length == 4 && int.TryParse(f[2], out var port))
                    {
                        found.Add((service, tls, port, f[3]));
                    }
                }
            }
            if (found.Count == 0)
            {
                return; // RFC 6186 is optional; clients also use autoconfig or fixed names
            }

            var offered = found.Where(x => x.target != "" && x.target != ".").ToList();
            var shown = found.Select(x => $"_{x.service}._tcp {x.port} {(x.target == "" ? "." : x.target)}").ToList();
            var plainOnly = new List<string>();
            foreach (var (plain, secure) in new[] { ("submission", "submissions"), ("imap", "imaps"), ("pop3", "pop3s") })
                if (offered.Any(x => x.service == plain) && !offered.Any(x => x.service == secure))
                {
                    plainOnly.Add($"{plain} without {secure}");
                }

            sink.Add(MailCheckId.ClientSrv, "Client SRV records", plainOnly.Count > 0 ? MailCheckStatus.Warning : MailCheckStatus.Pass,
                plainOnly.Count > 0
                    ? "Mail clients are pointed at STARTTLS ports only (" + string.Join(", ", plainOnly) + "); RFC 8314 prefers implicit TLS: "
                        + "publish _submissions._tcp (465), _imaps._tcp (993), _pop3s._tcp (995)."
                    : $"SRV records point mail clients to {string.Join(", ", offered.Select(x => x.service).Distinct())}"
                        + (offered.Count == 0 ? "nothing (services declared not offered)." : "."),
                "RFC 6186 3, RFC 8314 3.3", shown);
            if (probe == null)
            {
                return;
            }

            foreach (var x in offered)
            {
                if (!MailAdmin.Validation.MailNames.IsHostName(x.target))
                {
                    sink.Add(
                        MailCheckId.ClientSrv,
                        $"Client SRV {x.service}",
                        MailCheckStatus.Fail,
                        $"The {x.service} SRV target '{x.target}' is not a valid host name; it is not probed.",
                        "RFC 2782, RFC 1123 2.1");
                    continue;
                }
                var a = await dns.AddressAsync(x.target, false, ct).ConfigureAwait(false);
                var aaaa = await dns.AddressAsync(x.target, true, ct).ConfigureAwait(false);
                var ip = a.Records.FirstOrDefault() ?? aaaa.Records.FirstOrDefault();
                if (ip == null)
                {
                    sink.Add(
                        MailCheckId.ClientSrv,
                        $"Client SRV {x.service} {x.target}:{x.port}",
                        MailCheckStatus.Fail,
                        $"The {x.service} host {x.target} has no address.",
                        "RFC 6186 3");
                    continue;
                }
                sink.Checks.AddRange(await probe(x.service, x.target, x.port, ip, ct).ConfigureAwait(false));
            }
        }
    }
}
