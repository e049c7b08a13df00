using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Dns
{
    /// <summary>The DNS questions the checks ask. Names are given without the trailing dot.</summary>
    public interface IDnsResolver
    {
        /// <summary>TXT records; each record's character-strings joined with no separator (RFC 7208 3.3).</summary>
        Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct);
        Task<DnsAnswer<IPAddress>> AddressAsync(string name, bool ipv6, CancellationToken ct);
        Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct);
        Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct);
        /// <summary>The CNAME target of a name, if the name is an alias (answers with no records otherwise).</summary>
        Task<DnsAnswer<string>> CnameAsync(string name, CancellationToken ct);
        /// <summary>TLSA records (RFC 6698) as "usage selector matching hexdata".</summary>
        Task<DnsAnswer<string>> TlsaAsync(string name, CancellationToken ct);
        /// <summary>Other record types as text: NS (target), DS (keytag alg digesttype digest), CAA (flags tag value),
        /// SRV (priority weight port target).</summary>
        Task<DnsAnswer<string>> QueryAsync(string name, string type, CancellationToken ct);
        /// <summary>The SOA of a zone apex, as text ("mname rname serial refresh retry expire minimum").</summary>
        Task<DnsAnswer<string>> SoaAsync(string name, CancellationToken ct);
    }
}
