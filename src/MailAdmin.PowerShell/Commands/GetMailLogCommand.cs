using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Reads the provider's mail, login and administration logs.</summary>
    /// <remarks>
    /// -Kind Mail lists messages sent and received (with their delivery status: Sent, Bounced, Inbox, Spam...), Login the
    /// sign-ins of one mailbox (time, address, client type), Operation the administrators' actions, BatchJob bulk jobs, and
    /// Summary the number of messages a domain sent and received. The provider's codes become names. A range longer than one
    /// call may cover (Exmail: about three months) is split into several calls and the entries stream in date order.
    /// Exmail needs -LogSecret on Connect-MailProvider.
    /// </remarks>
    /// <example>
    /// <code>Get-MailLog -Kind Mail -Start (Get-Date).AddDays(-7) -Direction Received | Where-Object Status -eq Spam</code>
    /// <para>Lists last week's incoming mail that went to spam.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailLog -Kind Login -Mailbox li.lei@contoso.com -Start 2026-01-01 -End 2026-06-30 | Group-Object ClientAddress</code>
    /// <para>Shows from which addresses a user signed in during half a year (split into several calls).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailLog")]
    [OutputType(typeof(MailLogEntry))]
    public sealed class GetMailLogCommand : MailAdminConnectedCmdlet
    {
        /// <summary>Which log: Mail, Login, Operation, BatchJob or Summary.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public MailLogKind Kind { get; set; }

        /// <summary>The first day (default: 7 days ago).</summary>
        [Parameter]
        public DateTime? Start { get; set; }

        /// <summary>The last day (default: today).</summary>
        [Parameter]
        public DateTime? End { get; set; }

        /// <summary>Mail and Login: the mailbox.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Identity", "Address")]
        public string Mailbox { get; set; }

        /// <summary>Summary: the domain.</summary>
        [Parameter]
        public string Domain { get; set; }

        /// <summary>Mail: only messages whose subject contains this.</summary>
        [Parameter]
        public string Subject { get; set; }

        /// <summary>Mail: Both (default), Sent or Received.</summary>
        [Parameter]
        public MailDirection Direction { get; set; }

        /// <summary>Operation: the provider's category number (Exmail: 1 all, 3 admin accounts, 8 members and groups, ...).</summary>
        [Parameter]
        public int? Category { get; set; }

        protected override void ProcessItem()
        {
            var source = Require<IMailLogSource>("logs");
            var end = (End ?? DateTime.Today).Date;
            var start = (Start ?? end.AddDays(-7)).Date;
            WriteStream(source.GetLogs(new MailLogQuery
            {
                Kind = Kind,
                Start = start,
                End = end,
                Mailbox = Mailbox,
                Domain = Domain,
                Subject = Subject,
                Direction = Direction,
                Category = Category,
            }));
        }
    }

}
