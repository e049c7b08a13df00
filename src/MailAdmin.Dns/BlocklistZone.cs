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
    /// <summary>A blocklist zone and how to read its answers.</summary>
    public sealed class BlocklistZone
    {
        public BlocklistZone(string name, bool forDomains)
        {
            Name = name.Trim().TrimEnd('.').ToLowerInvariant();
            ForDomains = forDomains;
        }
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
            if (v4.Count == 0)
            {
                return (BlocklistStatus.NotListed, "not listed");
            }

            if (v4.Any(b => b[0] != 127))
            {
                return (
                    BlocklistStatus.Error,
                    "the zone answered with an address outside 127.0.0.0/8: the resolver rewrites answers (or the zone is gone); not a listing");
            }

            var spamhaus = Name.EndsWith("spamhaus.org", StringComparison.Ordinal);
            var meanings = new List<string>();
            foreach (var b in v4)
            {
                var code = $"{b[0]}.{b[1]}.{b[2]}.{b[3]}";
                if (spamhaus && b[1] == 255 && b[2] == 255 && (b[3] == 252 || b[3] == 254 || b[3] == 255))
                {
                    return (
                        BlocklistStatus.Error,
                        b[3] == 252
                            ? "Spamhaus: the query was malformed (typo in the zone name)"
                            : b[3] == 254 ? "Spamhaus refuses queries from public/open resolvers: ask through your own resolver or a Data Query Service key"
                                : "Spamhaus: excessive queries from this resolver");
                }

                if (spamhaus && b[1] == 0 && b[2] == 1 && b[3] == 255)
                {
                    return (BlocklistStatus.Error, "Spamhaus DBL: the query was invalid");
                }

                if (Name == "multi.uribl.com" && code == "127.0.0.1")
                {
                    return (BlocklistStatus.Error, "URIBL refuses queries from this resolver");
                }

                if (code == "127.0.0.1" && !ForDomains)
                {
                    return (BlocklistStatus.Error, "127.0.0.1 is the RFC 5782 test code for 'not listed'; the zone may be misconfigured");
                }

                meanings.Add(Meaning(b));
            }
            var policyOnly = spamhaus && !ForDomains && v4.All(b => b[1] == 0 && b[2] == 0 && (b[3] == 10 || b[3] == 11));
            return (
                BlocklistStatus.Listed,
                string.Join("; ", meanings.Distinct()) + (
                    policyOnly ? " (a policy listing: normal for end-user ranges, a problem only for a sending mail server)" : ""));
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
                    default:
                        if (b[3] >= 102 && b[3] <= 106)
                        {
                            return "DBL: an abused legitimate domain";
                        }

                        break;
                }
            if (Name == "multi.uribl.com" && b[1] == 0 && b[2] == 0)
            {
                var lists = new List<string>();
                if ((b[3] & 2) != 0)
                {
                    lists.Add("black");
                }

                if ((b[3] & 4) != 0)
                {
                    lists.Add("grey");
                }

                if ((b[3] & 8) != 0)
                {
                    lists.Add("red");
                }

                return "URIBL " + string.Join("/", lists);
            }
            return $"listed ({b[0]}.{b[1]}.{b[2]}.{b[3]})";
        }
    }
}
