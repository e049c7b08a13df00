using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Sets a new password on a mailbox, or generates a strong one.</summary>
    /// <remarks>
    /// With -Password, sets it (checked against the store's password policy). Without, generates a 20-character password and
    /// writes it once as a PSCredential (user name: the address); it is not stored anywhere in clear, so keep it then.
    /// </remarks>
    /// <example>
    /// <code>$cred = Reset-MailboxPassword li.lei@contoso.com; $cred.GetNetworkCredential().Password</code>
    /// <para>Generates a new password and shows it once to hand to the user.</para>
    /// </example>
    /// <example>
    /// <code>Reset-MailboxPassword li.lei@contoso.com -Password (Read-Host -AsSecureString 'New password')</code>
    /// <para>Sets a password typed at the prompt.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Reset, "MailboxPassword", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSCredential))]
    public sealed class ResetMailboxPasswordCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox (address or alias).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>The new password; omit it to generate one.</summary>
        [Parameter(Position = 1)]
        [SecureStringTransformation]
        public SecureString Password { get; set; }

        /// <summary>The user must change the password at the next sign-in (Exmail; providers that cannot enforce it refuse).</summary>
        [Parameter]
        public SwitchParameter ForcePasswordChange { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxPasswordStore>("password changes");
            if (!ShouldProcess(Identity, "Reset mailbox password"))
            {
                return;
            }

            var secret = Password != null ? ToSecret(Password) : Passwords.Generate();
            Await(store.SetPasswordAsync(Identity, secret, ForcePasswordChange, StopToken));
            if (Password != null)
            {
                return;
            }
            // The credential names the mailbox's primary address, also when an alias was given.
            var user = Provider is IMailboxStore mailboxes ? Await(mailboxes.GetMailboxAsync(Identity, StopToken)).Address
                : MailNames.NormalizeAddress(Identity);
            WriteObject(new PSCredential(user, ToSecureString(secret)));
        }
    }
}
