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
    /// <summary>DANE TLSA records of each MX host in a signed zone (92-95, 97).</summary>
    internal sealed class DaneCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            foreach (var host in context.MxHosts)
            {
                if (context.Options.ProbeSmtp || host.A.Signed || host.Aaaa.Signed || host.A.Authenticated || host.Aaaa.Authenticated)
                {
                    await Dane(context.Dns, host.Host, context.Sink, context.Ct).ConfigureAwait(false);
                }
                else
                {
                    // DANE needs a signed zone (RFC 7672 2.2): TLSA records in an unsigned one do nothing, so they are not asked for
                    context.Sink.Add(MailCheckId.DaneTlsa, $"TLSA {host.Host}", MailCheckStatus.Info,
                        $"The zone of {host.Host} is not DNSSEC-signed, so DANE cannot apply to it (TLSA not asked).", "RFC 7672 2.2");
                }
            }
        }

        /// <summary>DANE TLSA records of one MX host (92, 94, 95). DNSSEC validation is not done here: without it DANE is only advisory.</summary>
        private static async Task Dane(IDnsResolver dns, string host, CheckSink sink, CancellationToken ct)
        {
            var name = "_25._tcp." + host;
            var t = await dns.TlsaAsync(name, ct).ConfigureAwait(false);
            if (t.IsBogus)
            {
                sink.Add(
                    MailCheckId.DaneDenialOfExistence,
                    $"TLSA {host}",
                    MailCheckStatus.Fail,
                    $"The TLSA lookup at {name} fails DNSSEC validation ({t.ExtendedError}): DANE senders cannot prove whether TLSA exists and defer mail "
                    + $"to {host}.",
                    "RFC 7672 2.2, RFC 4035 5.5");
                return;
            }
            if (t.Records.Count == 0)
            {
                return; // DANE is optional; nothing to say when it is not published
            }

            var usable = 0;
            foreach (var rec in t.Records)
            {
                var f = rec.Split(' ');
                int.TryParse(f[0], out var usage);
                int.TryParse(f[1], out var selector);
                int.TryParse(f[2], out var matching);
                var hex = f.Length > 3 ? f[3] : "";
                if (usage > 3 || selector > 1 || matching > 2)
                {
                    sink.Add(
                        MailCheckId.DaneFields,
                        $"TLSA {host}",
                        MailCheckStatus.Fail,
                        $"'{rec}' at {name} has a usage, selector or matching type out of range (0-3, 0-1, 0-2).",
                        "RFC 6698 2.1",
                        new[] { rec });
                    continue;
                }
                if ((matching == 1 && hex.Length != 64) || (matching == 2 && hex.Length != 128))
                {
                    sink.Add(
                        MailCheckId.DaneFields,
                        $"TLSA {host}",
                        MailCheckStatus.Fail,
                        $"'{rec}' at {name}: a SHA-{(matching == 1 ? 256 : 512)} digest is {(matching == 1 ? 64 : 128)} hex digits, not {hex.Length}.",
                        "RFC 6698 2.1.4",
                        new[] { rec });
                    continue;
                }
                if (usage == 0 || usage == 1)
                {
                    sink.Add(
                        MailCheckId.DaneUsage,
                        $"TLSA {host}",
                        MailCheckStatus.Warning,
                        $"'{rec}' at {name} uses PKIX-{(usage == 0 ? "TA" : "EE")}, which SMTP senders ignore; publish DANE-EE (3 1 1) or DANE-TA (2 1 1).",
                        "RFC 7672 3.1.3",
                        new[] { rec });
                    continue;
                }
                if (matching == 0)
                {
                    sink.Add(
                        MailCheckId.DaneUsage,
                        $"TLSA {host}",
                        MailCheckStatus.Warning,
                        $"'{rec}' at {name} carries the full certificate or key (matching 0); publish a SHA-256 digest.",
                        "RFC 7671 5.2.1",
                        new[] { rec });
                }

                usable++;
            }
            if (usable > 0)
            {
                if (t.Authenticated)
                {
                    sink.Add(
                        MailCheckId.DaneTlsa,
                        $"TLSA {host}",
                        MailCheckStatus.Pass,
                        $"{host} publishes {usable} usable TLSA record(s) at {name}, DNSSEC-authenticated: DANE is in effect for it.",
                        "RFC 7672 2.2",
                        t.Records);
                }
                else
                {
                    sink.Add(
                        MailCheckId.DaneTlsa,
                        $"TLSA {host}",
                        MailCheckStatus.Info,
                        $"{host} publishes {usable} usable TLSA record(s) at {name}, but the answer was not DNSSEC-authenticated (unsigned zone, or a "
                        + "resolver that does not validate): DANE is in effect only when it is.",
                        "RFC 7672 2.2",
                        t.Records);
                }

                sink.Add(MailCheckId.DaneRollover, $"TLSA rollover {host}", MailCheckStatus.Info, usable >= 2
                    ? $"{host} has {usable} usable TLSA records, so a key or certificate can be replaced without a gap (current + next, or 3 1 1 + 2 1 1)."
                    : $"{host} has one usable TLSA record: publish the next key's record (or a 2 1 1 for the issuing CA) "
                        + "before every certificate change, or DANE senders will defer mail.",
                    "RFC 7671 8.1",
                    t.Records);
            }
        }
    }
}
