using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Makes a domain's next DKIM key the one that signs.</summary>
    /// <remarks>
    /// Checks first that the next key's TXT record is published with the right key (asking -DnsServer, or the system resolver),
    /// so that no mail is signed with a key receivers cannot find; -SkipDnsCheck switches without looking. The key that signed
    /// until now becomes the Previous key: keep its record published until mail signed with it has been delivered. rspamd
    /// (Export-MailServerConfig -Rspamd) re-reads its selector map within seconds and signs with the new key.
    /// </remarks>
    /// <example>
    /// <code>Switch-MailDkimKey -Domain contoso.com</code>
    /// <para>Signs contoso.com's mail with its next key once DNS shows the key.</para>
    /// </example>
    /// <example>
    /// <code>Switch-MailDkimKey -Domain contoso.com -DnsServer 127.0.0.1:5353 -WhatIf</code>
    /// <para>Shows what would change, checking the record on a given name server.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Switch, "MailDkimKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(MailDkimKey))]
    public sealed class SwitchMailDkimKeyCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "DomainName")]
        [ArgumentCompleter(typeof(DomainNameCompleter))]
        public string Domain { get; set; }

        /// <summary>DNS servers to check the next key's record on (host, host:port); default: the system resolver.</summary>
        [Parameter]
        public string[] DnsServer { get; set; }

        /// <summary>Switch without checking that the next key's record is published.</summary>
        [Parameter]
        public SwitchParameter SkipDnsCheck { get; set; }

        protected override void ProcessItem()
        {
            var keys = Require<IMailDkimKeyManager>("DKIM key rotation");
            var next = keys.GetDkimKeys(Domain).FirstOrDefault(k => k.Status == MailDkimKeyStatus.Next);
            if (next == null)
                throw new MailAdminException(MailErrorKind.InvalidOperation, "NoNextDkimKey",
                    $"{Domain} has no next DKIM key. Create one with New-MailDkimKey -Domain {Domain}, publish its record (Get-MailDomainDnsRecord), then "
                        + "switch.", Domain);
            if (!SkipDnsCheck)
            {
                var resolver = CreateResolver(DnsServer, 3);
                var answer = Await(resolver.TxtAsync(next.DnsName, StopToken));
                var wanted = Compact(next.DnsValue);
                if (!answer.Records.Any(r => Compact(r).Contains(wanted.Substring(wanted.IndexOf("p=", System.StringComparison.Ordinal)))))
                    throw new MailAdminException(MailErrorKind.InvalidOperation, "DkimKeyNotPublished",
                        $"The next DKIM key of {Domain} is not published yet: {next.DnsName} TXT "
                            + $"{(answer.IsError ? "could not be read (" + answer.Status + ")" : "does not hold the key")}. "
                        + "Publish the record Get-MailDomainDnsRecord shows, wait for it to be visible, then switch (or use -SkipDnsCheck).", next.DnsName);
            }
            if (!ShouldProcess(Domain, $"Sign with the DKIM key '{next.Selector}'"))
            {
                return;
            }

            WriteObject(keys.SwitchDkimKey(Domain));
        }

        private static string Compact(string s) => new string((s ?? "").Where(ch => !char.IsWhiteSpace(ch) && ch != '"').ToArray());
    }
}
