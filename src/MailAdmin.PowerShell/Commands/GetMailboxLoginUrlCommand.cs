using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Gets a one-time sign-in link for a mailbox (single sign-on).</summary>
    /// <remarks>
    /// The link signs the user in to webmail without a password; it works once and expires after a few minutes (Exmail: 300 s).
    /// It is a credential: hand it to the user, do not store or log it. Exmail needs -SsoSecret on Connect-MailProvider, and
    /// the user must have signed in with the password once before.
    /// </remarks>
    /// <example>
    /// <code>(Get-MailboxLoginUrl li.lei@contoso.com).Url | Set-Clipboard</code>
    /// <para>Copies a sign-in link for one user.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Department Sales | Get-MailboxLoginUrl | Select-Object Identity, ExpiresAt</code>
    /// <para>Creates links for a department and shows when they expire.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailboxLoginUrl")]
    [OutputType(typeof(MailboxLoginUrl))]
    public sealed class GetMailboxLoginUrlCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        public string Identity { get; set; }

        protected override void ProcessItem()
        {
            var source = Require<IMailboxLoginUrlSource>("sign-in links");
            TryRun(Identity, () => WriteObject(Await(source.GetLoginUrlAsync(Identity, StopToken))));
        }
    }
}
