using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.DnsHosting
{
    /// <summary>
    /// A DNS host account: reads a zone's records and applies a plan's adds, updates and removals. Records it does not name in
    /// a plan are never touched. Failures are <see cref="MailAdminException"/>s: a zone the account does not host is ObjectNotFound
    /// (DnsZoneNotFound), bad credentials AuthenticationError, a record the host refuses InvalidArgument naming the record.
    /// </summary>
    public interface IDnsHost : IDisposable
    {
        /// <summary>AliDns, DnsPod, Cloudflare or PowerDns.</summary>
        string Name { get; }
        /// <summary>The API it talks to (no secret).</summary>
        string Target { get; }
        /// <summary>Every record of the zone.</summary>
        Task<IReadOnlyList<DnsHostRecord>> GetRecordsAsync(string zone, CancellationToken ct);
        /// <summary>
        /// Applies the Add, Update and Remove items (others are ignored), setting each item's Status to Applied, Failed (with
        /// Error) or Skipped. A host that can apply them in one transaction does; otherwise each record is applied alone, adds
        /// and updates first, and a removal only once the adds and updates of its name and type are applied (an old MX goes
        /// after the new one is in place). A failure of one leaves the others applied, so running the same publish again
        /// finishes the job.
        /// </summary>
        Task ApplyAsync(string zone, IReadOnlyList<DnsHostRecord> current, IReadOnlyList<DnsPlanItem> changes, CancellationToken ct);
        /// <summary>The TTL the host keeps when asked for <paramref name="ttl"/> (hosts with a minimum TTL raise it).</summary>
        int EffectiveTtl(int ttl);
        /// <summary>Requests made so far (for benchmarks and -Verbose).</summary>
        long Requests { get; }
    }
}
