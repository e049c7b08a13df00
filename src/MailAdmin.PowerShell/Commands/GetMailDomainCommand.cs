using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Gets the mail domains of the provider.</summary>
    /// <remarks>Lists domains with their status, mail host and mailbox and group counts. -Name takes wildcards; a name without wildcards that does not exist is
    /// an ObjectNotFound error.</remarks>
    /// <example>
    /// <code>Get-MailDomain</code>
    /// <para>Lists every domain.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailDomain *.cn | Get-MailDomainDnsRecord</code>
    /// <para>Shows the DNS records every .cn domain needs.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailDomain")]
    [OutputType(typeof(MailDomain))]
    public sealed class GetMailDomainCommand : MailAdminConnectedCmdlet
    {
        /// <summary>A domain name or wildcard pattern.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Domain", "DomainName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DomainNameCompleter))]
        public string Name { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IDomainStore>("domains");
            if (!string.IsNullOrEmpty(Name) && !WildcardPattern.ContainsWildcardCharacters(Name))
            {
                WriteObject(Await(store.GetDomainAsync(Name, StopToken)));
            }
            else
            {
                WriteStream(store.ListDomains(Name));
            }
        }
    }
}
