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
    /// <summary>Changes a mailbox's details and aliases.</summary>
    /// <remarks>Only the parameters given change. -AddAlias and -RemoveAlias manage extra addresses that deliver to the mailbox. Binds by property name, so an
    /// edited CSV can be piped back in.</remarks>
    /// <example>
    /// <code>Set-Mailbox li.lei@contoso.com -Department Marketing -JobTitle 'Team lead'</code>
    /// <para>Moves a mailbox to Marketing with a new title.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Department Sales | Set-Mailbox -QuotaMB 10240</code>
    /// <para>Gives every Sales mailbox a 10 GB limit.</para>
    /// </example>
    /// <example>
    /// <code>Set-Mailbox li.lei@contoso.com -AddAlias lilei@contoso.com -PassThru</code>
    /// <para>Adds an alias and shows the mailbox.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv sales.csv | Set-Mailbox -AdvancedFeatures $true</code>
    /// <para>WeCom: gives each mailbox of the file a paid advanced-feature seat (Get-Mailbox shows AdvancedFeatures).</para>
    /// </example>
    /// <example>
    /// <code>Set-Mailbox info@contoso.com -Type Shared; Set-MailPermission info@contoso.com -Trustee li.lei@contoso.com -AccessRights FullAccess</code>
    /// <para>Local: makes a person's mailbox a shared one (its password and app passwords are deleted; its mail and grants stay).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "Mailbox", SupportsShouldProcess = true)]
    [OutputType(typeof(Mailbox))]
    public sealed class SetMailboxCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox (address or alias).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>The new display name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string DisplayName { get; set; }

        /// <summary>The new department.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Department { get; set; }

        /// <summary>The new job title.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string JobTitle { get; set; }

        /// <summary>The new mobile number.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Mobile { get; set; }

        /// <summary>The size limit in MB; 0 removes the limit.</summary>
        [Parameter]
        public long? QuotaMB { get; set; }

        /// <summary>Addresses to add as aliases (in domains of this provider).</summary>
        [Parameter]
        public string[] AddAlias { get; set; }

        /// <summary>Aliases to remove.</summary>
        [Parameter]
        public string[] RemoveAlias { get; set; }

        /// <summary>WeCom: gives ($true) or takes ($false) the mailbox's paid advanced-feature seat (exmail/vip; sent in batches of at most 100). Providers
        /// without such seats refuse it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool? AdvancedFeatures { get; set; }

        /// <summary>Local: converts the mailbox. Shared deletes its password and app passwords and ends its open IMAP/POP3 sessions (nobody
        /// signs in to it any more; it keeps its mail and permissions); User makes it a person's mailbox again, without a password
        /// until Reset-MailboxPassword sets one.
        /// Not bound from the pipeline, so piping mailboxes into Set-Mailbox never converts them.</summary>
        [Parameter]
        public MailboxType? Type { get; set; }

        /// <summary>Writes the changed mailbox.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxStore>("mailboxes");
            if (Type.HasValue)
            {
                Require(MailCapability.SharedMailboxes, "shared mailboxes");
            }

            var action = Type == MailboxType.Shared ? "Convert to a shared mailbox (its password and app passwords are deleted)"
                : Type == MailboxType.User ? "Convert to a user mailbox (no password until one is set)" : "Set mailbox";
            if (!ShouldProcess(Identity, action))
            {
                return;
            }

            var update = new MailboxUpdate
            {
                DisplayName = DisplayName,
                Department = Department,
                JobTitle = JobTitle,
                Mobile = Mobile,
                QuotaMB = QuotaMB == 0 ? null : QuotaMB,
                ClearQuota = QuotaMB == 0,
                AddAliases = AddAlias,
                RemoveAliases = RemoveAlias,
                Type = Type,
            };
            IAdvancedFeatureSeats seats = AdvancedFeatures.HasValue ? Require<IAdvancedFeatureSeats>("advanced-feature seats") : null;
            var m = Await(store.UpdateMailboxAsync(Identity, update, StopToken));
            if (seats != null)
            {
                var refused = Await(seats.SetAdvancedFeaturesAsync(new[] { Identity }, AdvancedFeatures.Value, StopToken));
                if (refused.Count > 0)
                    throw new MailAdminException(MailErrorKind.InvalidOperation, "AdvancedFeatureSeatRefused",
                        $"{m.Provider} refused to {(AdvancedFeatures.Value ? "give" : "take")} the advanced-feature seat of '{Identity}' (no seat left, or "
                            + "outside the application's scope).", Identity)
                    { Provider = m.Provider };
                m = Await(store.GetMailboxAsync(Identity, StopToken));
            }
            if (PassThru)
            {
                WriteObject(m);
            }
        }
    }
}
