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
            if (!Required && !IncludeOptional)
            {
                return;
            }

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
                named = NameServer != null && NameServer.Length > 0 ? MailAdmin.Dns.DnsResolver.ParseServers(NameServer) : null;
                resolvers = MailAdmin.Dns.DnsResolver.ParseServers(Resolver ?? new string[0]);
            }
            catch (MailAdminException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, NameServer));
                return;
            }
            var zones = _records.GroupBy(r => r.Zone).ToList();
            for (var i = 0; i < zones.Count; i++)
            {
                var zone = zones[i];
                TryRun(zone.Key, () =>
                {
                    var servers = named?.ToList() ?? Await(watcher.FindNameServersAsync(zone.Key, StopToken));
                    WriteVerbose($"{zone.Key}: asking {string.Join(", ", servers.Concat(resolvers))} for {zone.Count()} records.");
                    PropagationProgress last = null;
                    var task = watcher.WaitAsync(
                        zone.Key, zone.ToList(), servers, resolvers, TimeSpan.FromSeconds(WaitSec), TimeSpan.FromSeconds(IntervalSec), p => last = p,
                        StopToken);
                    var progress = new ProgressRecord(1, "Waiting for DNS propagation", zone.Key) { PercentComplete = 0 };
                    var result = AwaitPolling(task, () =>
                    {
                        var p = last;
                        if (p == null)
                        {
                            return;
                        }

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
                            $"{zone.Key}: {result.Missing} record answers still missing after {result.Elapsed.TotalSeconds:0} s: "
                                + $"{string.Join("; ", missing)}{(result.Missing > 5 ? "; ..." : "")}.", result), result);
                    }
                });
            }
        }
    }
}
