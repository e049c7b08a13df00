using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.DnsHosting
{
    /// <summary>One record as a DNS host holds it. Names have no trailing dot; a TXT value is the joined text, unquoted.</summary>
    public sealed class DnsHostRecord
    {
        public string Zone { get; set; }
        /// <summary>Fully qualified owner name, lower case, without the trailing dot.</summary>
        public string Name { get; set; }
        public string Type { get; set; }
        public int Ttl { get; set; }
        /// <summary>MX and CNAME: the target host; SRV: "weight port target"; TXT: the text (character-strings joined).</summary>
        public string Value { get; set; }
        /// <summary>MX preference or SRV priority.</summary>
        public int? Priority { get; set; }
        /// <summary>The host's own id of the record (PowerDNS has none: its presentation content stands in).</summary>
        public string Id { get; set; }
        public bool Disabled { get; set; }
        /// <summary>The DNS host (provider name) that holds it.</summary>
        public string DnsHost { get; set; }
        public override string ToString() => $"{Name} {Ttl} IN {Type} {(Priority.HasValue ? Priority + " " : "")}{Value}";
    }

    /// <summary>What publishing does with one required record.</summary>
    public enum DnsChangeAction { Add, Update, Unchanged, Refused, Remove }

    /// <summary>One line of a publishing plan: a required record, what the host holds now, and what will change.</summary>
    public sealed class DnsPlanItem
    {
        public string Zone { get; set; }
        public string Name { get; set; }
        public string Type { get; set; }
        /// <summary>The value the host will hold (for SPF: the merged record).</summary>
        public string Value { get; set; }
        public int? Priority { get; set; }
        public int Ttl { get; set; }
        public MailDnsPurpose Purpose { get; set; }
        public DnsChangeAction Action { get; set; }
        /// <summary>The record it replaces (Update), matches (Unchanged) or deletes (Remove).</summary>
        public DnsHostRecord Existing { get; set; }
        public string OldValue => Existing?.Value;
        /// <summary>Why it is refused, or what the merge kept.</summary>
        public string Reason { get; set; }
        /// <summary>For a refusal: the stable error id (DnsCnameConflict, DuplicateSpfRecord, SpfLookupLimit, ...).</summary>
        public string ErrorId { get; set; }
        /// <summary>Planned, Applied, Unchanged, Refused or Failed.</summary>
        public string Status { get; set; } = "Planned";
        /// <summary>The failure of this record when the host refused it.</summary>
        public MailAdminException Error { get; set; }
        public string DnsHost { get; set; }
        public override string ToString() => $"{Action} {Name} {Type} {(Priority.HasValue ? Priority + " " : "")}{Value}";
    }

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

    /// <summary>Secrets and settings for opening a DNS host.</summary>
    public sealed class DnsHostOptions
    {
        public Uri ApiBaseUri { get; set; }
        /// <summary>Named secrets: ApiKey, ApiToken, SecretId/SecretKey, AccessKeyId/AccessKeySecret.</summary>
        public IDictionary<string, SecretText> Secrets { get; } = new Dictionary<string, SecretText>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Named settings that are not secret (PowerDNS server id).</summary>
        public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Client-side requests per second (0: the host's documented default).</summary>
        public double RequestsPerSecond { get; set; }

        public SecretText Secret(string name, string host)
        {
            if (Secrets.TryGetValue(name, out var s) && s != null && s.Length > 0) return s;
            throw MailAdminException.Invalid("DnsHostSecretMissing", $"{host} needs -{name}.", name);
        }
    }
}
