using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Gives a right on a mailbox, or sets a mailbox's role or send scope.</summary>
    /// <remarks>
    /// Three uses (parameter sets): -Trustee with -AccessRights gives another mailbox ReadOnly, FullAccess, SendAs or
    /// SendOnBehalf on this one; -Role makes the mailbox a User or an Admin; -SendScope limits where it may send to:
    /// None, Internal (only this provider's domains) or Any. Giving a right that is already held changes nothing.
    /// </remarks>
    /// <example>
    /// <code>Set-MailPermission boss@contoso.com -Trustee assistant@contoso.com -AccessRights FullAccess, SendAs</code>
    /// <para>Lets the assistant read and manage the boss's mailbox and send as the boss.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Department Interns | Set-MailPermission -SendScope Internal</code>
    /// <para>Lets interns send only inside the organisation.</para>
    /// </example>
    /// <example>
    /// <code>Set-MailPermission it.lead@contoso.com -Role Admin</code>
    /// <para>Makes a mailbox an administrator.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "MailPermission", SupportsShouldProcess = true, DefaultParameterSetName = "Trustee")]
    [OutputType(typeof(MailPermission))]
    public sealed class SetMailPermissionCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox the right is on.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress", "Mailbox")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>The mailbox that gets the right.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Trustee", ValueFromPipelineByPropertyName = true)]
        [Alias("User")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Trustee { get; set; }

        /// <summary>The rights: ReadOnly, FullAccess, SendAs, SendOnBehalf.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Trustee", ValueFromPipelineByPropertyName = true)]
        [Alias("Right", "AccessRight")]
        public MailAccessRight[] AccessRights { get; set; }

        /// <summary>The mailbox's role: User or Admin.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Role")]
        public MailRole Role { get; set; }

        /// <summary>Where the mailbox may send: None, Internal or Any.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "SendScope")]
        public MailSendScope SendScope { get; set; }

        /// <summary>Writes the mailbox's permission rows afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IPermissionStore>("permissions");
            switch (ParameterSetName)
            {
                case "Role":
                    if (!ShouldProcess(Identity, $"Set role {Role}"))
                    {
                        return;
                    }

                    Await(store.SetRoleAsync(Identity, Role, StopToken));
                    break;
                case "SendScope":
                    if (!ShouldProcess(Identity, $"Set send scope {SendScope}"))
                    {
                        return;
                    }

                    Await(store.SetSendScopeAsync(Identity, SendScope, StopToken));
                    break;
                default:
                    foreach (var right in AccessRights)
                    {
                        if (!ShouldProcess(Identity, $"Give {Trustee} {right}"))
                        {
                            continue;
                        }

                        Await(store.GrantAsync(Identity, Trustee, right, StopToken));
                    }
                    break;
            }
            if (PassThru)
            {
                WriteStream(store.ListPermissions(Identity, null));
            }
        }
    }
}
