using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Adds a mail domain to the provider.</summary>
    /// <remarks>
    /// Binds a domain to the provider. Internationalised names are stored as punycode and shown in Unicode. On Local the first
    /// domain becomes the primary one, the mail host defaults to mail.DOMAIN, and a 2048-bit DKIM key pair is generated and kept;
    /// Get-MailDomainDnsRecord then lists what to publish in DNS. Writes the new domain (as New-Mailbox writes the new
    /// mailbox), so the whole set-up of a domain is one pipeline; -PassThru is kept for older scripts and changes nothing.
    /// </remarks>
    /// <example>
    /// <code>Add-MailDomain contoso.com</code>
    /// <para>Adds contoso.com with mail host mail.contoso.com.</para>
    /// </example>
    /// <example>
    /// <code>Add-MailDomain 例子.测试 -MailHost mx1.example.net | Get-MailDomainDnsRecord</code>
    /// <para>Adds an internationalised domain served by mx1.example.net and shows the records it needs.</para>
    /// </example>
    /// <example>
    /// <code>Add-MailDomain contoso.cn | Get-MailDomainDnsRecord | Publish-MailDnsRecord | Wait-MailDnsPropagation | Confirm-MailDomain</code>
    /// <para>Adds the domain, publishes its records at the DNS host (Connect-MailDnsHost), waits until its name servers serve them, and verifies it.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Add, "MailDomain", SupportsShouldProcess = true)]
    [OutputType(typeof(MailDomain))]
    public sealed class AddMailDomainCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain name (Unicode or punycode).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Domain", "DomainName")]
        public string Name { get; set; }

        /// <summary>The host that receives the domain's mail (its MX target); default mail.DOMAIN.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string MailHost { get; set; }

        /// <summary>Kept for older scripts: the new domain is always written.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IDomainStore>("domains");
            if (!ShouldProcess(Name, "Add mail domain"))
            {
                return;
            }

            WriteObject(Await(store.AddDomainAsync(Name, MailHost, StopToken)));
        }
    }
}
