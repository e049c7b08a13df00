using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Dns;
using MailAdmin.Errors;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Looks IP addresses and domains up in DNS blocklists (DNSBL/URIBL).</summary>
    /// <remarks>
    /// IP addresses are looked up in IP zones (default zen.spamhaus.org, bl.spamcop.net, b.barracudacentral.org,
    /// psbl.surriel.com) as reversed octets or, for IPv6, reversed nibbles (RFC 5782); domains in domain zones (default
    /// dbl.spamhaus.org, multi.uribl.com). An answer counts as a listing only when it is in 127.0.0.0/8 and is not one of
    /// the zone's documented error codes (Spamhaus 127.255.255.252/254/255 and 127.0.1.255, URIBL 127.0.0.1): those are
    /// errors about the query or the resolver, and say nothing about the target. A listing comes with what its code means
    /// and the zone's TXT reason. Spamhaus refuses queries through public resolvers: use your own with -Server.
    /// </remarks>
    /// <example>
    /// <code>Test-MailBlocklist 192.0.2.25</code>
    /// <para>Checks one IP address in the default IP zones.</para>
    /// </example>
    /// <example>
    /// <code>Test-MailBlocklist contoso.com, 198.51.100.7 -Server 10.0.0.53 | Where-Object Listed</code>
    /// <para>Checks a domain and an address through the company resolver and shows only listings.</para>
    /// </example>
    /// <example>
    /// <code>Test-MailBlocklist 192.0.2.25 -Zone bl.example.net -DomainZone dbl.example.net</code>
    /// <para>Uses other zones instead of the defaults.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "MailBlocklist")]
    [OutputType(typeof(MailBlocklistResult))]
    public sealed class TestMailBlocklistCommand : DnsCmdlet
    {
        /// <summary>IP addresses and/or domains.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("IPAddress", "Address", "Domain", "Name")]
        public string[] Target { get; set; }

        /// <summary>IP blocklist zones to use instead of the defaults.</summary>
        [Parameter]
        public string[] Zone { get; set; }

        /// <summary>Domain blocklist zones to use instead of the defaults.</summary>
        [Parameter]
        public string[] DomainZone { get; set; }



        private BlocklistChecker _checker;
        private BlocklistZone[] _ipZones, _domainZones;

        protected override void BeginProcessing()
        {
            _checker = new BlocklistChecker(NewResolver(Server, out _));
            _ipZones = Zone != null ? Zone.Select(z => new BlocklistZone(z, false)).ToArray() : BlocklistZone.DefaultIpZones;
            _domainZones = DomainZone != null ? DomainZone.Select(z => new BlocklistZone(z, true)).ToArray() : BlocklistZone.DefaultDomainZones;
        }

        protected override void ProcessItem()
        {
            foreach (var t in Target)
            {
                if (string.IsNullOrWhiteSpace(t))
                {
                    continue;
                }

                var value = t.Trim();
                var zones = IPAddress.TryParse(value, out _) ? _ipZones : _domainZones;
                var token = StopToken;
                List<Task<MailBlocklistResult>> tasks;
                try
                {
                    tasks = zones.Select(z => _checker.CheckAsync(value, z, token)).ToList();
                }
                catch (MailAdminException e)
                {
                    WriteMailError(e, t);
                    continue;
                }
                foreach (var task in tasks)
                {
                    try
                    {
                        WriteObject(Await(task));
                    }
                    catch (MailAdminException e)
                    {
                        WriteMailError(e, t);
                    }
                }
            }
        }
    }
}
