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
    /// <para>Publishes the domain's records (MTA-STS, TLS-RPT and SRV too), waits until its name servers serve them, then asks the mail provider to
    /// verify.</para>
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
            if (!Required && !IncludeOptional)
            {
                WriteVerbose($"Skipped {Name} {Type}: recommended, not required (publish it with -IncludeOptional).");
                return;
            }
            _records.Add(
                new MailDnsRecord
                {
                    Zone = Zone, Name = Name, Type = Type?.ToUpperInvariant(), Value = Value,
                    Priority = Priority, Ttl = Ttl, Purpose = Purpose, Required = Required,
                });
        }

        private bool WhatIfMode
        {
            get
            {
                if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s)
                {
                    return s.IsPresent;
                }

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
                if (!TryRun(zone.Key, () => current = Await(Host.GetRecordsAsync(zone.Key, StopToken))))
                {
                    continue;
                }

                if (!TryRun(zone.Key, () => plan = DnsPublishPlanner.Plan(zone.Key, zone, current, Host.Name, options)))
                {
                    continue;
                }

                if (whatIf)
                {
                    foreach (var item in plan)
                    {
                        if (IsChange(item))
                        {
                            ShouldProcess(Describe(item), Verb(item));
                        }

                        WriteObject(item);
                    }
                    continue;
                }
                foreach (var item in plan.Where(p => p.Action == DnsChangeAction.Refused))
                {
                    WriteMailError(Refusal(item), item);
                }

                var accepted = DnsPublishPlanner.Accept(plan, p => ShouldProcess(Describe(p), Verb(p)));
                if (accepted.Count > 0 && !TryRun(zone.Key, () => Await(Host.ApplyAsync(zone.Key, current, accepted, StopToken))))
                {
                    continue;
                }

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
                case "DnsCnameConflict": case "DuplicateSpfRecord": case "DuplicateDmarcRecord": case "DuplicateDnsRecord":
                    kind = MailErrorKind.ResourceExists; break;
                case "SpfLookupLimit": kind = MailErrorKind.LimitsExceeded; break;
                case "DnsRecordOutsideZone": kind = MailErrorKind.InvalidArgument; break;
                default: kind = MailErrorKind.InvalidOperation; break;
            }
            return new MailAdminException(kind, item.ErrorId ?? "DnsRecordRefused", item.Reason, item);
        }
    }
}
