using System;
using System.Linq;
using System.Threading.Tasks;
using MailAdmin.Models;
using MailAdmin.Transport;
using MailAdmin.Validation;

namespace MailAdmin.Dns.Checks
{
    /// <summary>-ProbeSmtp: talks SMTP to every MX address (up to four a host) and checks what it offers (102-114) and the
    /// host's TLSA records against the chain it presents (96).</summary>
    internal sealed class SmtpProbeCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            var options = context.Options;
            if (!options.ProbeSmtp || context.MxRecords == null || context.NullMx)
            {
                return;
            }

            var probe = new SmtpProbe { Port = options.SmtpPort, TrustedRoots = options.TrustedRoots };
            var hosts = context.MxRecords.Select(m => m.Exchange).Where(MailNames.IsHostName).Distinct(StringComparer.OrdinalIgnoreCase);
            foreach (var host in hosts)
            {
                var a = await context.Dns.AddressAsync(host, false, context.Ct).ConfigureAwait(false);
                var aaaa = await context.Dns.AddressAsync(host, true, context.Ct).ConfigureAwait(false);
                var tlsa = await context.Dns.TlsaAsync("_25._tcp." + host, context.Ct).ConfigureAwait(false);
                foreach (var ip in a.Records.Concat(aaaa.Records).Take(4))
                {
                    if (!context.AllowPrivateAddresses && !MxCheck.IsRoutable(ip))
                    {
                        context.Sink.Add(MailCheckId.SmtpReachable, $"Port 25 {host}", MailCheckStatus.Info,
                            $"{host} ({ip}) is a private or reserved address: not probed (on a lab network, add -AllowPrivateAddress).", "RFC 6890");
                        continue;
                    }

                    var checks = await probe.ProbeAsync(context.Domain, host, ip, tlsa.Records, context.Ct).ConfigureAwait(false);
                    context.Sink.Checks.AddRange(checks);
                }
            }
        }
    }
}
