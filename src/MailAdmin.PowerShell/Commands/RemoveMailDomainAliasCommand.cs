using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Removes a domain alias.</summary>
    /// <remarks>Mail to user@alias is no longer accepted. Alimail: DELETE /v2/domains/{domain}/aliases/{alias}.</remarks>
    /// <example>
    /// <code>Remove-MailDomainAlias contoso.com -Alias contoso.cn</code>
    /// <para>Stops accepting mail for contoso.cn.</para>
    /// </example>
    /// <example>
    /// <code>(Get-MailDomain contoso.com).Aliases | Remove-MailDomainAlias contoso.com -Confirm:$false</code>
    /// <para>Removes every alias of contoso.com without asking.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "MailDomainAlias", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(MailDomain))]
    public sealed class RemoveMailDomainAliasCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Domain")]
        public string Name { get; set; }

        /// <summary>The alias domain.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        public string Alias { get; set; }

        /// <summary>Writes the domain with its remaining aliases.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IDomainAliasStore>("domain aliases");
            if (!ShouldProcess(Alias, $"Remove alias of mail domain {Name}"))
            {
                return;
            }

            TryRun(Alias, () =>
            {
                var d = Await(store.RemoveDomainAliasAsync(Name, Alias, StopToken));
                if (PassThru)
                {
                    WriteObject(d);
                }
            });
        }
    }
}
