using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using MailAdmin.Transport;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Lists the messages in the scheduled-mail queue.</summary>
    /// <remarks>
    /// Each queued message with its send time, status, attempts, last error, next attempt and Message-ID (the same for every
    /// attempt). Status: Pending, Claimed (a run is about to send it), Sending, Sent, Failed, or InDoubt: the message was handed
    /// to the server but the outcome is unknown (the connection dropped after the end of the message, or the run stalled or was
    /// killed during the send). InDoubt messages are never retried automatically: look for the Message-ID in the server's log
    /// or the recipient's mailbox, then send it again deliberately with Invoke-ScheduledMail -ResendInDoubt, or remove it. The
    /// queue holds whole messages (Bcc lists included) and where to submit them, never a password; the file is created
    /// readable and writable by its owner only (0600).
    /// </remarks>
    /// <example>
    /// <code>Get-ScheduledMail -Status Pending</code>
    /// <para>Shows what is still to be sent.</para>
    /// </example>
    /// <example>
    /// <code>Get-ScheduledMail -Status Failed | Select-Object Id, Subject, Attempts, LastError</code>
    /// <para>Shows the messages that gave up, with the reason.</para>
    /// </example>
    /// <example>
    /// <code>Get-ScheduledMail -Status InDoubt | Select-Object Id, MessageId, Subject, LastError</code>
    /// <para>Shows the messages that may or may not have been delivered, with the Message-ID to look for.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ScheduledMail")]
    [OutputType(typeof(ScheduledMail))]
    public sealed class GetScheduledMailCommand : MailAdminCmdlet
    {
        /// <summary>One message's id.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)] public string Id { get; set; }
        /// <summary>Only messages with this status.</summary>
        [Parameter][ValidateSet("Pending", "Claimed", "Sending", "Sent", "Failed", "InDoubt")] public string Status { get; set; }
        /// <summary>The queue file (default: $env:MAILADMIN_QUEUE, else scheduled-mail.db in the per-user data folder).</summary>
        [Parameter] public string QueuePath { get; set; }

        protected override void ProcessItem()
        {
            foreach (var m in ScheduledMailCommands.Queue(this, QueuePath).List(Id, Status))
            {
                WriteObject(m);
            }
        }
    }
}
