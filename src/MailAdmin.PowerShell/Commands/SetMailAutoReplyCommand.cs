using System;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Switches a mailbox's automatic reply on or off and sets its text and dates.</summary>
    /// <remarks>
    /// A sender gets at most one reply per -DaysBetweenReplies (default 7); mailing lists, bulk and automatic mail (Auto-Submitted,
    /// Precedence bulk/list, List-Id) and mail the spam filter marked get none. Times are local unless they carry a zone; they are
    /// kept in UTC. On the Local provider this is a Sieve vacation action that Dovecot runs at delivery.
    /// </remarks>
    /// <example>
    /// <code>Set-MailAutoReply li.lei@contoso.com -Enabled $true -Subject 'Away' -Body 'Back on Monday.' -StartTime '2026-12-20' -EndTime '2027-01-04'</code>
    /// <para>Replies only over the holidays.</para>
    /// </example>
    /// <example>
    /// <code>Set-MailAutoReply li.lei@contoso.com -Enabled $false</code>
    /// <para>Switches it off (the text is kept for next time).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "MailAutoReply", SupportsShouldProcess = true)]
    [OutputType(typeof(MailAutoReply))]
    public sealed class SetMailAutoReplyCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mailbox", "Address")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }
        /// <summary>On or off.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public bool? Enabled { get; set; }
        /// <summary>The reply's subject (default: "Auto: " and the original subject).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string Subject { get; set; }
        /// <summary>The reply's text.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string Body { get; set; }
        /// <summary>From when it replies; $null clears it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public DateTime? StartTime { get; set; }
        /// <summary>Until when it replies; $null clears it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public DateTime? EndTime { get; set; }
        /// <summary>Replies only to senders outside the organisation.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public bool? ExternalOnly { get; set; }
        /// <summary>Days before the same sender gets another reply (1-365).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public int? DaysBetweenReplies { get; set; }
        /// <summary>Writes the auto-reply afterwards.</summary>
        [Parameter] public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IAutoReplyStore>("automatic replies");
            var b = MyInvocation.BoundParameters;
            var u = new MailAutoReplyUpdate
            {
                Enabled = Enabled,
                Subject = Subject,
                Body = Body,
                StartTime = StartTime,
                EndTime = EndTime,
                ExternalOnly = ExternalOnly,
                DaysBetweenReplies = DaysBetweenReplies,
                ClearStartTime = b.ContainsKey(nameof(StartTime)) && StartTime == null,
                ClearEndTime = b.ContainsKey(nameof(EndTime)) && EndTime == null,
            };
            if (!ShouldProcess(Identity, Enabled == false ? "Switch the automatic reply off" : "Set the automatic reply"))
            {
                return;
            }

            var saved = Await(store.SetAutoReplyAsync(Identity, u, StopToken));
            if (PassThru)
            {
                WriteObject(saved);
            }
        }
    }
}
