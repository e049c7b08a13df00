using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Asks the provider to check a domain's ownership now and shows the result.</summary>
    /// <remarks>
    /// After publishing the verification record the provider asks for (Get-MailDomainDnsRecord), this makes the provider
    /// look at DNS now instead of on its own schedule. The domain comes back with Status (Verified or Pending) and, where
    /// the provider says, IsMxVerified. Alimail: POST /v2/domains/{domain}/verify. Local: the server is the domain's own, so
    /// there is no one to prove ownership to; the domain is Verified from the moment it is added and comes back as it is.
    /// Takes the domain by its Name or Domain property, so it ends the pipeline Add-MailDomain | Get-MailDomainDnsRecord |
    /// Publish-MailDnsRecord | Wait-MailDnsPropagation | Confirm-MailDomain.
    /// </remarks>
    /// <example>
    /// <code>Confirm-MailDomain contoso.com</code>
    /// <para>Checks contoso.com's ownership now.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailDomain | Where-Object Status -eq Pending | Confirm-MailDomain</code>
    /// <para>Checks every domain that is not verified yet.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Confirm, "MailDomain", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(MailDomain))]
    public sealed class ConfirmMailDomainCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Domain", "DomainName")]
        public string Name { get; set; }

        protected override void ProcessItem()
        {
            var verifier = Require<IDomainVerifier>("domain verification");
            if (!ShouldProcess(Name, "Verify mail domain"))
            {
                return;
            }

            TryRun(Name, () => WriteObject(Await(verifier.VerifyDomainAsync(Name, StopToken))));
        }
    }
}
