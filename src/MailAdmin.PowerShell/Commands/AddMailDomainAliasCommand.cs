using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Adds a domain alias: another name that receives the same mail as the domain.</summary>
    /// <remarks>Mail to user@alias goes to user@domain. The alias needs its own DNS (MX, SPF) and verification. Alimail: POST
    /// /v2/domains/{domain}/aliases.</remarks>
    /// <example>
    /// <code>Add-MailDomainAlias contoso.com -Alias contoso.cn</code>
    /// <para>Makes contoso.cn an alias of contoso.com.</para>
    /// </example>
    /// <example>
    /// <code>'contoso.cn', 'contoso.net' | Add-MailDomainAlias contoso.com -PassThru | Select-Object Name, Aliases</code>
    /// <para>Adds two aliases and shows the result.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Add, "MailDomainAlias", SupportsShouldProcess = true)]
    [OutputType(typeof(MailDomain))]
    public sealed class AddMailDomainAliasCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Domain")]
        public string Name { get; set; }

        /// <summary>The alias domain.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        public string Alias { get; set; }

        /// <summary>Writes the domain with its aliases.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IDomainAliasStore>("domain aliases");
            if (!ShouldProcess(Alias, $"Add alias of mail domain {Name}"))
            {
                return;
            }

            TryRun(Alias, () =>
            {
                var d = Await(store.AddDomainAliasAsync(Name, Alias, StopToken));
                if (PassThru)
                {
                    WriteObject(d);
                }
            });
        }
    }
}
