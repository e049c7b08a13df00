using System;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Makes the mail servers' state match the store, and reports what it changed.</summary>
    /// <remarks>
    /// The store is the truth; Dovecot keeps some state of its own beside it: each mailbox's Sieve script (rules, auto-reply,
    /// spam filing), the folder rights (IMAP ACLs) that ReadOnly/FullAccess grants become, the mail itself and the login records.
    /// A cmdlet whose mail-server step failed after its store change says so and points here. Sync-MailServerState finds every
    /// difference and mends it: mail of a mailbox that is not in the store is moved aside (kept 30 days), mail kept aside past its
    /// time is purged, a missing or outdated MailAdmin Sieve script is written again (one left behind is removed), folder rights
    /// are set to exactly the store's grants, and login records of removed mailboxes are dropped. A script a user activated over
    /// ManageSieve is reported, never changed (its forwards still meet the send scope in Postfix). A mailbox that cannot be mended
    /// now (doveadm fails for it) is written as a Failed change and a non-terminating error, and the run goes on with the others.
    /// It is idempotent and safe to run from cron: a second run finds nothing. With -WhatIf it changes nothing and writes what it would change (Applied =
    /// False).
    /// Run it on the mail host, as root (it uses doveadm and the mail folders, like the other Local cmdlets that reach Dovecot).
    /// </remarks>
    /// <example>
    /// <code>Sync-MailServerState -WhatIf | Format-Table Component, Change, Mailbox, Detail</code>
    /// <para>Shows where the mail server differs from the store, changing nothing.</para>
    /// </example>
    /// <example>
    /// <code>Sync-MailServerState -Confirm:$false | Export-Csv /var/log/mailadmin/sync.csv -Append</code>
    /// <para>Mends every difference (as a nightly cron job would) and keeps a record of what changed.</para>
    /// </example>
    [Cmdlet(VerbsData.Sync, "MailServerState", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(MailServerStateChange))]
    public sealed class SyncMailServerStateCommand : MailAdminConnectedCmdlet
    {
        private sealed class PipelineProgress : IProgress<string>
        {
            private readonly Cmdlet _cmdlet;
            public PipelineProgress(Cmdlet cmdlet)
            {
                _cmdlet = cmdlet;
            }
            public void Report(string value) => _cmdlet.WriteProgress(new ProgressRecord(1, "Sync-MailServerState", "Checking " + value));
        }

        protected override void ProcessItem()
        {
            var server = Require<IMailServerStateStore>("mail server state");
            var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s && s.IsPresent;
            var progress = new PipelineProgress(this);
            if (whatIf)
            {
                foreach (var c in server.Reconcile(false, progress, StopToken))
                {
                    ShouldProcess(c.Mailbox ?? Provider.Target, $"{c.Component} {c.Change}: {c.Detail}");
                    WriteObject(c);
                }
                return;
            }
            if (!ShouldProcess(Provider.Target, "Make the mail server's state match the store"))
            {
                return;
            }

            foreach (var c in server.Reconcile(true, progress, StopToken))
            {
                WriteObject(c);
                // a difference that could not be mended is an error too (a cron job sees it), and the rest of the run went on
                if (c.Change == "Failed")
                    WriteError(new ErrorRecord(new InvalidOperationException($"{c.Mailbox}: the {c.Component} state could not be mended: {c.Detail}"),
                        "MailServerStateSyncFailed", ErrorCategory.InvalidResult, c));
            }
            WriteProgress(new ProgressRecord(1, "Sync-MailServerState", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
