using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using MailAdmin.Transport;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Removes messages from the scheduled-mail queue before they are sent.</summary>
    /// <remarks>A message that a run is sending at this moment cannot be removed.</remarks>
    /// <example>
    /// <code>Get-ScheduledMail -Status Pending | Where-Object Subject -like '*draft*' | Remove-ScheduledMail</code>
    /// <para>Cancels the queued drafts.</para>
    /// </example>
    /// <example>
    /// <code>Get-ScheduledMail -Status Sent | Remove-ScheduledMail -Confirm:$false</code>
    /// <para>Clears the messages already sent.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "ScheduledMail", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveScheduledMailCommand : MailAdminCmdlet
    {
        /// <summary>The message's id.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)] public string Id { get; set; }
        /// <summary>The queue file.</summary>
        [Parameter] public string QueuePath { get; set; }

        protected override void ProcessItem()
        {
            if (!ShouldProcess(Id, "Remove scheduled mail"))
            {
                return;
            }

            if (!ScheduledMailCommands.Queue(this, QueuePath).Remove(Id))
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"There is no scheduled message '{Id}' that can be removed (it may be being sent now)."), "ScheduledMailNotFound",
                    ErrorCategory.ObjectNotFound, Id));
            }
        }
    }
}
