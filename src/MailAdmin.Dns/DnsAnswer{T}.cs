using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Dns
{
    /// <summary>The answer to one question: its status and records.</summary>
    public sealed class DnsAnswer<T>
    {
        public DnsAnswer(
            DnsStatus status,
            IReadOnlyList<T> records,
            bool authenticated = false,
            string extendedError = null,
            IReadOnlyList<string> aliases = null,
            bool signed = false)
        {
            Signed = signed;
            Status = status;
            Records = records ?? Array.Empty<T>();
            Authenticated = authenticated;
            ExtendedError = extendedError;
            Aliases = aliases ?? Array.Empty<string>();
        }

        /// <summary>The answer came with DNSSEC signatures (RRSIG), so its zone is signed, whether or not the resolver asked
        /// validates (an authoritative server sends them to a query with the DO bit).</summary>
        public bool Signed { get; }

        /// <summary>The CNAME targets the answer passed through, in order (the name asked was an alias when not empty). Every
        /// answer carries them, so no separate CNAME question is needed to tell an alias or a dangling one.</summary>
        public IReadOnlyList<string> Aliases { get; }
        /// <summary>The resolver's Extended DNS Error (RFC 8914) as "code text", e.g. "6 DNSSEC Bogus"; null when none was given.</summary>
        public string ExtendedError { get; }
        /// <summary>The Extended DNS Error says DNSSEC validation failed (codes 1-12 except 3 and 4: bogus, expired, missing keys...).</summary>
        public bool IsBogus => ExtendedError != null && int.TryParse(ExtendedError.Split(' ')[0], out var c) && c >= 1 && c <= 12 && c != 3 && c != 4;
        /// <summary>The resolver validated the answer with DNSSEC (the AD flag; only a validating resolver sets it).</summary>
        public bool Authenticated { get; }
        public DnsStatus Status { get; }
        public IReadOnlyList<T> Records { get; }
        /// <summary>True for NXDOMAIN or NOERROR with no records (a "void lookup" in RFC 7208 terms).</summary>
        public bool IsVoid => Status == DnsStatus.NxDomain || (Status == DnsStatus.NoError && Records.Count == 0);
        public bool IsError => Status == DnsStatus.ServerFailure || Status == DnsStatus.Timeout;
    }
}
