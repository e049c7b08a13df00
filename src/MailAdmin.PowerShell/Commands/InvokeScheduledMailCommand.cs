using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using MailAdmin.Transport;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Sends the scheduled messages that are due; made to run from cron or Task Scheduler every minute.</summary>
    /// <remarks>
    /// Sends each message exactly once, also when runs overlap, a server stalls, a run is killed or the queue cannot be written:
    /// a run claims one message at a time with a lease, checks right before the send that the claim is still its own, and
    /// records the outcome. A send that failed before the message was handed over is retried later with exponential backoff
    /// (1, 2, 4 ... minutes, 8 attempts) and keeps its last error. A message whose outcome is unknown (the connection failed
    /// after the end of the message, or its run stalled or died during the send) becomes InDoubt and is never sent again on its
    /// own: Get-ScheduledMail -Status InDoubt shows it with its Message-ID, and -ResendInDoubt sends it again deliberately.
    /// Only messages queued for -SmtpServer and -Port are sent, so the credential goes only to the server given here; messages
    /// queued for another server are left alone and counted in OtherServer. The queue stores no password: give -Credential
    /// (e.g. from SecretManagement) for messages queued with a login.
    /// </remarks>
    /// <example>
    /// <code>Invoke-ScheduledMail -SmtpServer mail.contoso.com -Credential (Get-Secret MailSender)</code>
    /// <para>Sends what is due through mail.contoso.com, with the stored login's password from SecretManagement.</para>
    /// </example>
    /// <example>
    /// <code>* * * * * pwsh -c 'Invoke-ScheduledMail -SmtpServer mail.contoso.com -Credential (Get-Secret -Vault Local MailSender)'</code>
    /// <para>A crontab line that sends due mail every minute. Keep the password in a SecretManagement vault (e.g. SecretStore);
    /// Export-Clixml encrypts a credential only on Windows, and on Linux and macOS the file holds the password merely obfuscated.</para>
    /// </example>
    /// <example>
    /// <code>Get-ScheduledMail -Status InDoubt | Where-Object Subject -eq 'Invoice 42' | Invoke-ScheduledMail -SmtpServer mail.contoso.com -Credential $cred -ResendInDoubt</code>
    /// <para>After checking that the message did not arrive, sends an in-doubt message again (with the same Message-ID).</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Invoke, "ScheduledMail", SupportsShouldProcess = true)]
    [OutputType(typeof(ScheduledMailRun))]
    public sealed class InvokeScheduledMailCommand : MailAdminCmdlet
    {
        /// <summary>The submission server to send through. Only messages queued for this server (and -Port) are sent.</summary>
        [Parameter(Mandatory = true)][Alias("ComputerName", "Server")] public string SmtpServer { get; set; }
        /// <summary>The port the messages were queued for: 587 (STARTTLS, default) or 465 (implicit TLS).</summary>
        [Parameter][ValidateRange(1, 65535)] public int Port { get; set; } = 587;
        /// <summary>The login for messages queued with one.</summary>
        [Parameter][Credential] public PSCredential Credential { get; set; }
        /// <summary>The queue file.</summary>
        [Parameter] public string QueuePath { get; set; }
        /// <summary>Kept for existing scripts; each message is now claimed on its own, right before it is sent.</summary>
        [Parameter][ValidateRange(1, 10000)] public int BatchSize { get; set; } = 50;
        /// <summary>Extra trust anchors (a private CA) for the servers' certificates.</summary>
        [Parameter] public X509Certificate2[] TrustedCertificate { get; set; }
        /// <summary>Do not check the servers' certificates.</summary>
        [Parameter] public SwitchParameter SkipCertificateCheck { get; set; }
        /// <summary>No TLS at all (an internal relay or a test sink); with -Credential also needs -AllowUnencryptedAuthentication.</summary>
        [Parameter] public SwitchParameter NoTls { get; set; }
        /// <summary>With -NoTls: send the password over the plain connection.</summary>
        [Parameter] public SwitchParameter AllowUnencryptedAuthentication { get; set; }
        /// <summary>Send these InDoubt messages again (with -Id or from Get-ScheduledMail): only after checking they did not arrive.</summary>
        [Parameter] public SwitchParameter ResendInDoubt { get; set; }
        /// <summary>With -ResendInDoubt: the messages to send again.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string[] Id { get; set; }

        private readonly List<string> _resend = new List<string>();

        protected override void ProcessItem()
        {
            if (Id != null)
            {
                _resend.AddRange(Id);
            }
        }

        protected override void EndItems()
        {
            if (NoTls && Credential != null && !AllowUnencryptedAuthentication)
                ThrowTerminatingError(
                    new ErrorRecord(
                    new InvalidOperationException(
                    $"-NoTls with -Credential would send the password for {Credential.UserName} in clear text; add -AllowUnencryptedAuthentication to allow "
                        + "that."),
                    "UnencryptedAuthenticationRefused", ErrorCategory.SecurityError, SmtpServer));
            if (_resend.Count > 0 && !ResendInDoubt)
            {
                ThrowTerminatingError(
                    new ErrorRecord(
                    new ArgumentException("-Id selects messages for -ResendInDoubt; without it a run sends everything that is due."), "IdWithoutResendInDoubt",
                    ErrorCategory.InvalidArgument, null));
            }

            if (ResendInDoubt && _resend.Count == 0)
            {
                ThrowTerminatingError(
                    new ErrorRecord(
                    new ArgumentException("-ResendInDoubt needs the messages to send again: -Id, or pipe them from Get-ScheduledMail -Status InDoubt."),
                    "ResendInDoubtWithoutId", ErrorCategory.InvalidArgument, null));
            }

            var queue = ScheduledMailCommands.Queue(this, QueuePath);
            foreach (var id in _resend.Distinct(StringComparer.Ordinal))
            {
                if (!ShouldProcess(id, "Send an in-doubt scheduled message again"))
                {
                    continue;
                }

                if (!queue.ResendInDoubt(id))
                {
                    WriteError(new ErrorRecord(
                        new ItemNotFoundException($"There is no InDoubt scheduled message '{id}'."), "ScheduledMailNotInDoubt", ErrorCategory.ObjectNotFound,
                        id));
                }
            }
            if (!ShouldProcess(queue.Path, $"Send the scheduled mail that is due through {SmtpServer}:{Port}"))
            {
                return;
            }

            var run = new SmtpSubmission
            {
                Server = SmtpServer,
                Port = Port,
                NoTls = NoTls,
                AllowCredentialWithoutTls = AllowUnencryptedAuthentication,
                SkipCertificateCheck = SkipCertificateCheck,
                TrustedRoots = TrustedCertificate == null ? null : new X509Certificate2Collection(TrustedCertificate),
            };
            var done = 0;
            var progress = new ProgressRecord(1, "Invoke-ScheduledMail", "Sending the mail that is due");
            var task = queue.RunAsync(
                Credential?.GetNetworkCredential(), run, BatchSize, new SyncProgress<int>(n => System.Threading.Volatile.Write(ref done, n)), StopToken);
            var shown = 0;
            ScheduledMailRun result;
            try
            {
                result = AwaitPolling(task, () =>
                {
                    var n = System.Threading.Volatile.Read(ref done);
                    if (n == shown)
                    {
                        return;
                    }

                    shown = n;
                    progress.StatusDescription = $"{n} message(s) handled";
                    WriteProgress(progress);
                });
            }
            catch (System.IO.IOException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "ScheduledMailQueueNotWritable", ErrorCategory.WriteError, queue.Path));
                return;
            }
            if (shown > 0)
            {
                WriteProgress(new ProgressRecord(1, "Invoke-ScheduledMail", "Done") { RecordType = ProgressRecordType.Completed });
            }

            if (result.OtherServer > 0)
            {
                WriteWarning(
                    $"{result.OtherServer} due message(s) were queued for another server than {SmtpServer}:{Port} and were not sent (Get-ScheduledMail shows "
                        + "their Server).");
            }

            if (result.InDoubt > 0)
            {
                WriteWarning(
                    $"{result.InDoubt} message(s) are in doubt (handed over, outcome unknown) and will not be sent again on their own: see Get-ScheduledMail "
                        + "-Status InDoubt.");
            }

            WriteVerbose(
                $"Sent {result.Sent}, will retry {result.WillRetry}, failed {result.Failed}, "
                    + $"in doubt {result.InDoubt} in {result.Duration.TotalSeconds:0.0} s.");
            WriteObject(result);
        }
    }
}
