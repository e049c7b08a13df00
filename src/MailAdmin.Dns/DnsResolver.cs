using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailAdmin.Dns.Wire;
using MailAdmin.Errors;

namespace MailAdmin.Dns
{
    /// <summary>
    /// IDnsResolver over the process's DNS transport (Wire/DnsTransport: UDP, TCP when an answer is truncated). With servers
    /// given it asks only those (never the system resolver); without, the system's (from /etc/resolv.conf, read by DnsClient).
    /// Each question is sent up to retries + 1 times, each time to the next server, waiting timeout for each answer.
    /// </summary>
    public sealed class DnsResolver : IDnsResolver
    {
        private readonly IReadOnlyList<IPEndPoint> _servers;
        private readonly TimeSpan _timeout;
        private readonly int _tries;

        public DnsResolver(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout, int retries)
        {
            _servers = servers != null && servers.Count > 0 ? servers.ToArray() : SystemServers();
            _timeout = timeout;
            _tries = retries + 1;
            Servers = _servers.Select(s => s.ToString()).ToArray();
        }

        public string[] Servers { get; }

        private static IPEndPoint[] SystemServers()
        {
            var found = NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)
                .Select(n => IPAddress.TryParse(n.Address, out var ip) ? new IPEndPoint(ip, n.Port) : null)
                .Where(e => e != null)
                .ToArray();
            if (found.Length == 0)
            {
                throw MailAdminException.Invalid(
                    "NoDnsServer", "This machine names no DNS server (/etc/resolv.conf); give one with -Server.", null);
            }

            return found;
        }

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

        private async Task<DnsExchange> Ask(string name, DnsRecordType type, CancellationToken ct)
        {
            byte[] query;
            try
            {
                query = DnsWireQuery.Build(name, type);
            }
            catch (ArgumentException)
            {
                // a name that cannot be sent (a bad label or an invalid IDN) exists nowhere
                return new DnsExchange(DnsStatus.NxDomain, null);
            }
            return await DnsTransport.Shared.QueryAsync(query, _servers, _timeout, _tries, ct).ConfigureAwait(false);
        }

        private static IEnumerable<DnsWireRecord> Of(DnsExchange x, DnsRecordType type)
            => x.Response?.Answers.Where(a => a.Type == type);

        private static DnsAnswer<T> Answer<T>(DnsExchange x, IEnumerable<T> records)
        {
            var r = x.Response;
            return new DnsAnswer<T>(
                x.Status,
                records?.ToList(),
                r?.Authenticated ?? false,
                r?.ExtendedError,
                r?.Answers.Where(a => a.Type == DnsRecordType.CNAME).Select(a => a.Text).ToList(),
                r?.Signed ?? false);
        }

        public async Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct)
        {
            var x = await Ask(name, DnsRecordType.TXT, ct).ConfigureAwait(false);
            return Answer(x, Of(x, DnsRecordType.TXT)?.Select(a => a.Text));
        }

        public async Task<DnsAnswer<IPAddress>> AddressAsync(string name, bool ipv6, CancellationToken ct)
        {
            var type = ipv6 ? DnsRecordType.AAAA : DnsRecordType.A;
            var x = await Ask(name, type, ct).ConfigureAwait(false);
            return Answer(x, Of(x, type)?.Select(a => a.Address));
        }

        public async Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct)
        {
            var x = await Ask(name, DnsRecordType.MX, ct).ConfigureAwait(false);
            return Answer(x, Of(x, DnsRecordType.MX)?.Select(a => a.Mx));
        }

        public async Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct)
        {
            var x = await Ask(address.GetArpaName(), DnsRecordType.PTR, ct).ConfigureAwait(false);
            return Answer(x, Of(x, DnsRecordType.PTR)?.Select(a => a.Text));
        }

        public async Task<DnsAnswer<string>> CnameAsync(string name, CancellationToken ct)
        {
            var x = await Ask(name, DnsRecordType.CNAME, ct).ConfigureAwait(false);
            // owners in the answer are as sent: A-labels for a Unicode name (Ask would have answered NXDOMAIN for a name
            // that has none, with no records to compare)
            var owner = x.Response == null ? null : DnsWireQuery.ToAscii(name);
            return Answer(x, Of(x, DnsRecordType.CNAME)?.Where(a => string.Equals(a.Owner, owner, StringComparison.OrdinalIgnoreCase))
                .Select(a => a.Text));
        }

        public async Task<DnsAnswer<string>> QueryAsync(string name, string type, CancellationToken ct)
        {
            DnsRecordType t;
            switch (type.ToUpperInvariant())
            {
                case "NS": t = DnsRecordType.NS; break;
                case "DS": t = DnsRecordType.DS; break;
                case "CAA": t = DnsRecordType.CAA; break;
                case "SRV": t = DnsRecordType.SRV; break;
                case "SPF": t = DnsRecordType.SPF; break;
                default: throw new ArgumentException("unsupported type " + type, nameof(type));
            }
            var x = await Ask(name, t, ct).ConfigureAwait(false);
            return Answer(x, Of(x, t)?.Select(a => a.Text));
        }

        public async Task<DnsAnswer<string>> TlsaAsync(string name, CancellationToken ct)
        {
            var x = await Ask(name, DnsRecordType.TLSA, ct).ConfigureAwait(false);
            return Answer(x, Of(x, DnsRecordType.TLSA)?.Select(a => a.Text));
        }

        public async Task<DnsAnswer<string>> SoaAsync(string name, CancellationToken ct)
        {
            var x = await Ask(name, DnsRecordType.SOA, ct).ConfigureAwait(false);
            return Answer(x, Of(x, DnsRecordType.SOA)?.Select(a => a.Text));
        }
    }
}
