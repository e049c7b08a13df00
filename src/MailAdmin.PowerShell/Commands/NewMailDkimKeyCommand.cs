using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Generates a domain's next DKIM key, to publish before it signs.</summary>
    /// <remarks>
    /// Creates a 2048-bit RSA key under a new selector (default ma + the UTC time) as the domain's Next key, replacing a next
    /// key that never signed. Get-MailDomainDnsRecord publishes its TXT record beside the active one at once; mail keeps being
    /// signed with the active key until Switch-MailDkimKey. When Export-MailServerConfig -Rspamd wrote the server's
    /// configuration, the key file is written there too (0600, owned by rspamd's user), ready for the switch.
    /// </remarks>
    /// <example>
    /// <code>New-MailDkimKey -Domain contoso.com; Get-MailDomainDnsRecord contoso.com | Where-Object Purpose -eq Dkim</code>
    /// <para>Creates the next key and shows both DKIM records to publish.</para>
    /// </example>
    /// <example>
    /// <code>New-MailDkimKey -Domain contoso.com -Selector s2027</code>
    /// <para>Creates the next key under the selector s2027.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "MailDkimKey", SupportsShouldProcess = true)]
    [OutputType(typeof(MailDkimKey))]
    public sealed class NewMailDkimKeyCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "DomainName")]
        [ArgumentCompleter(typeof(DomainNameCompleter))]
        public string Domain { get; set; }

        /// <summary>The new key's selector (a DNS label; default ma + yyyyMMddHHmmss UTC).</summary>
        [Parameter]
        public string Selector { get; set; }

        protected override void ProcessItem()
        {
            var keys = Require<IMailDkimKeyManager>("DKIM key rotation");
            if (!ShouldProcess(Domain, "Generate the next DKIM key" + (Selector != null ? " (selector " + Selector + ")" : "")))
            {
                return;
            }

            WriteObject(keys.NewDkimKey(Domain, Selector));
        }
    }
}
