using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Creates an app password: an extra password for one mail client, which can be revoked alone.</summary>
    /// <remarks>
    /// The secret is random (20 characters) and shown once, inside a PSCredential (Credential property); the store keeps only a
    /// hash. Under ForceSecureLogin (Set-MailSecurityPolicy or Set-MailboxSetting) IMAP, POP3 and SMTP accept only app
    /// passwords. The Local provider keeps up to 5 per mailbox.
    /// </remarks>
    /// <example>
    /// <code>$app = New-MailAppPassword li.lei@contoso.com -Name 'Phone'; $app.Credential.GetNetworkCredential().Password</code>
    /// <para>Creates one and reveals it, to type into the phone's mail app.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Department Sales | New-MailAppPassword -Name 'Outlook' | Export-Clixml -Path sales-apps.xml</code>
    /// <para>One for every Sales mailbox, saved for the current user. Export-Clixml encrypts the passwords only on Windows (DPAPI); on
    /// Linux and macOS the file holds them merely encoded, so there keep them in a vault (next example).</para>
    /// </example>
    /// <example>
    /// <code>New-MailAppPassword li.lei@contoso.com -Name 'Phone' | ForEach-Object { Set-Secret -Name "app-$($_.Mailbox)" -Secret $_.Credential -Vault SecretStore }</code>
    /// <para>Keeps the app password in a SecretManagement vault (SecretStore encrypts on every platform).</para>
    /// </example>
    /// <example>
    /// <code>New-MailAppPassword support@contoso.com -Name 'Front desk PC'</code>
    /// <para>WeCom: a client-specific password (客户端专用密码) of a public mailbox, shown this once; at most 10 per mailbox through the API.
    /// Members' mailboxes get theirs in WeCom mail's settings, not through the API.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "MailAppPassword", SupportsShouldProcess = true)]
    [OutputType(typeof(MailAppPassword))]
    public sealed class NewMailAppPasswordCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Identity", "Address")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Mailbox { get; set; }

        /// <summary>What it is for (e.g. 'Phone'); unique in the mailbox.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public string Name { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IAppPasswordStore>("app passwords");
            if (!ShouldProcess(Mailbox, $"Create app password '{Name}'"))
            {
                return;
            }

            var (info, secret) = Await(store.CreateAppPasswordAsync(Mailbox, Name, StopToken));
            var o = PSObject.AsPSObject(info);
            o.Properties.Add(new PSNoteProperty("Credential", new PSCredential(info.Mailbox, ToSecureString(secret))));
            // its own view (MailAdmin.Format.ps1xml) shows the Credential column, which listed app passwords do not have
            o.TypeNames.Insert(0, "MailAdmin.MailAppPasswordCreated");
            WriteObject(o);
        }
    }
}
