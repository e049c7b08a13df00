using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;

namespace MailAdmin.Dns
{
    /// <summary>Looks IPs up (reversed octets / nibbles, RFC 5782 2.1, 2.4) and domains up in blocklist zones.</summary>
    public sealed class BlocklistChecker
    {
        private readonly IDnsResolver _dns;
        public BlocklistChecker(IDnsResolver dns)
        {
            _dns = dns;
        }

        public static string QueryName(IPAddress ip, string zone)
        {
            var b = ip.GetAddressBytes();
            if (ip.AddressFamily == AddressFamily.InterNetwork)
            {
                return $"{b[3]}.{b[2]}.{b[1]}.{b[0]}.{zone}";
            }

            var nibbles = new List<char>();
            for (var i = b.Length - 1; i >= 0; i--)
            {
                nibbles.Add("0123456789abcdef"[b[i] & 15]);
                nibbles.Add("0123456789abcdef"[b[i] >> 4]);
            }
            return string.Join(".", nibbles) + "." + zone;
        }

        public async Task<MailBlocklistResult> CheckAsync(string target, BlocklistZone zone, CancellationToken ct)
        {
            string query;
            if (IPAddress.TryParse(target, out var ip))
            {
                if (zone.ForDomains)
                {
                    throw MailAdminException.Invalid("BlocklistZoneMismatch", $"{zone.Name} lists domains, and '{target}' is an IP address.", target);
                }

                if (ip.IsIPv4MappedToIPv6)
                {
                    ip = ip.MapToIPv4();
                }

                query = QueryName(ip, zone.Name);
            }
            else
            {
                if (!zone.ForDomains)
                {
                    throw MailAdminException.Invalid("BlocklistZoneMismatch", $"{zone.Name} lists IP addresses, and '{target}' is a domain.", target);
                }

                query = MailAdmin.Validation.MailNames.NormalizeDomain(target) + "." + zone.Name;
            }
            var result = new MailBlocklistResult { Target = target, Zone = zone.Name, Query = query };
            var a = await _dns.AddressAsync(query, false, ct).ConfigureAwait(false);
            if (a.IsError)
            {
                result.Status = BlocklistStatus.Error;
                result.Meaning = $"the zone did not answer ({a.Status})";
                return result;
            }
            result.Codes = a.Records.Select(r => r.ToString()).ToArray();
            var (status, meaning) = zone.Interpret(a.Records);
            result.Status = status;
            result.Meaning = meaning;
            if (status == BlocklistStatus.Listed)
            {
                var txt = await _dns.TxtAsync(query, ct).ConfigureAwait(false);
                result.Reason = txt.Records.FirstOrDefault();
            }
            return result;
        }
    }
}
