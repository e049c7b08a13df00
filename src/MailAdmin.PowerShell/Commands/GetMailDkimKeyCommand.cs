using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Gets a self-hosted domain's DKIM keys: the one that signs, the next and the previous one.</summary>
    /// <remarks>
    /// Shows each key's selector, status (Active signs now; Next is published and signs after Switch-MailDkimKey; Previous
    /// signed until the last switch and stays published) and the TXT record to publish. Private keys are never shown.
    /// </remarks>
    /// <example>
    /// <code>Get-MailDkimKey contoso.com</code>
    /// <para>Lists contoso.com's DKIM keys.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailDomain | Get-MailDkimKey | Where-Object Status -eq Next</code>
    /// <para>Shows every domain whose next key is waiting for a switch.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailDkimKey")]
    [OutputType(typeof(MailDkimKey))]
    public sealed class GetMailDkimKeyCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "DomainName")]
        [ArgumentCompleter(typeof(DomainNameCompleter))]
        public string Domain { get; set; }

        protected override void ProcessItem()
        {
            foreach (var k in Require<IMailDkimKeyManager>("DKIM key rotation").GetDkimKeys(Domain))
            {
                WriteObject(k);
            }
        }
    }
}
