using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Lists the providers MailAdmin knows and what each supports.</summary>
    /// <remarks>Each provider with its capabilities and the ones it lacks; cmdlets that need a missing capability fail with one clear NotImplemented
    /// error.</remarks>
    /// <example>
    /// <code>Get-MailProvider</code>
    /// <para>Lists the providers.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailProvider Local | Select-Object -ExpandProperty Capabilities</code>
    /// <para>Shows what the Local provider can do.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailProvider")]
    [OutputType(typeof(MailProviderInfo))]
    public sealed class GetMailProviderCommand : MailAdminCmdlet
    {
        /// <summary>A provider name; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        public string Name { get; set; }

        protected override void ProcessItem()
        {
            var pattern = new WildcardPattern(string.IsNullOrEmpty(Name) ? "*" : Name, WildcardOptions.IgnoreCase);
            var found = false;
            foreach (var d in MailSession.Catalog.All.Where(d => pattern.IsMatch(d.Name)))
            {
                found = true;
                WriteObject(d.ToInfo(string.Equals(d.Name, MailSession.Catalog.DefaultProvider, StringComparison.OrdinalIgnoreCase)));
            }
            if (!found && !WildcardPattern.ContainsWildcardCharacters(Name ?? "*"))
            {
                WriteMailError(MailAdminException.NotFound("MailProviderNotFound", $"There is no mail provider named '{Name}'.", Name), Name);
            }
        }
    }
}
