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
                    if (name != null && !name.IsMatch(r.Name))
                    {
                        continue;
                    }

                    if (Type != null && Type.Length > 0 && !Type.Any(t => string.Equals(t, r.Type, StringComparison.OrdinalIgnoreCase)))
                    {
                        continue;
                    }

                    WriteObject(r);
                }
            });
        }
    }
}
