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
    /// <summary>Gets mailboxes; results stream as they are read.</summary>
    /// <remarks>
    /// With no filter, lists every mailbox. -Identity takes an address or alias, or a wildcard pattern; -Domain, -Department,
    /// -Role and -Enabled narrow the list. The list is read a page at a time, so the first mailbox appears at once even in a
    /// very large directory, and memory stays flat.
    /// </remarks>
    /// <example>
    /// <code>Get-Mailbox -Department Sales -Enabled $true</code>
    /// <para>Lists the enabled mailboxes of Sales.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox *@contoso.com | Export-Csv mailboxes.csv -NoTypeInformation</code>
    /// <para>Exports every contoso.com mailbox to CSV.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Shared | Get-MailPermission</code>
    /// <para>Lists the shared mailboxes and who may use them.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "Mailbox", DefaultParameterSetName = "List")]
    [OutputType(typeof(Mailbox))]
    public sealed class GetMailboxCommand : MailAdminConnectedCmdlet
    {
        /// <summary>An address or alias, or a wildcard pattern over addresses.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>Only mailboxes in this domain (wildcards allowed).</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DomainNameCompleter))]
        public string Domain { get; set; }

        /// <summary>Only mailboxes of this department (case-insensitive; wildcards allowed).</summary>
        [Parameter]
        [SupportsWildcards]
        public string Department { get; set; }

        /// <summary>Only mailboxes with this role.</summary>
        [Parameter]
        public MailRole? Role { get; set; }

        /// <summary>Only enabled ($true) or disabled ($false) mailboxes.</summary>
        [Parameter]
        public bool? Enabled { get; set; }

        /// <summary>Only shared mailboxes (the same as -Type Shared).</summary>
        [Parameter]
        public SwitchParameter Shared { get; set; }

        /// <summary>Only mailboxes of this type: User or Shared.</summary>
        [Parameter]
        public MailboxType? Type { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxStore>("mailboxes");
            var type = Shared ? MailboxType.Shared : Type;
            if (type == MailboxType.Shared)
            {
                Require(MailCapability.SharedMailboxes, "shared mailboxes");
            }

            var filtered = Domain != null || Department != null || Role.HasValue || Enabled.HasValue || type.HasValue;
            if (!string.IsNullOrEmpty(Identity) && !WildcardPattern.ContainsWildcardCharacters(Identity) && !filtered)
            {
                WriteObject(Await(store.GetMailboxAsync(Identity, StopToken)));
                return;
            }
            var identity = Identity;
            if (!string.IsNullOrEmpty(identity) && !WildcardPattern.ContainsWildcardCharacters(identity))
            {
                identity = MailNames.NormalizeAddress(identity);
            }

            WriteStream(store.ListMailboxes(new MailboxQuery
            {
                Identity = identity,
                Domain = Domain,
                Department = Department,
                Role = Role,
                Enabled = Enabled,
                Type = type
            }));
        }
    }
}
