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
            if (!ShouldProcess(Name, "Add mail domain")) return;
            WriteObject(Await(store.AddDomainAsync(Name, MailHost, StopToken)));
        }
    }

    /// <summary>Gets the mail domains of the provider.</summary>
    /// <remarks>Lists domains with their status, mail host and mailbox and group counts. -Name takes wildcards; a name without wildcards that does not exist is an ObjectNotFound error.</remarks>
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
                WriteObject(Await(store.GetDomainAsync(Name, StopToken)));
            else
                WriteCursor(store.ListDomains(Name));
        }
    }

    /// <summary>Removes a mail domain.</summary>
    /// <remarks>Refuses while the domain still has mailboxes or groups, unless -Force, which removes the domain with all its mailboxes, aliases, groups and permissions.
    /// On Local, what the mail server holds for each of those mailboxes goes too (as Remove-Mailbox does): their mail is kept aside
    /// for -RetainMailDays, or deleted with -PurgeMail.</remarks>
    /// <example>
    /// <code>Remove-MailDomain old.example.com</code>
    /// <para>Removes an empty domain (asks for confirmation).</para>
    /// </example>
    /// <example>
    /// <code>Remove-MailDomain old.example.com -Force -Confirm:$false</code>
    /// <para>Removes the domain and everything in it without asking.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "MailDomain", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveMailDomainCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Domain", "DomainName")]
        [ArgumentCompleter(typeof(DomainNameCompleter))]
        public string Name { get; set; }

        /// <summary>Also removes every mailbox, alias and group of the domain.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Days the mail of the domain's mailboxes is kept aside on the server before Sync-MailServerState purges it (Local; default 30).</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int RetainMailDays { get; set; } = MailRemovalOptions.DefaultRetainDays;

        /// <summary>Deletes the mail of the domain's mailboxes on the server at once (Local).</summary>
        [Parameter]
        public SwitchParameter PurgeMail { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IDomainStore>("domains");
            if (!ShouldProcess(Name, Force ? "Remove mail domain with all its mailboxes and groups" : "Remove mail domain")) return;
            if (Provider is IMailServerStateStore server)
                Await(server.RemoveDomainAsync(Name, Force, new MailRemovalOptions { RetainDays = RetainMailDays, Purge = PurgeMail }, StopToken));
            else Await(store.RemoveDomainAsync(Name, Force, StopToken));
        }
    }

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
            foreach (var r in Await(source.GetDnsRecordsAsync(Name, StopToken))) WriteObject(r);
        }
    }
}
