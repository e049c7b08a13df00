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
    public enum BlocklistStatus { NotListed, Listed, Error }

    /// <summary>One target looked up in one DNS blocklist zone (RFC 5782).</summary>
    public sealed class MailBlocklistResult
    {
        public string Target { get; set; }
        public string Zone { get; set; }
        public BlocklistStatus Status { get; set; }
        public bool Listed => Status == BlocklistStatus.Listed;
        /// <summary>The A records returned (return codes).</summary>
        public string[] Codes { get; set; } = new string[0];
        /// <summary>What the codes mean (per zone), or why the answer is not a listing.</summary>
        public string Meaning { get; set; }
        /// <summary>The zone's TXT reason, when listed.</summary>
        public string Reason { get; set; }
        /// <summary>The name asked.</summary>
        public string Query { get; set; }
        public override string ToString() => $"{Target} {Zone}: {Status}";
    }

    /// <summary>A blocklist zone and how to read its answers.</summary>
    public sealed class BlocklistZone
    {
        public BlocklistZone(string name, bool forDomains) { Name = name.Trim().TrimEnd('.').ToLowerInvariant(); ForDomains = forDomains; }
        public string Name { get; }
        public bool ForDomains { get; }

        public static readonly BlocklistZone[] DefaultIpZones =
        {
            new BlocklistZone("zen.spamhaus.org", false), new BlocklistZone("bl.spamcop.net", false),
            new BlocklistZone("b.barracudacentral.org", false), new BlocklistZone("psbl.surriel.com", false),
        };
        public static readonly BlocklistZone[] DefaultDomainZones = { new BlocklistZone("dbl.spamhaus.org", true), new BlocklistZone("multi.uribl.com", true) };

        /// <summary>Reads the return codes: (status, meaning). Answers outside 127.0.0.0/8 and documented error codes are errors, never listings.</summary>
        public (BlocklistStatus, string) Interpret(IReadOnlyList<IPAddress> codes)
        {
            var v4 = codes.Where(c => c.AddressFamily == AddressFamily.InterNetwork).Select(c => c.GetAddressBytes()).ToList();
            if (v4.Count == 0) return (BlocklistStatus.NotListed, "not listed");
            if (v4.Any(b => b[0] != 127)) return (BlocklistStatus.Error, "the zone answered with an address outside 127.0.0.0/8: the resolver rewrites answers (or the zone is gone); not a listing");
            var spamhaus = Name.EndsWith("spamhaus.org", StringComparison.Ordinal);
            var meanings = new List<string>();
            foreach (var b in v4)
            {
                var code = $"{b[0]}.{b[1]}.{b[2]}.{b[3]}";
                if (spamhaus && b[1] == 255 && b[2] == 255 && (b[3] == 252 || b[3] == 254 || b[3] == 255))
                    return (BlocklistStatus.Error, b[3] == 252 ? "Spamhaus: the query was malformed (typo in the zone name)" : b[3] == 254 ? "Spamhaus refuses queries from public/open resolvers: ask through your own resolver or a Data Query Service key" : "Spamhaus: excessive queries from this resolver");
                if (spamhaus && b[1] == 0 && b[2] == 1 && b[3] == 255) return (BlocklistStatus.Error, "Spamhaus DBL: the query was invalid");
                if (Name == "multi.uribl.com" && code == "127.0.0.1") return (BlocklistStatus.Error, "URIBL refuses queries from this resolver");
                if (code == "127.0.0.1" && !ForDomains) return (BlocklistStatus.Error, "127.0.0.1 is the RFC 5782 test code for 'not listed'; the zone may be misconfigured");
                meanings.Add(Meaning(b));
            }
            var policyOnly = spamhaus && !ForDomains && v4.All(b => b[1] == 0 && b[2] == 0 && (b[3] == 10 || b[3] == 11));
            return (BlocklistStatus.Listed, string.Join("; ", meanings.Distinct()) + (policyOnly ? " (a policy listing: normal for end-user ranges, a problem only for a sending mail server)" : ""));
        }

        private string Meaning(byte[] b)
        {
            if (Name == "zen.spamhaus.org" && b[1] == 0 && b[2] == 0)
                switch (b[3])
                {
                    case 2: return "SBL: a known spam source";
                    case 3: return "SBL CSS: snowshoe spam";
                    case 4: case 5: case 6: case 7: return "XBL: a hijacked or infected host";
                    case 9: return "DROP: a hijacked network";
                    case 10: case 11: return "PBL: an end-user range that should not send mail directly";
                }
            if (Name == "dbl.spamhaus.org" && b[1] == 0 && b[2] == 1)
                switch (b[3])
                {
                    case 2: return "DBL: spam domain";
                    case 4: return "DBL: phishing domain";
                    case 5: return "DBL: malware domain";
                    case 6: return "DBL: botnet C&C domain";
                    default: if (b[3] >= 102 && b[3] <= 106) return "DBL: an abused legitimate domain"; break;
                }
            if (Name == "multi.uribl.com" && b[1] == 0 && b[2] == 0)
            {
                var lists = new List<string>();
                if ((b[3] & 2) != 0) lists.Add("black"); if ((b[3] & 4) != 0) lists.Add("grey"); if ((b[3] & 8) != 0) lists.Add("red");
                return "URIBL " + string.Join("/", lists);
            }
            return $"listed ({b[0]}.{b[1]}.{b[2]}.{b[3]})";
        }
    }

    /// <summary>Looks IPs up (reversed octets / nibbles, RFC 5782 2.1, 2.4) and domains up in blocklist zones.</summary>
    public sealed class BlocklistChecker
    {
        private readonly IDnsResolver _dns;
        public BlocklistChecker(IDnsResolver dns) { _dns = dns; }

        public static string QueryName(IPAddress ip, string zone)
        {
            var b = ip.GetAddressBytes();
            if (ip.AddressFamily == AddressFamily.InterNetwork) return $"{b[3]}.{b[2]}.{b[1]}.{b[0]}.{zone}";
            var nibbles = new List<char>();
            for (var i = b.Length - 1; i >= 0; i--) { nibbles.Add("0123456789abcdef"[b[i] & 15]); nibbles.Add("0123456789abcdef"[b[i] >> 4]); }
            return string.Join(".", nibbles) + "." + zone;
        }

        public async Task<MailBlocklistResult> CheckAsync(string target, BlocklistZone zone, CancellationToken ct)
        {
            string query;
            if (IPAddress.TryParse(target, out var ip))
            {
                if (zone.ForDomains) throw MailAdminException.Invalid("BlocklistZoneMismatch", $"{zone.Name} lists domains, and '{target}' is an IP address.", target);
                if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
                query = QueryName(ip, zone.Name);
            }
            else
            {
                if (!zone.ForDomains) throw MailAdminException.Invalid("BlocklistZoneMismatch", $"{zone.Name} lists IP addresses, and '{target}' is a domain.", target);
                query = MailAdmin.Validation.MailNames.NormalizeDomain(target) + "." + zone.Name;
            }
            var result = new MailBlocklistResult { Target = target, Zone = zone.Name, Query = query };
            var a = await _dns.AddressAsync(query, false, ct).ConfigureAwait(false);
            if (a.IsError) { result.Status = BlocklistStatus.Error; result.Meaning = $"the zone did not answer ({a.Status})"; return result; }
            result.Codes = a.Records.Select(r => r.ToString()).ToArray();
            var (status, meaning) = zone.Interpret(a.Records);
            result.Status = status; result.Meaning = meaning;
            if (status == BlocklistStatus.Listed)
            {
                var txt = await _dns.TxtAsync(query, ct).ConfigureAwait(false);
                result.Reason = txt.Records.FirstOrDefault();
            }
            return result;
        }
    }
}
