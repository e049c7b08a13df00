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
    /// <summary>PTR (115) and forward-confirmed reverse DNS (116) of each MX address.</summary>
    internal sealed class ReverseDnsCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            foreach (var host in context.MxHosts)
            {
                foreach (var ip in host.A.Records.Concat(host.Aaaa.Records))
                {
                    await ReverseDns(context.Dns, host.Host, ip, context.Sink, context.Ct).ConfigureAwait(false);
                }
            }
        }

        /// <summary>PTR (115) and forward-confirmed reverse DNS (116) of one MX address.</summary>
        private static async Task ReverseDns(IDnsResolver dns, string host, IPAddress ip, CheckSink sink, CancellationToken ct)
        {
            var ptr = await dns.PtrAsync(ip, ct).ConfigureAwait(false);
            if (ptr.IsError)
            {
                sink.Add(MailCheckId.MxPtr, $"PTR of {ip}", MailCheckStatus.Info, $"The PTR lookup for {ip} ({host}) failed ({ptr.Status}).", "RFC 1912 2.1");
                return;
            }
            if (ptr.Records.Count == 0)
            {
                sink.Add(
                    MailCheckId.MxPtr,
                    $"PTR of {ip}",
                    MailCheckStatus.Warning,
                    $"{ip} ({host}) has no PTR record; many receivers distrust mail from addresses without reverse DNS.",
                    "RFC 1912 2.1");
                return;
            }
            var confirmed = new List<string>();
            foreach (var name in ptr.Records.Take(10))
            {
                var fwd = await dns.AddressAsync(name, ip.AddressFamily == AddressFamily.InterNetworkV6, ct).ConfigureAwait(false);
                if (fwd.Records.Any(x => x.Equals(ip)))
                {
                    confirmed.Add(name);
                }
            }
            if (confirmed.Count == 0)
            {
                sink.Add(
                    MailCheckId.MxForwardConfirmedPtr,
                    $"FCrDNS of {ip}",
                    MailCheckStatus.Warning,
                    $"{ip} ({host}) has PTR {string.Join(", ", ptr.Records)}, which does not resolve back to {ip} (no forward-confirmed reverse DNS).",
                    "RFC 8601 3, M3AAWG",
                    ptr.Records);
            }
            else
            {
                sink.Add(
                    MailCheckId.MxForwardConfirmedPtr,
                    $"FCrDNS of {ip}",
                    MailCheckStatus.Pass,
                    $"{ip} ({host}) has PTR {confirmed[0]}, which resolves back to it.",
                    "RFC 1912 2.1",
                    ptr.Records);
            }
        }
    }
}
