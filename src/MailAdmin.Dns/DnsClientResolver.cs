using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailAdmin.Errors;

namespace MailAdmin.Dns
{
    /// <summary>
    /// IDnsResolver on DnsClient. With servers given it asks only those (never the system resolver); without, the
    /// system's. Timeouts and retries are set per run; TCP is used when a UDP answer is truncated.
    /// </summary>
    public sealed class DnsClientResolver : IDnsResolver
    {
        private readonly LookupClient _client;

        public DnsClientResolver(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout, int retries)
        {
            var options = servers != null && servers.Count > 0
                ? new LookupClientOptions(servers.Select(s => new NameServer(s)).ToArray())
                : new LookupClientOptions();
            options.UseCache = false;          // the run's own cache (CachingResolver) asks each question once
            options.Timeout = timeout;
            options.Retries = retries;
            options.UseTcpFallback = true;
            options.ThrowDnsErrors = false;
            options.ContinueOnDnsError = false;
            options.ContinueOnEmptyResponse = false;
            options.UseRandomNameServer = false;
            options.EnableAuditTrail = false;
            options.RequestDnsSecRecords = true;   // DO bit: a validating resolver then reports AD per answer
            _client = new LookupClient(options);
            Servers = options.NameServers.Select(n => n.ToString()).ToArray();
        }

        public string[] Servers { get; }

        /// <summary>Parses "host", "host:port", "ip", "ip:port" or "[v6]:port"; a host name is resolved once with the system resolver.</summary>
        public static IPEndPoint[] ParseServers(IEnumerable<string> servers)
        {
            var list = new List<IPEndPoint>();
            foreach (var raw in servers ?? Enumerable.Empty<string>())
            {
                if (string.IsNullOrWhiteSpace(raw))
                {
                    continue;
                }

                var s = raw.Trim();
                string host = s;
                var port = 53;
                if (s.StartsWith("[", StringComparison.Ordinal))
                {
                    var close = s.IndexOf(']');
                    if (close < 0)
                    {
                        throw MailAdminException.Invalid("InvalidDnsServer", $"'{raw}' is not a DNS server: a bracketed IPv6 address needs ']'.", raw);
                    }

                    host = s.Substring(1, close - 1);
                    if (close + 1 < s.Length)
                    {
                        if (s[close + 1] != ':' || !int.TryParse(s.Substring(close + 2), NumberStyles.None, CultureInfo.InvariantCulture, out port))
                        {
                            throw MailAdminException.Invalid("InvalidDnsServer", $"'{raw}' is not a DNS server: use [address]:port.", raw);
                        }
                    }
                }
                else if (s.Count(c => c == ':') == 1)
                {
                    var i = s.IndexOf(':');
                    host = s.Substring(0, i);
                    if (!int.TryParse(s.Substring(i + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port))
                    {
                        throw MailAdminException.Invalid("InvalidDnsServer", $"'{raw}' is not a DNS server: the port after ':' must be a number.", raw);
                    }
                }
                if (port < 1 || port > 65535)
                {
                    throw MailAdminException.Invalid("InvalidDnsServer", $"'{raw}': port {port} is out of range 1-65535.", raw);
                }

                if (IPAddress.TryParse(host, out var ip))
                {
                    list.Add(new IPEndPoint(ip, port));
                    continue;
                }
                IPAddress[] found;
                try
                {
                    found = System.Net.Dns.GetHostAddresses(host);
                }
                catch (SocketException e)
                {
                    throw MailAdminException.Invalid("InvalidDnsServer", $"The DNS server '{raw}' cannot be found: {e.Message}", raw);
                }
                if (found.Length == 0)
                {
                    throw MailAdminException.Invalid("InvalidDnsServer", $"The DNS server '{raw}' has no address.", raw);
                }

                list.Add(new IPEndPoint(found[0], port));
            }
            return list.ToArray();
        }

        private async Task<(DnsStatus status, IDnsQueryResponse response)> Ask(string name, QueryType type, CancellationToken ct)
        {
            try
            {
                var r = await _client.QueryAsync(name, type, QueryClass.IN, ct).ConfigureAwait(false);
                switch (r.Header.ResponseCode)
                {
                    case DnsHeaderResponseCode.NoError: return (DnsStatus.NoError, r);
                    case DnsHeaderResponseCode.NotExistentDomain: return (DnsStatus.NxDomain, r);
                    default: return (DnsStatus.ServerFailure, r);
                }
            }
            catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
            {
                return (DnsStatus.Timeout, null);
            }
            catch (DnsResponseException)
            {
                return (DnsStatus.ServerFailure, null);
            }
            catch (ArgumentException)
            {
                return (DnsStatus.NxDomain, null);
            } // a name DnsClient refuses to send (bad label)
        }

        private static DnsAnswer<T> Answer<T>(DnsStatus s, IEnumerable<T> records, IDnsQueryResponse r)
            => new DnsAnswer<T>(
                s,
                records?.ToList(),
                r?.Header.IsAuthenticData ?? false,
                r == null ? null : ExtendedError(r),
                r?.Answers.CnameRecords().Select(c => c.CanonicalName.Value.TrimEnd('.')).ToList(),
                r != null && r.Answers.OfType<RRSigRecord>().Any());

        private static readonly Dictionary<int, string> EdeNames = new Dictionary<int, string>
        {
            [0] = "Other",
            [1] = "Unsupported DNSKEY Algorithm",
            [2] = "Unsupported DS Digest Type",
            [3] = "Stale Answer",
            [4] = "Forged Answer",
            [5] = "DNSSEC Indeterminate",
            [6] = "DNSSEC Bogus",
            [7] = "Signature Expired",
            [8] = "Signature Not Yet Valid",
            [9] = "DNSKEY Missing",
            [10] = "RRSIGs Missing",
            [11] = "No Zone Key Bit Set",
            [12] = "NSEC Missing",
            [13] = "Cached Error",
            [14] = "Not Ready",
            [15] = "Blocked",
            [16] = "Censored",
            [17] = "Filtered",
            [18] = "Prohibited",
            [19] = "Stale NXDOMAIN Answer",
            [20] = "Not Authoritative",
            [21] = "Not Supported",
            [22] = "No Reachable Authority",
            [23] = "Network Error",
            [24] = "Invalid Data",
        };

        /// <summary>The Extended DNS Error option (RFC 8914: option code 15, INFO-CODE, EXTRA-TEXT) of the response's OPT record.</summary>
        internal static string ExtendedError(IDnsQueryResponse r)
        {
            var opt = r.Additionals.OfType<DnsClient.Protocol.Options.OptRecord>().FirstOrDefault();
            var data = opt?.Data;
            if (data == null)
            {
                return null;
            }

            for (var i = 0; i + 4 <= data.Length;)
            {
                var code = (data[i] << 8) | data[i + 1];
                var len = (data[i + 2] << 8) | data[i + 3];
                if (i + 4 + len > data.Length)
                {
                    break;
                }

                if (code == 15 && len >= 2)
                {
                    var info = (data[i + 4] << 8) | data[i + 5];
                    var text = len > 2 ? System.Text.Encoding.UTF8.GetString(data, i + 6, len - 2).TrimEnd('\0') : "";
                    var name = EdeNames.TryGetValue(info, out var n) ? n : "Unknown";
                    return text.Length > 0 ? $"{info} {name}: {text}" : $"{info} {name}";
                }
                i += 4 + len;
            }
            return null;
        }

        public async Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct)
        {
            var (s, r) = await Ask(name, QueryType.TXT, ct).ConfigureAwait(false);
            // character-strings of one record are joined with no separator (RFC 7208 3.3, RFC 8460 3)
            return Answer(s, r?.Answers.TxtRecords().Select(t => string.Concat(t.Text)), r);
        }

        public async Task<DnsAnswer<IPAddress>> AddressAsync(string name, bool ipv6, CancellationToken ct)
        {
            var (s, r) = await Ask(name, ipv6 ? QueryType.AAAA : QueryType.A, ct).ConfigureAwait(false);
            return Answer(s, ipv6 ? r?.Answers.AaaaRecords().Select(a => a.Address) : r?.Answers.ARecords().Select(a => a.Address), r);
        }

        public async Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct)
        {
            var (s, r) = await Ask(name, QueryType.MX, ct).ConfigureAwait(false);
            return Answer(s, r?.Answers.MxRecords().Select(m => new MxRecord(m.Preference, m.Exchange.Value.TrimEnd('.'))), r);
        }

        public async Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct)
        {
            var (s, r) = await Ask(address.GetArpaName(), QueryType.PTR, ct).ConfigureAwait(false);
            return Answer(s, r?.Answers.PtrRecords().Select(p => p.PtrDomainName.Value.TrimEnd('.')), r);
        }

        public async Task<DnsAnswer<string>> CnameAsync(string name, CancellationToken ct)
        {
            var (s, r) = await Ask(name, QueryType.CNAME, ct).ConfigureAwait(false);
            return Answer(s, r?.Answers.CnameRecords().Where(
                c => string.Equals(c.DomainName.Value.TrimEnd('.'), name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
                .Select(c => c.CanonicalName.Value.TrimEnd('.')), r);
        }

        public async Task<DnsAnswer<string>> QueryAsync(string name, string type, CancellationToken ct)
        {
            QueryType qt;
            switch (type.ToUpperInvariant())
            {
                case "NS": qt = QueryType.NS; break;
                case "DS": qt = QueryType.DS; break;
                case "CAA": qt = QueryType.CAA; break;
                case "SRV": qt = QueryType.SRV; break;
                case "SPF": qt = QueryType.SPF; break;
                default: throw new ArgumentException("unsupported type " + type, nameof(type));
            }
            var (s, r) = await Ask(name, qt, ct).ConfigureAwait(false);
            IEnumerable<string> text = null;
            if (r != null)
                switch (qt)
                {
                    case QueryType.NS: text = r.Answers.NsRecords().Select(n => n.NSDName.Value.TrimEnd('.')); break;
                    case QueryType.DS: text = r.Answers.OfType<DsRecord>().Select(d => $"{d.KeyTag} {d.Algorithm} {d.DigestType} {d.DigestAsString}"); break;
                    case QueryType.CAA: text = r.Answers.CaaRecords().Select(c => $"{c.Flags} {c.Tag} \"{c.Value}\""); break;
                    case QueryType.SPF: text = r.Answers.Where(x => x.RecordType == ResourceRecordType.SPF).Select(SpfText); break;
                    case QueryType.SRV: text = r.Answers.SrvRecords().Select(x => $"{x.Priority} {x.Weight} {x.Port} {x.Target.Value.TrimEnd('.')}"); break;
                }
            return Answer(s, text, r);
        }

        /// <summary>The text of an SPF (type 99) record: DnsClient gives it as TXT-shaped or as raw character-strings.</summary>
        private static string SpfText(DnsResourceRecord rec)
        {
            if (rec is TxtRecord t)
            {
                return string.Concat(t.Text);
            }

            if (rec is UnknownRecord u)
            {
                var d = u.Data.ToArray();
                var sb = new System.Text.StringBuilder();
                for (var i = 0; i < d.Length;)
                {
                    var len = d[i];
                    if (i + 1 + len > d.Length)
                    {
                        break;
                    }

                    sb.Append(System.Text.Encoding.UTF8.GetString(d, i + 1, len));
                    i += 1 + len;
                }
                return sb.ToString();
            }
            return rec.ToString();
        }

        public async Task<DnsAnswer<string>> TlsaAsync(string name, CancellationToken ct)
        {
            var (s, r) = await Ask(name, QueryType.TLSA, ct).ConfigureAwait(false);
            string Text(TlsaRecord t)
            {
                var hex = string.Concat(t.CertificateAssociationData.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
                return $"{(int)t.CertificateUsage} {(int)t.Selector} {(int)t.MatchingType} {hex}";
            }

            return Answer(s, r?.Answers.OfType<TlsaRecord>().Select(Text), r);
        }

        public async Task<DnsAnswer<string>> SoaAsync(string name, CancellationToken ct)
        {
            var (s, r) = await Ask(name, QueryType.SOA, ct).ConfigureAwait(false);
            return Answer(
                s,
                r?.Answers.SoaRecords().Select(x => $"{x.MName.Value} {x.RName.Value} {x.Serial} {x.Refresh} {x.Retry} {x.Expire} {x.Minimum}"),
                r);
        }
    }
}
