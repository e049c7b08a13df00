using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Gets the DNS records a domain needs for the provider.</summary>
    /// <remarks>
    /// Lists what to publish at the domain's DNS host as MailDnsRecord objects (Name, Type, Value, Priority, Purpose, Required).
    /// For Local: MX to the mail host, SPF, the DKIM public key of the key pair the provider keeps, DMARC, and the recommended
    /// MTA-STS, TLS-RPT and RFC 6186 SRV records.
    /// </remarks>
    /// <example>
    /// <code>Get-MailDomainDnsRecord contoso.com</code>
    /// <para>Shows the records for contoso.com.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailDomain | Get-MailDomainDnsRecord | Where-Object Required | Export-Csv dns.csv</code>
    /// <para>Writes every required record of every domain to a CSV for the DNS team.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailDomainDnsRecord")]
    [OutputType(typeof(MailDnsRecord))]
    public sealed class GetMailDomainDnsRecordCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Domain", "DomainName")]
        [ArgumentCompleter(typeof(DomainNameCompleter))]
        public string Name { get; set; }

        protected override void ProcessItem()
        {
            var source = Require<IDomainDnsRecordSource>("DNS record suggestions");
            foreach (var r in Await(source.GetDnsRecordsAsync(Name, StopToken)))
            {
                WriteObject(r);
            }
        }
    }
}
