using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using MailAdmin.Dns.Propagation;
using MailAdmin.Dns.Spf;
using MailAdmin.DnsHosting;
using MailAdmin.DnsHosts;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Connects to the account that hosts the domains' DNS zones and makes it the session's DNS host.</summary>
    /// <remarks>
    /// A DNS host connection is separate from the mail provider's (Connect-MailProvider): mail can be at Alimail while the
    /// zone is at PowerDNS. PowerDns takes -ApiBaseUri (its webserver, e.g. http://127.0.0.1:8081; /api/v1 is added) and
    /// -ApiKey (its api-key setting); -ServerId picks the server (default localhost). Cloudflare takes -ApiToken (an API
    /// token with DNS Write; the client keeps to 4 requests per second, Cloudflare's 1,200 per 5 minutes); -ApiBaseUri
    /// replaces https://api.cloudflare.com/client/v4 (an emulator, a proxy). DnsPod (Tencent Cloud DNSPod API 3.0) takes
    /// -SecretId and -SecretKey; every request is signed with TC3-HMAC-SHA256 (the key never travels), 20 requests/s on the
    /// client; -ApiBaseUri replaces https://dnspod.tencentcloudapi.com (e.g. the international dnspod.intl endpoint). AliDns
    /// (Alibaba Cloud DNS) takes -AccessKeyId and -AccessKeySecret; every request is signed with ACS3-HMAC-SHA256, 50
    /// requests/s on the client; -ApiBaseUri replaces https://alidns.aliyuncs.com (e.g. a regional endpoint). Secrets are SecureStrings kept in
    /// memory only, never shown, and not written to -Debug (which shows every request and answer). -ApiBaseUri must be
    /// https, or plain http to a loopback address.
    /// </remarks>
    /// <example>
    /// <code>Connect-MailDnsHost -Provider PowerDns -ApiBaseUri https://dns.contoso.com:8081 -ApiKey (Read-Host -AsSecureString 'PowerDNS API key')</code>
    /// <para>Connects to a PowerDNS Authoritative server's HTTP API and makes it the default DNS host of the session.</para>
    /// </example>
    /// <example>
    /// <code>$lab = Connect-MailDnsHost -Provider PowerDns -ApiBaseUri http://127.0.0.1:8081 -ApiKey $key -PassThru
    /// Get-MailDnsRecord contoso.com -DnsHost $lab</code>
    /// <para>Keeps the connection in a variable and reads a zone through it.</para>
    /// </example>
    /// <example>
    /// <code>Connect-MailDnsHost -Provider Cloudflare -ApiToken (Get-Secret CloudflareDnsToken)</code>
    /// <para>Connects to Cloudflare with an API token kept in a secret vault.</para>
    /// </example>
    /// <example>
    /// <code>Connect-MailDnsHost -Provider DnsPod -SecretId AKIDxxxxxxxx -SecretKey (Read-Host -AsSecureString 'SecretKey')</code>
    /// <para>Connects to Tencent Cloud DNSPod with a CAM API key.</para>
    /// </example>
    /// <example>
    /// <code>Connect-MailDnsHost -Provider AliDns -AccessKeyId LTAIxxxxxxxx -AccessKeySecret (Get-Credential AliDns)</code>
    /// <para>Connects to Alibaba Cloud DNS with a RAM user's AccessKey pair (the credential's password is the secret).</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Connect, "MailDnsHost")]
    [OutputType(typeof(MailDnsHostConnection))]
    public sealed class ConnectMailDnsHostCommand : MailAdminCmdlet
    {
        /// <summary>The DNS host: PowerDns, Cloudflare, DnsPod or AliDns.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet("PowerDns", "Cloudflare", "DnsPod", "AliDns")]
        public string Provider { get; set; }

        /// <summary>The API's address (PowerDns: its webserver, e.g. http://127.0.0.1:8081).</summary>
        [Parameter]
        public Uri ApiBaseUri { get; set; }

        /// <summary>PowerDns: the API key (its api-key setting). A SecureString, a PSCredential (its password) or text.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString ApiKey { get; set; }

        /// <summary>Cloudflare: an API token with DNS Write on the zones (sent as a Bearer token). A SecureString, a PSCredential (its password) or text.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString ApiToken { get; set; }

        /// <summary>DnsPod: the SecretId of a Tencent Cloud API key (CAM).</summary>
        [Parameter]
        public string SecretId { get; set; }

        /// <summary>DnsPod: the SecretKey of that API key. A SecureString, a PSCredential (its password) or text.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString SecretKey { get; set; }

        /// <summary>AliDns: the AccessKey ID of a RAM user allowed to manage DNS records.</summary>
        [Parameter]
        public string AccessKeyId { get; set; }

        /// <summary>AliDns: the AccessKey secret. A SecureString, a PSCredential (its password) or text.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString AccessKeySecret { get; set; }

        /// <summary>PowerDns: the server id in the API's paths (default localhost).</summary>
        [Parameter]
        public string ServerId { get; set; }

        /// <summary>Client-side limit of requests per second (default: the host's documented limit; PowerDns: none).</summary>
        [Parameter]
        [ValidateRange(0, 10000)]
        public double RequestsPerSecond { get; set; }

        /// <summary>Writes the connection object.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var options = new DnsHostOptions { ApiBaseUri = ApiBaseUri, RequestsPerSecond = RequestsPerSecond };
            if (ApiKey != null) options.Secrets["ApiKey"] = ToSecret(ApiKey);
            if (ApiToken != null) options.Secrets["ApiToken"] = ToSecret(ApiToken);
            if (!string.IsNullOrEmpty(SecretId)) options.Secrets["SecretId"] = new SecretText(SecretId);
            if (SecretKey != null) options.Secrets["SecretKey"] = ToSecret(SecretKey);
            if (!string.IsNullOrEmpty(AccessKeyId)) options.Secrets["AccessKeyId"] = new SecretText(AccessKeyId);
            if (AccessKeySecret != null) options.Secrets["AccessKeySecret"] = ToSecret(AccessKeySecret);
            if (!string.IsNullOrEmpty(ServerId)) options.Settings["ServerId"] = ServerId;
            IDnsHost host;
            try { host = DnsHostCatalog.Open(Provider, options); }
            catch (MailAdminException e) { ThrowTerminatingError(ToErrorRecord(e, Provider)); return; }
            var conn = DnsHostSession.Open(host);
            WriteVerbose($"DNS host {conn} is the session's default.");
            if (PassThru) WriteObject(conn);
        }
    }

    /// <summary>Gets the records a zone holds at the DNS host.</summary>
    /// <remarks>
    /// Reads the zone through the DNS host connection (Connect-MailDnsHost) and writes one object per record: Zone, Name
    /// (fully qualified, no trailing dot), Type, Ttl, Value (TXT joined and unquoted; MX and SRV targets without the
    /// priority, which is in Priority) and Id (the host's record id). -Name and -Type filter (wildcards allowed).
    /// A zone the account does not host is an ObjectNotFound error (DnsZoneNotFound).
    /// </remarks>
    /// <example>
    /// <code>Get-MailDnsRecord contoso.com</code>
    /// <para>Lists every record of contoso.com at the DNS host.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailDnsRecord contoso.com -Type TXT -Name '_dmarc.*'</code>
    /// <para>Shows the DMARC record(s) the zone holds.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailDnsRecord")]
    [OutputType(typeof(DnsHostRecord))]
    public sealed class GetMailDnsRecordCommand : DnsHostCmdlet
    {
        /// <summary>The zone (domain).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Domain", "DomainName")]
        public string Zone { get; set; }

        /// <summary>Only records whose name matches (wildcards).</summary>
        [Parameter]
        [SupportsWildcards]
        public string Name { get; set; }

        /// <summary>Only records of these types.</summary>
        [Parameter]
        public string[] Type { get; set; }

        protected override void ProcessItem()
        {
            var name = string.IsNullOrEmpty(Name) ? null : new WildcardPattern(Name.TrimEnd('.'), WildcardOptions.IgnoreCase);
            TryRun(Zone, () =>
            {
                foreach (var r in Await(Host.GetRecordsAsync(Zone, StopToken)))
                {
                    if (name != null && !name.IsMatch(r.Name)) continue;
                    if (Type != null && Type.Length > 0 && !Type.Any(t => string.Equals(t, r.Type, StringComparison.OrdinalIgnoreCase))) continue;
                    WriteObject(r);
                }
            });
        }
    }

    /// <summary>Makes the DNS host hold the records a mail domain needs.</summary>
    /// <remarks>
    /// Takes the records from Get-MailDomainDnsRecord (or any objects with Zone, Name, Type, Value and, for MX/SRV, Priority),
    /// reads each zone once, plans, and makes the host hold exactly what is required: records that are missing are added,
    /// records that differ (in value, priority or only in TTL) are updated in place, matching records are left as they are,
    /// and every other record of a required name and type is removed - the old provider's MX beside the new one, a stale
    /// DKIM key under the same selector, a second DMARC record. For TXT only records of the same kind go (SPF, DMARC, DKIM,
    /// MTA-STS, TLS-RPT): an unrelated TXT at the apex (google-site-verification=...) stays, as do records of other names
    /// and types. Removals come after the adds, and a removal is held back (with a warning) while an add or update of its
    /// name and type is declined or fails, so a domain never has no MX. A name never keeps a second SPF record: existing SPF
    /// records are merged into one with the required terms (their other terms and 'all' kept) as long as evaluating it takes
    /// at most the 10 DNS lookups of RFC 7208 - counted through include: and redirect= by asking -Server (default: the
    /// system resolver) - otherwise it is refused with the count and where it comes from. A CNAME at a name that needs
    /// another record is refused. Refusals and records the host rejects are non-terminating errors naming the record
    /// (ErrorIds DnsCnameConflict, DuplicateSpfRecord, SpfMergeRefused, SpfLookupLimit, DnsRecordRefused, DnsZoneNotFound);
    /// the rest is applied, and running the same command again finishes the job and changes nothing else. Long TXT values
    /// (2048-bit DKIM keys) are split into 255-octet strings and quoted as the host wants. Records marked not Required are
    /// published only with -IncludeOptional. -WhatIf writes the plan (Action: Add, Update, Remove, Unchanged, Refused) as a
    /// table and changes nothing; each change is confirmed on its own with -Confirm. The rows written (Applied and
    /// Unchanged, removals included) pipe into Wait-MailDnsPropagation, which awaits a removed record's absence.
    /// </remarks>
    /// <example>
    /// <code>Get-MailDomainDnsRecord contoso.cn | Publish-MailDnsRecord -WhatIf</code>
    /// <para>Shows what would be added, changed and removed at the DNS host, and what is already right.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailDomainDnsRecord contoso.cn | Publish-MailDnsRecord -Server 223.5.5.5 -Confirm</code>
    /// <para>Asks before each add, change and removal; SPF includes are followed through 223.5.5.5 to count lookups.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailDomainDnsRecord contoso.cn | Publish-MailDnsRecord -IncludeOptional | Wait-MailDnsPropagation | Confirm-MailDomain</code>
    /// <para>Publishes the domain's records (MTA-STS, TLS-RPT and SRV too), waits until its name servers serve them, then asks the mail provider to verify.</para>
    /// </example>
    [Cmdlet(VerbsData.Publish, "MailDnsRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DnsPlanItem))]
    public sealed class PublishMailDnsRecordCommand : DnsHostCmdlet
    {
        /// <summary>The zone the record belongs in (the mail domain).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Domain")]
        public string Zone { get; set; }

        /// <summary>The record's fully qualified name.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; }

        /// <summary>MX, TXT, CNAME, SRV, A, AAAA.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string Type { get; set; }

        /// <summary>The value: target host (MX, CNAME), "weight port target" (SRV), the text (TXT, unquoted).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string Value { get; set; }

        /// <summary>MX preference or SRV priority.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public int? Priority { get; set; }

        /// <summary>TTL in seconds for new records (default 3600).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 604800)]
        public int Ttl { get; set; } = 3600;

        /// <summary>What the record is for (from Get-MailDomainDnsRecord).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public MailDnsPurpose Purpose { get; set; }

        /// <summary>False for recommended records (published only with -IncludeOptional).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool Required { get; set; } = true;

        /// <summary>Publishes recommended records too (MTA-STS, TLS-RPT, client SRV records).</summary>
        [Parameter]
        public SwitchParameter IncludeOptional { get; set; }

        /// <summary>The DNS server(s) asked for the SPF records that include: and redirect= point to (default: the system resolver).</summary>
        [Parameter]
        public string[] Server { get; set; }

        /// <summary>Seconds to wait for each of those DNS answers (default 3).</summary>
        [Parameter]
        [ValidateRange(1, 60)]
        public int TimeoutSec { get; set; } = 3;

        private readonly List<MailDnsRecord> _records = new List<MailDnsRecord>();

        protected override void ProcessItem()
        {
            if (!Required && !IncludeOptional) { WriteVerbose($"Skipped {Name} {Type}: recommended, not required (publish it with -IncludeOptional)."); return; }
            _records.Add(new MailDnsRecord { Zone = Zone, Name = Name, Type = Type?.ToUpperInvariant(), Value = Value, Priority = Priority, Ttl = Ttl, Purpose = Purpose, Required = Required });
        }

        private bool WhatIfMode
        {
            get
            {
                if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s) return s.IsPresent;
                var pref = GetVariableValue("WhatIfPreference");
                return pref is SwitchParameter sp ? sp.IsPresent : pref is bool b && b;
            }
        }

        protected override void EndItems()
        {
            var whatIf = WhatIfMode;
            var counter = new SpfLookupCounter(new MailAdmin.Dns.CachingResolver(CreateResolver(Server, TimeoutSec)));
            var options = new DnsPlanOptions
            {
                EffectiveTtl = Host.EffectiveTtl,
                CountSpfLookups = (name, spf) => Await(counter.CountAsync(name, spf, StopToken)),
            };
            foreach (var zone in _records.GroupBy(r => r.Zone.Trim().TrimEnd('.').ToLowerInvariant()))
            {
                IReadOnlyList<DnsHostRecord> current = null;
                List<DnsPlanItem> plan = null;
                if (!TryRun(zone.Key, () => current = Await(Host.GetRecordsAsync(zone.Key, StopToken)))) continue;
                if (!TryRun(zone.Key, () => plan = DnsPublishPlanner.Plan(zone.Key, zone, current, Host.Name, options))) continue;
                if (whatIf)
                {
                    foreach (var item in plan)
                    {
                        if (IsChange(item)) ShouldProcess(Describe(item), Verb(item));
                        WriteObject(item);
                    }
                    continue;
                }
                foreach (var item in plan.Where(p => p.Action == DnsChangeAction.Refused)) WriteMailError(Refusal(item), item);
                var accepted = DnsPublishPlanner.Accept(plan, p => ShouldProcess(Describe(p), Verb(p)));
                if (accepted.Count > 0 && !TryRun(zone.Key, () => Await(Host.ApplyAsync(zone.Key, current, accepted, StopToken)))) continue;
                foreach (var item in plan)
                {
                    var heldBack = item.Status == "Skipped" && item.Action == DnsChangeAction.Remove
                        && item.Reason != null && item.Reason.StartsWith("kept", StringComparison.Ordinal);
                    if (item.Status == "Failed")
                    {
                        var error = item.Error
                            ?? new MailAdminException(MailErrorKind.InvalidOperation, "DnsRecordFailed", $"{Describe(item)} was not applied.", item);
                        WriteMailError(error, item);
                    }
                    else if (heldBack) WriteWarning($"{Describe(item)} {item.Reason}; run the command again once it is.");
                    else if (item.Status == "Applied" || item.Status == "Unchanged") WriteObject(item);
                }
                var applied = plan.Count(p => p.Status == "Applied");
                var removed = plan.Count(p => p.Status == "Applied" && p.Action == DnsChangeAction.Remove);
                var unchanged = plan.Count(p => p.Status == "Unchanged");
                var refused = plan.Count(p => p.Action == DnsChangeAction.Refused);
                WriteVerbose($"{zone.Key}: {applied} applied ({removed} removed), {unchanged} unchanged, {refused} refused; "
                    + $"{Host.Requests} API requests so far on {HostConnection}.");
            }
        }

        private static bool IsChange(DnsPlanItem p)
            => p.Action == DnsChangeAction.Add || p.Action == DnsChangeAction.Update || p.Action == DnsChangeAction.Remove;

        private static string Verb(DnsPlanItem p)
            => p.Action == DnsChangeAction.Add ? "Add DNS record" : p.Action == DnsChangeAction.Remove ? "Remove DNS record" : "Update DNS record";

        private static string Describe(DnsPlanItem p) => $"{p.Name} {p.Type} {(p.Priority.HasValue ? p.Priority + " " : "")}{p.Value}";

        private static MailAdminException Refusal(DnsPlanItem item)
        {
            MailErrorKind kind;
            switch (item.ErrorId)
            {
                case "DnsCnameConflict": case "DuplicateSpfRecord": case "DuplicateDmarcRecord": case "DuplicateDnsRecord": kind = MailErrorKind.ResourceExists; break;
                case "SpfLookupLimit": kind = MailErrorKind.LimitsExceeded; break;
                case "DnsRecordOutsideZone": kind = MailErrorKind.InvalidArgument; break;
                default: kind = MailErrorKind.InvalidOperation; break;
            }
            return new MailAdminException(kind, item.ErrorId ?? "DnsRecordRefused", item.Reason, item);
        }
    }

    /// <summary>Waits until a zone's name servers (and any resolvers named) serve the published records.</summary>
    /// <remarks>
    /// Takes records from Publish-MailDnsRecord (or Get-MailDomainDnsRecord), finds each zone's authoritative name servers from
    /// its NS records (asked through -Server, default the system resolver) unless -NameServer names them, and asks every
    /// server directly, in rounds every -IntervalSec, until each one serves every record or -WaitSec passes. -Resolver adds
    /// public resolvers to ask as well. Shows a progress bar. For each zone it writes one result (Domain, Propagated, Servers,
    /// Missing, Elapsed) whose Checks hold one row per record and server (Seen, Answer, SeenAt); a row whose Action is Remove
    /// (a record Publish-MailDnsRecord removed) is awaited until the servers answer without it. The result pipes into
    /// Confirm-MailDomain by its Domain property. A zone not seen everywhere in time is an OperationTimeout error
    /// (DnsPropagationTimeout) with the result as its target, and is not passed on.
    /// </remarks>
    /// <example>
    /// <code>Get-MailDomainDnsRecord contoso.cn | Publish-MailDnsRecord | Wait-MailDnsPropagation -Resolver 223.5.5.5, 119.29.29.29 | Confirm-MailDomain</code>
    /// <para>Publishes, waits until contoso.cn's name servers and two public resolvers answer with the new records, then verifies the domain.</para>
    /// </example>
    /// <example>
    /// <code>$r = Get-MailDomainDnsRecord contoso.com | Wait-MailDnsPropagation -WaitSec 60 -ErrorAction SilentlyContinue -ErrorVariable late
    /// $late.TargetObject.Checks | Where-Object { -not $_.Seen } | Format-Table Name, Type, Server, Answer</code>
    /// <para>Waits a minute at most and lists which server still lacks which record.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Wait, "MailDnsPropagation")]
    [OutputType(typeof(MailDnsPropagationResult))]
    public sealed class WaitMailDnsPropagationCommand : MailAdminCmdlet
    {
        /// <summary>The zone of the record.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Domain")]
        public string Zone { get; set; }

        /// <summary>The record's fully qualified name.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; }

        /// <summary>TXT, MX, CNAME, SRV, A or AAAA.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string Type { get; set; }

        /// <summary>The value expected (as Publish-MailDnsRecord writes it).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string Value { get; set; }

        /// <summary>MX preference or SRV priority.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public int? Priority { get; set; }

        /// <summary>Records marked not Required (from Get-MailDomainDnsRecord) are awaited only with -IncludeOptional.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool Required { get; set; } = true;

        /// <summary>What Publish-MailDnsRecord did: a record it removed (Remove) is awaited until the servers no longer serve it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Action { get; set; }

        /// <summary>Awaits recommended records too.</summary>
        [Parameter]
        public SwitchParameter IncludeOptional { get; set; }

        /// <summary>The authoritative servers to ask (host, host:port); default: the zone's NS records.</summary>
        [Parameter]
        public string[] NameServer { get; set; }

        /// <summary>Resolvers to ask as well (e.g. 223.5.5.5, 119.29.29.29, 8.8.8.8).</summary>
        [Parameter]
        public string[] Resolver { get; set; }

        /// <summary>The DNS server used to find the zone's name servers (default: the system resolver).</summary>
        [Parameter]
        public string[] Server { get; set; }

        /// <summary>How long to wait in all, in seconds (default 900).</summary>
        [Parameter]
        [ValidateRange(0, 86400)]
        public int WaitSec { get; set; } = 900;

        /// <summary>Seconds between rounds (default 10).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int IntervalSec { get; set; } = 10;

        /// <summary>Seconds to wait for each DNS answer (default 3).</summary>
        [Parameter]
        [ValidateRange(1, 60)]
        public int TimeoutSec { get; set; } = 3;

        private readonly List<PropagationRecord> _records = new List<PropagationRecord>();

        protected override void ProcessItem()
        {
            if (!Required && !IncludeOptional) return;
            var absent = string.Equals(Action, nameof(DnsChangeAction.Remove), StringComparison.OrdinalIgnoreCase);
            var zone = Zone.Trim().TrimEnd('.').ToLowerInvariant();
            _records.Add(new PropagationRecord { Zone = zone, Name = Name, Type = Type, Value = Value, Priority = Priority, Absent = absent });
        }

        protected override void EndItems()
        {
            var lookup = CreateResolver(Server, TimeoutSec);
            var watcher = new PropagationWatcher(lookup, TimeSpan.FromSeconds(TimeoutSec));
            IPEndPoint[] named = null, resolvers;
            try
            {
                named = NameServer != null && NameServer.Length > 0 ? MailAdmin.Dns.DnsClientResolver.ParseServers(NameServer) : null;
                resolvers = MailAdmin.Dns.DnsClientResolver.ParseServers(Resolver ?? new string[0]);
            }
            catch (MailAdminException e) { ThrowTerminatingError(ToErrorRecord(e, NameServer)); return; }
            var zones = _records.GroupBy(r => r.Zone).ToList();
            for (var i = 0; i < zones.Count; i++)
            {
                var zone = zones[i];
                TryRun(zone.Key, () =>
                {
                    var servers = named?.ToList() ?? Await(watcher.FindNameServersAsync(zone.Key, StopToken));
                    WriteVerbose($"{zone.Key}: asking {string.Join(", ", servers.Concat(resolvers))} for {zone.Count()} records.");
                    PropagationProgress last = null;
                    var task = watcher.WaitAsync(zone.Key, zone.ToList(), servers, resolvers, TimeSpan.FromSeconds(WaitSec), TimeSpan.FromSeconds(IntervalSec), p => last = p, StopToken);
                    var progress = new ProgressRecord(1, "Waiting for DNS propagation", zone.Key) { PercentComplete = 0 };
                    var result = AwaitPolling(task, () =>
                    {
                        var p = last;
                        if (p == null) return;
                        progress.StatusDescription = $"{zone.Key}: {p.Seen} of {p.Total} record answers seen (round {p.Round}, {p.Elapsed.TotalSeconds:0} s)";
                        progress.PercentComplete = p.Total == 0 ? 100 : 100 * p.Seen / p.Total;
                        WriteProgress(progress);
                    });
                    progress.RecordType = ProgressRecordType.Completed;
                    WriteProgress(progress);
                    if (result.Propagated) WriteObject(result);
                    else
                    {
                        var missing = result.Checks.Where(c => !c.Seen).Select(c => $"{c.Name} {c.Type} at {c.Server}").Take(5);
                        WriteMailError(new MailAdminException(MailErrorKind.OperationTimeout, "DnsPropagationTimeout",
                            $"{zone.Key}: {result.Missing} record answers still missing after {result.Elapsed.TotalSeconds:0} s: {string.Join("; ", missing)}{(result.Missing > 5 ? "; ..." : "")}.", result), result);
                    }
                });
            }
        }
    }
}
