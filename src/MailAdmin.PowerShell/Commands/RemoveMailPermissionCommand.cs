using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Takes a right on a mailbox away.</summary>
    /// <remarks>Removing a right that is not held is an ObjectNotFound error. Pipe Get-MailPermission rows in to remove them.</remarks>
    /// <example>
    /// <code>Remove-MailPermission boss@contoso.com -Trustee assistant@contoso.com -AccessRights SendAs</code>
    /// <para>Stops the assistant sending as the boss.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailPermission -Trustee leaver@contoso.com | Remove-MailPermission -Confirm:$false</code>
    /// <para>Removes every right a leaver held.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "MailPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveMailPermissionCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox the right is on.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress", "Mailbox")]
        public string Identity { get; set; }

        /// <summary>The mailbox that holds the right.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("User")]
        [AllowNull, AllowEmptyString]
        public string Trustee { get; set; }

        /// <summary>The rights to take away.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Right", "AccessRight")]
        [AllowNull, AllowEmptyCollection]
        public MailAccessRight[] AccessRights { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IPermissionStore>("permissions");
            if (string.IsNullOrEmpty(Trustee) || AccessRights == null || AccessRights.Length == 0)
            {
                // a Get-MailPermission row that only shows Role and SendScope: nothing to remove
                if (!MyInvocation.ExpectingInput)
                {
                    WriteMailError(
                        MailAdmin.Errors.MailAdminException.Invalid("TrusteeRequired", "Name the -Trustee and the -AccessRights to remove.", Identity),
                        Identity);
                }
                else
                {
                    WriteVerbose($"Nothing to remove for {Identity}: the row names no trustee right.");
                }

                return;
            }
            foreach (var right in AccessRights)
            {
                if (!ShouldProcess(Identity, $"Remove {right} of {Trustee}"))
                {
                    continue;
                }

                if (!TryRun(Trustee, () => Await(store.RevokeAsync(Identity, Trustee, right, StopToken))))
                {
                    continue;
                }
            }
        }
    }
}
