using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using MailAdmin.Transport;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Tells which mail protocols accept a credential, and why the others refuse it.</summary>
    /// <remarks>
    /// Logs in with the credential over IMAP, POP3 and SMTP submission (or the protocols named) and writes one result per
    /// protocol: Accepted, and else the Reason in the server's words (wrong password, protocol switched off, mailbox
    /// disabled), or the connection or TLS failure. Ports 993, 995 and 465 use implicit TLS; 143, 110 and 587 require
    /// STARTTLS. The server certificate is checked (name, chain, expiry); -TrustedCertificate adds a private CA, and
    /// -SkipCertificateCheck turns checking off (and says so in each result). Nothing is read, sent or changed.
    /// </remarks>
    /// <example>
    /// <code>Test-MailLogin mail.contoso.com -Credential (Get-Credential li.lei@contoso.com)</code>
    /// <para>Shows whether IMAP, POP3 and SMTP accept the user's password.</para>
    /// </example>
    /// <example>
    /// <code>Test-MailLogin mail.contoso.com -Credential $cred -Protocol Imap -ImapPort 143 | Select-Object Protocol, Accepted, Reason</code>
    /// <para>Tests IMAP with STARTTLS on port 143 only.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "MailLogin")]
    [OutputType(typeof(MailLoginResult))]
    public sealed class TestMailLoginCommand : MailAdminCmdlet
    {
        /// <summary>The mail server's host name or address.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("ComputerName", "HostName")]
        public string Server { get; set; }

        /// <summary>The user name (the mailbox address) and password.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>The protocols to try (default: Imap, Pop3 and Smtp).</summary>
        [Parameter]
        public MailLoginProtocol[] Protocol { get; set; } = { MailLoginProtocol.Imap, MailLoginProtocol.Pop3, MailLoginProtocol.Smtp };

        /// <summary>IMAP port: 993 (implicit TLS, default) or 143 (STARTTLS).</summary>
        [Parameter] [ValidateRange(1, 65535)] public int ImapPort { get; set; } = 993;
        /// <summary>POP3 port: 995 (implicit TLS, default) or 110 (STARTTLS).</summary>
        [Parameter] [ValidateRange(1, 65535)] public int Pop3Port { get; set; } = 995;
        /// <summary>SMTP submission port: 587 (STARTTLS, default) or 465 (implicit TLS).</summary>
        [Parameter] [ValidateRange(1, 65535)] public int SmtpPort { get; set; } = 587;
        /// <summary>Implicit TLS on the given ports instead of deciding by the port number.</summary>
        [Parameter] public SwitchParameter ImplicitTls { get; set; }
        /// <summary>Extra trust anchors (a private CA) for the server certificate.</summary>
        [Parameter] public X509Certificate2[] TrustedCertificate { get; set; }
        /// <summary>Do not check the server certificate (reported in each result).</summary>
        [Parameter] public SwitchParameter SkipCertificateCheck { get; set; }
        /// <summary>Seconds to wait for each server (default 20).</summary>
        [Parameter] [ValidateRange(1, 600)] public int TimeoutSec { get; set; } = 20;

        protected override void ProcessItem()
        {
            var tester = new MailLoginTester
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec), SkipCertificateCheck = SkipCertificateCheck,
                TrustedRoots = TrustedCertificate == null ? null : new X509Certificate2Collection(TrustedCertificate),
            };
            var cred = Credential.GetNetworkCredential();
            foreach (var p in Protocol.Distinct())
            {
                var port = p == MailLoginProtocol.Imap ? ImapPort : p == MailLoginProtocol.Pop3 ? Pop3Port : SmtpPort;
                var implicitTls = ImplicitTls || port == 993 || port == 995 || port == 465;
                WriteObject(Await(tester.TestAsync(p, Server, port, implicitTls, cred, StopToken)));
            }
        }
    }
}

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Sends mail through an SMTP submission server (MailKit).</summary>
    /// <remarks>
    /// Text and/or HTML body, attachments, To/Cc/Bcc, Reply-To and priority. Pipeline input (e.g. one object per recipient
    /// from Import-Csv) goes over one connection, opened on the first message and closed at the end. Port 587 and other
    /// ports use STARTTLS (required), 465 implicit TLS; the certificate is checked unless -SkipCertificateCheck. A message
    /// the server refuses (sender not allowed for the login, recipient refused, sending not allowed) is a non-terminating
    /// error with the server's code and text, and the rest goes on. The credential is used for SMTP AUTH only and never
    /// shown. Compared with Send-MailMessage (obsolete, one connection per message, no certificate control), it keeps the
    /// connection, checks TLS, and reports each message's queue id. A message is sent again only when the connection failed
    /// before the message was handed over; when it failed after the end of the message the server may have it, so it is not
    /// resent: a SendInDoubt error names its Message-ID to look for. Attachments come from input objects only with
    /// -AttachmentFromPipeline. -NoTls sends without TLS (an internal relay, a test sink); it is never a silent fallback and
    /// with -Credential needs -AllowUnencryptedAuthentication too. With -SendAt the message (Bcc included) waits in a queue
    /// file readable by its owner only; Invoke-ScheduledMail -SmtpServer sends it, and only to that server.
    /// </remarks>
    /// <example>
    /// <code>Send-Mail -SmtpServer mail.contoso.com -Credential $cred -From li.lei@contoso.com -To han@contoso.com -Subject 'Report' -Body 'Attached.' -Attachment ./report.pdf</code>
    /// <para>Sends one message with an attachment through submission (587, STARTTLS).</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv people.csv | ForEach-Object { [pscustomobject]@{ To = $_.Email; Subject = "Hello $($_.Name)"; Body = 'Welcome!' } } | Send-Mail -SmtpServer mail.contoso.com -Credential $cred -From hr@contoso.com</code>
    /// <para>Sends one message per CSV row over a single connection.</para>
    /// </example>
    /// <example>
    /// <code>Send-Mail -SmtpServer mail.contoso.com -Credential $cred -From hr@contoso.com -To all@contoso.com -Subject 'Reminder' -Body 'Timesheets are due.' -SendAt (Get-Date).Date.AddDays(1).AddHours(9)</code>
    /// <para>Queues a message for 9:00 tomorrow; a cron job running Invoke-ScheduledMail sends it.</para>
    /// </example>
    /// <example>
    /// <code>Send-Mail -SmtpServer relay.internal -Port 25 -NoTls -From app@contoso.com -To ops@contoso.com -Subject 'Nightly job' -Body 'Done.'</code>
    /// <para>Sends through an internal relay that offers no STARTTLS and needs no login.</para>
    /// </example>
    /// <example>
    /// <code>$cred = Get-Secret -Name MailSender -Vault SecretStore; Send-Mail -SmtpServer mail.contoso.com -Credential $cred -From hr@contoso.com -To han@contoso.com -Subject 'Hi' -Body 'x'</code>
    /// <para>Takes the login from a SecretManagement vault. Export-Clixml encrypts a credential only on Windows (DPAPI); on Linux and macOS the file holds the password merely encoded, so keep it in a vault instead.</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Send, "Mail", SupportsShouldProcess = true)]
    [OutputType(typeof(MailSendResult), typeof(ScheduledMail))]
    public sealed class SendMailCommand : MailAdminCmdlet
    {
        /// <summary>The SMTP submission server.</summary>
        [Parameter(Mandatory = true)] [Alias("ComputerName", "Server")] public string SmtpServer { get; set; }
        /// <summary>Port: 587 (STARTTLS, default) or 465 (implicit TLS).</summary>
        [Parameter] [ValidateRange(1, 65535)] public int Port { get; set; } = 587;
        /// <summary>Implicit TLS on the given port instead of deciding by the port number.</summary>
        [Parameter] public SwitchParameter ImplicitTls { get; set; }
        /// <summary>The login for SMTP AUTH.</summary>
        [Parameter] [Credential] public PSCredential Credential { get; set; }
        /// <summary>The sender address.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)] public string From { get; set; }
        /// <summary>Recipients.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)] public string[] To { get; set; }
        /// <summary>Copy recipients.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string[] Cc { get; set; }
        /// <summary>Blind copy recipients.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string[] Bcc { get; set; }
        /// <summary>Where replies should go.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string[] ReplyTo { get; set; }
        /// <summary>The subject.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string Subject { get; set; }
        /// <summary>The plain-text body.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string Body { get; set; }
        /// <summary>The HTML body (with -Body, both are sent as alternatives).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public string HtmlBody { get; set; }
        /// <summary>Files to attach. Taken from an input object's Attachment property only with -AttachmentFromPipeline (an untrusted CSV
        /// could otherwise attach any file the user can read).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("Attachments")] public string[] Attachment { get; set; }
        /// <summary>Accept attachment paths from the input objects' Attachment property (only for input you trust).</summary>
        [Parameter] public SwitchParameter AttachmentFromPipeline { get; set; }
        /// <summary>No TLS at all: for an internal relay or a test sink that offers no STARTTLS. Never a silent fallback; with
        /// -Credential also needs -AllowUnencryptedAuthentication.</summary>
        [Parameter] public SwitchParameter NoTls { get; set; }
        /// <summary>With -NoTls: send the password over the plain connection (anyone on the path can read it).</summary>
        [Parameter] public SwitchParameter AllowUnencryptedAuthentication { get; set; }
        /// <summary>Low, Normal (default) or High.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] [ValidateSet("Low", "Normal", "High")] public string Priority { get; set; } = "Normal";
        /// <summary>Extra header fields, e.g. @{ 'List-Id' = '&lt;news.contoso.com&gt;' }.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("Headers")] public System.Collections.Hashtable Header { get; set; }
        /// <summary>Extra trust anchors (a private CA) for the server certificate.</summary>
        [Parameter] public System.Security.Cryptography.X509Certificates.X509Certificate2[] TrustedCertificate { get; set; }
        /// <summary>Do not check the server certificate.</summary>
        [Parameter] public SwitchParameter SkipCertificateCheck { get; set; }
        /// <summary>Queue the message to be sent at this time instead of now (Invoke-ScheduledMail sends what is due; the password is not stored).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] public DateTime? SendAt { get; set; }
        /// <summary>With -SendAt: the queue file (default: $env:MAILADMIN_QUEUE, else scheduled-mail.db in the per-user data folder).</summary>
        [Parameter] public string QueuePath { get; set; }

        private MailSender _sender;
        private bool _attachmentOnCommandLine;

        // before the first record only the command line's parameters are bound
        protected override void BeginProcessing() => _attachmentOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Attachment));

        protected override void ProcessItem()
        {
            if (Attachment != null && Attachment.Length > 0 && !_attachmentOnCommandLine && !AttachmentFromPipeline)
            {
                WriteError(new ErrorRecord(new InvalidOperationException($"The input object names attachments ({string.Join(", ", Attachment)}); they are taken from the pipeline only with -AttachmentFromPipeline. Nothing was sent."),
                    "AttachmentFromPipelineRefused", ErrorCategory.SecurityError, Attachment));
                return;
            }
            var mail = new OutgoingMail
            {
                From = From, To = To ?? new string[0], Cc = Cc ?? new string[0], Bcc = Bcc ?? new string[0], ReplyTo = ReplyTo ?? new string[0],
                Subject = Subject, TextBody = Body, HtmlBody = HtmlBody, Priority = Priority,
                Attachments = (Attachment ?? new string[0]).Select(a => GetUnresolvedProviderPathFromPSPath(a)).ToArray(),
            };
            foreach (System.Collections.DictionaryEntry h in Header ?? new System.Collections.Hashtable())
            {
                var name = h.Key?.ToString() ?? "";
                if (!MailAdmin.Validation.MailNames.IsHeaderFieldName(name) || (h.Value?.ToString() ?? "").IndexOfAny(new[] { '\r', '\n' }) >= 0)
                { WriteError(new ErrorRecord(new ArgumentException($"-Header '{name}' is not a header field: the name must be printable ASCII without ':' and the value one line."), "InvalidHeader", ErrorCategory.InvalidArgument, name)); return; }
                mail.Headers[name] = h.Value?.ToString() ?? "";
            }
            foreach (var a in mail.Attachments)
                if (!System.IO.File.Exists(a)) { WriteError(new ErrorRecord(new System.IO.FileNotFoundException($"The attachment '{a}' does not exist.", a), "AttachmentNotFound", ErrorCategory.ObjectNotFound, a)); return; }
            if (SendAt.HasValue)
            {
                if (!ShouldProcess(string.Join(", ", mail.To.Concat(mail.Cc).Concat(mail.Bcc)), $"Queue mail '{Subject}' from {From} for {SendAt.Value:u}")) return;
                var queue = ScheduledMailCommands.Queue(this, QueuePath);
                try
                {
                    WriteObject(queue.Enqueue(mail, SendAt.Value.ToUniversalTime(), new SmtpSubmission { Server = SmtpServer, Port = Port, ImplicitTls = ImplicitTls || Port == 465, Credential = Credential?.GetNetworkCredential() }));
                }
                catch (FormatException e) { WriteError(new ErrorRecord(new ArgumentException($"An address is not valid: {e.Message}", e), "InvalidAddress", ErrorCategory.InvalidArgument, From)); }
                return;
            }
            if (!ShouldProcess(string.Join(", ", mail.To.Concat(mail.Cc).Concat(mail.Bcc)), $"Send mail '{Subject}' from {From}")) return;
            if (NoTls && Credential != null && !AllowUnencryptedAuthentication)
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException($"-NoTls with -Credential would send the password for {Credential.UserName} in clear text; add -AllowUnencryptedAuthentication to allow that, or leave out -Credential for a relay that needs no login."),
                    "UnencryptedAuthenticationRefused", ErrorCategory.SecurityError, SmtpServer));
            if (_sender == null)
                _sender = new MailSender(new SmtpSubmission
                {
                    Server = SmtpServer, Port = Port, ImplicitTls = ImplicitTls || Port == 465, Credential = Credential?.GetNetworkCredential(),
                    NoTls = NoTls, AllowCredentialWithoutTls = AllowUnencryptedAuthentication, SkipCertificateCheck = SkipCertificateCheck,
                    TrustedRoots = TrustedCertificate == null ? null : new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(TrustedCertificate),
                });
            var failure = MailSendFailure.Other; var status = 0;
            try { WriteObject(Await(_sender.SendAsync(mail, StopToken))); }
            catch (Exception e) when ((failure = MailSender.Classify(e, out status)) != MailSendFailure.Other)
            {
                switch (failure)
                {
                    case MailSendFailure.Refused:
                        WriteError(new ErrorRecord(new InvalidOperationException($"{SmtpServer} refused the message from {From} ({status} {e.Message.Trim()}).", e),
                            "SendRefused", ErrorCategory.PermissionDenied, (object)mail.To.FirstOrDefault() ?? From));
                        break;
                    case MailSendFailure.LoginRefused:
                        ThrowTerminatingError(new ErrorRecord(new InvalidOperationException($"{SmtpServer} refused the login: {e.Message}", e), "SmtpLoginRefused", ErrorCategory.AuthenticationError, SmtpServer));
                        break;
                    case MailSendFailure.Connection:
                        ThrowTerminatingError(new ErrorRecord(new InvalidOperationException($"Cannot send through {SmtpServer}:{Port}: {e.Message}", e), "SmtpConnectionFailed", ErrorCategory.ConnectionError, SmtpServer));
                        break;
                    case MailSendFailure.InDoubt:
                        // the server may have the message: never sent again on its own; the record names the Message-ID to look for
                        WriteError(new ErrorRecord(e, "SendInDoubt", ErrorCategory.OperationTimeout, ((MailInDoubtException)e).MessageId)
                        { ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = $"Look for Message-ID <{((MailInDoubtException)e).MessageId}> in the server's mail log or the recipient's mailbox before sending it again." } });
                        break;
                    default:
                        WriteError(new ErrorRecord(new ArgumentException($"An address is not valid: {e.Message}", e), "InvalidAddress", ErrorCategory.InvalidArgument, From));
                        break;
                }
            }
        }

        protected override void EndItems() { _sender?.Dispose(); _sender = null; }
    }
}

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Shows what a mail server's SMTP, submission, IMAP and POP3 services offer, the way a client sees them.</summary>
    /// <remarks>
    /// For each service (default: all seven: Smtp 25, Submission 587, Submissions 465, Imap 143, Imaps 993, Pop3 110, Pop3s 995):
    /// connect time, banner, implicit TLS or STARTTLS (required on the client ports; optional on 25, as for MX senders), TLS
    /// version and cipher suite, the certificate's subject, issuer, names, expiry and whether it is valid for the host name,
    /// capabilities and AUTH mechanisms; with -Credential, whether the login is accepted. Certificate validation is on by
    /// default; -TrustedCertificate adds a private CA and -SkipCertificateCheck turns it off (CertificateChecked is then
    /// $false in every result). A service that does not answer or refuses TLS is a result with Error set, not an exception.
    /// </remarks>
    /// <example>
    /// <code>Test-MailServer mail.contoso.com | Format-Table Service, Port, Connected, Security, TlsProtocol, CertificateValid, Error</code>
    /// <para>Checks every mail service of a host.</para>
    /// </example>
    /// <example>
    /// <code>Test-MailServer mail.contoso.com -Service Imaps, Submission -Credential (Get-Credential li.lei@contoso.com)</code>
    /// <para>Checks IMAPS and submission and whether a user's password is accepted on both.</para>
    /// </example>
    /// <example>
    /// <code>Test-MailServer relay.internal -Service Smtp -Credential $cred | Select-Object Security, LoginAccepted, LoginReason</code>
    /// <para>On a port-25 server without STARTTLS the login is not tried (LoginReason says so) unless -AllowUnencryptedAuthentication is given.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "MailServer")]
    [OutputType(typeof(MailServerTestResult))]
    public sealed class TestMailServerCommand : MailAdminCmdlet
    {
        /// <summary>The host name (as clients use it: the certificate is checked against it) or address.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ComputerName", "HostName")]
        public string Server { get; set; }
        /// <summary>The services to test (default: all).</summary>
        [Parameter] public MailServiceType[] Service { get; set; } = (MailServiceType[])Enum.GetValues(typeof(MailServiceType));
        /// <summary>Ports other than the standard ones, e.g. @{ Imaps = 10993; Submission = 10587 }.</summary>
        [Parameter] public System.Collections.Hashtable Port { get; set; }
        /// <summary>Also log in (never reads or sends mail). Only over TLS: where the connection is not encrypted the login is not tried and LoginReason says why.</summary>
        [Parameter] [Credential] public PSCredential Credential { get; set; }
        /// <summary>Log in with -Credential also over a connection without TLS (port 25 without STARTTLS): the password goes in clear text.</summary>
        [Parameter] public SwitchParameter AllowUnencryptedAuthentication { get; set; }
        /// <summary>Extra trust anchors (a private CA) for the certificate.</summary>
        [Parameter] public X509Certificate2[] TrustedCertificate { get; set; }
        /// <summary>Do not validate the certificate (reported as CertificateChecked = $false).</summary>
        [Parameter] public SwitchParameter SkipCertificateCheck { get; set; }
        /// <summary>Seconds to wait for each service (default 20).</summary>
        [Parameter] [ValidateRange(1, 600)] public int TimeoutSec { get; set; } = 20;

        protected override void ProcessItem()
        {
            var tester = new MailServerTester
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec), SkipCertificateCheck = SkipCertificateCheck, AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
                TrustedRoots = TrustedCertificate == null ? null : new X509Certificate2Collection(TrustedCertificate),
            };
            var ports = new Dictionary<MailServiceType, int>();
            if (Port != null)
                foreach (System.Collections.DictionaryEntry e in Port)
                {
                    if (!Enum.TryParse(e.Key.ToString(), true, out MailServiceType s))
                        ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Port: '{e.Key}' is not a service; use {string.Join(", ", Enum.GetNames(typeof(MailServiceType)))}."), "InvalidService", ErrorCategory.InvalidArgument, e.Key));
                    if (!int.TryParse(e.Value?.ToString(), out var p) || p < 1 || p > 65535)
                        ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Port: {e.Value} for {e.Key} is not a port (1-65535)."), "InvalidPort", ErrorCategory.InvalidArgument, e.Value));
                    ports[s] = p;
                }
            var cred = Credential?.GetNetworkCredential();
            var list = Service.Distinct().ToList();
            for (var i = 0; i < list.Count; i++)
            {
                var s = list[i];
                WriteProgress(new ProgressRecord(2, "Test-MailServer", $"{Server}: {s}") { PercentComplete = 100 * i / list.Count });
                var port = ports.TryGetValue(s, out var p) ? p : MailServerTester.DefaultPort(s);
                WriteObject(Await(tester.TestAsync(Server, s, port, cred, StopToken)));
            }
            WriteProgress(new ProgressRecord(2, "Test-MailServer", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}

namespace MailAdmin.PowerShell.Commands
{
    internal static class ScheduledMailCommands
    {
        public static ScheduledMailQueue Queue(PSCmdlet cmdlet, string path)
        {
            var p = !string.IsNullOrEmpty(path) ? cmdlet.GetUnresolvedProviderPathFromPSPath(path)
                : Environment.GetEnvironmentVariable("MAILADMIN_QUEUE") is string env && env.Length > 0 ? env
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "MailAdmin", "scheduled-mail.db");
            return new ScheduledMailQueue(p);
        }
    }

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
        [Parameter] [ValidateSet("Pending", "Claimed", "Sending", "Sent", "Failed", "InDoubt")] public string Status { get; set; }
        /// <summary>The queue file (default: $env:MAILADMIN_QUEUE, else scheduled-mail.db in the per-user data folder).</summary>
        [Parameter] public string QueuePath { get; set; }

        protected override void ProcessItem()
        {
            foreach (var m in ScheduledMailCommands.Queue(this, QueuePath).List(Id, Status)) WriteObject(m);
        }
    }

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
            if (!ShouldProcess(Id, "Remove scheduled mail")) return;
            if (!ScheduledMailCommands.Queue(this, QueuePath).Remove(Id))
                WriteError(new ErrorRecord(new ItemNotFoundException($"There is no scheduled message '{Id}' that can be removed (it may be being sent now)."), "ScheduledMailNotFound", ErrorCategory.ObjectNotFound, Id));
        }
    }

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
        [Parameter(Mandatory = true)] [Alias("ComputerName", "Server")] public string SmtpServer { get; set; }
        /// <summary>The port the messages were queued for: 587 (STARTTLS, default) or 465 (implicit TLS).</summary>
        [Parameter] [ValidateRange(1, 65535)] public int Port { get; set; } = 587;
        /// <summary>The login for messages queued with one.</summary>
        [Parameter] [Credential] public PSCredential Credential { get; set; }
        /// <summary>The queue file.</summary>
        [Parameter] public string QueuePath { get; set; }
        /// <summary>Kept for existing scripts; each message is now claimed on its own, right before it is sent.</summary>
        [Parameter] [ValidateRange(1, 10000)] public int BatchSize { get; set; } = 50;
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
            if (Id != null) _resend.AddRange(Id);
        }

        protected override void EndItems()
        {
            if (NoTls && Credential != null && !AllowUnencryptedAuthentication)
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException($"-NoTls with -Credential would send the password for {Credential.UserName} in clear text; add -AllowUnencryptedAuthentication to allow that."),
                    "UnencryptedAuthenticationRefused", ErrorCategory.SecurityError, SmtpServer));
            if (_resend.Count > 0 && !ResendInDoubt)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Id selects messages for -ResendInDoubt; without it a run sends everything that is due."), "IdWithoutResendInDoubt", ErrorCategory.InvalidArgument, null));
            if (ResendInDoubt && _resend.Count == 0)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-ResendInDoubt needs the messages to send again: -Id, or pipe them from Get-ScheduledMail -Status InDoubt."), "ResendInDoubtWithoutId", ErrorCategory.InvalidArgument, null));
            var queue = ScheduledMailCommands.Queue(this, QueuePath);
            foreach (var id in _resend.Distinct(StringComparer.Ordinal))
            {
                if (!ShouldProcess(id, "Send an in-doubt scheduled message again")) continue;
                if (!queue.ResendInDoubt(id))
                    WriteError(new ErrorRecord(new ItemNotFoundException($"There is no InDoubt scheduled message '{id}'."), "ScheduledMailNotInDoubt", ErrorCategory.ObjectNotFound, id));
            }
            if (!ShouldProcess(queue.Path, $"Send the scheduled mail that is due through {SmtpServer}:{Port}")) return;
            var run = new SmtpSubmission
            {
                Server = SmtpServer, Port = Port, NoTls = NoTls, AllowCredentialWithoutTls = AllowUnencryptedAuthentication,
                SkipCertificateCheck = SkipCertificateCheck, TrustedRoots = TrustedCertificate == null ? null : new X509Certificate2Collection(TrustedCertificate),
            };
            var done = 0;
            var progress = new ProgressRecord(1, "Invoke-ScheduledMail", "Sending the mail that is due");
            var task = queue.RunAsync(Credential?.GetNetworkCredential(), run, BatchSize, new SyncProgress<int>(n => System.Threading.Volatile.Write(ref done, n)), StopToken);
            var shown = 0;
            ScheduledMailRun result;
            try
            {
                result = AwaitPolling(task, () =>
                {
                    var n = System.Threading.Volatile.Read(ref done);
                    if (n == shown) return;
                    shown = n; progress.StatusDescription = $"{n} message(s) handled"; WriteProgress(progress);
                });
            }
            catch (System.IO.IOException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "ScheduledMailQueueNotWritable", ErrorCategory.WriteError, queue.Path));
                return;
            }
            if (shown > 0) WriteProgress(new ProgressRecord(1, "Invoke-ScheduledMail", "Done") { RecordType = ProgressRecordType.Completed });
            if (result.OtherServer > 0) WriteWarning($"{result.OtherServer} due message(s) were queued for another server than {SmtpServer}:{Port} and were not sent (Get-ScheduledMail shows their Server).");
            if (result.InDoubt > 0) WriteWarning($"{result.InDoubt} message(s) are in doubt (handed over, outcome unknown) and will not be sent again on their own: see Get-ScheduledMail -Status InDoubt.");
            WriteVerbose($"Sent {result.Sent}, will retry {result.WillRetry}, failed {result.Failed}, in doubt {result.InDoubt} in {result.Duration.TotalSeconds:0.0} s.");
            WriteObject(result);
        }
    }
}


namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Sends a probe from one mailbox to another and finds it over IMAP: where it landed, how long it took, and how it was authenticated.</summary>
    /// <remarks>
    /// Sends a small message through submission as -From (with -Credential), then logs in to the recipient's mailbox over IMAP
    /// (with -RecipientCredential) and looks for it in Inbox and Junk until -TimeoutSec. The result says Delivered, the Folder
    /// (Inbox or Junk), the Delay (from sending to the receiving server's Received time), and the receiving side's
    /// Authentication-Results with the SPF, DKIM and DMARC verdicts parsed out. The probe carries an X-MailAdmin-Probe header so it
    /// is easy to filter away.
    /// </remarks>
    /// <example>
    /// <code>Test-MailDelivery -SmtpServer mail.contoso.com -Credential $li -From li.lei@contoso.com -To han@fabrikam.com -ImapServer imap.fabrikam.com -RecipientCredential $han</code>
    /// <para>Checks that mail from contoso reaches a fabrikam inbox, and not the junk folder.</para>
    /// </example>
    /// <example>
    /// <code>Test-MailDelivery @probe | Select-Object Delivered, Folder, Delay, SpfResult, DkimResult, DmarcResult</code>
    /// <para>Shows the verdicts of a probe described in a splatted hashtable.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "MailDelivery")]
    [OutputType(typeof(MailDeliveryTestResult))]
    public sealed class TestMailDeliveryCommand : MailAdminCmdlet
    {
        /// <summary>The submission server to send the probe through.</summary>
        [Parameter(Mandatory = true)] public string SmtpServer { get; set; }
        /// <summary>Submission port: 587 (STARTTLS, default) or 465 (implicit TLS).</summary>
        [Parameter] [ValidateRange(1, 65535)] public int SmtpPort { get; set; } = 587;
        /// <summary>The sender's login.</summary>
        [Parameter(Mandatory = true)] [Credential] public PSCredential Credential { get; set; }
        /// <summary>The sender address (default: the login).</summary>
        [Parameter] public string From { get; set; }
        /// <summary>The recipient address.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)] public string To { get; set; }
        /// <summary>The recipient's IMAP server (default: the submission server).</summary>
        [Parameter] public string ImapServer { get; set; }
        /// <summary>IMAP port: 993 (implicit TLS, default) or 143 (STARTTLS).</summary>
        [Parameter] [ValidateRange(1, 65535)] public int ImapPort { get; set; } = 993;
        /// <summary>The recipient's login, to look for the probe.</summary>
        [Parameter(Mandatory = true)] [Credential] public PSCredential RecipientCredential { get; set; }
        /// <summary>How long to look for the probe (default 60 s).</summary>
        [Parameter] [ValidateRange(1, 3600)] public int TimeoutSec { get; set; } = 60;
        /// <summary>Extra trust anchors (a private CA).</summary>
        [Parameter] public X509Certificate2[] TrustedCertificate { get; set; }
        /// <summary>Do not check the servers' certificates.</summary>
        [Parameter] public SwitchParameter SkipCertificateCheck { get; set; }

        protected override void ProcessItem()
        {
            var roots = TrustedCertificate == null ? null : new X509Certificate2Collection(TrustedCertificate);
            var tester = new DeliveryTester
            {
                Submission = new SmtpSubmission { Server = SmtpServer, Port = SmtpPort, ImplicitTls = SmtpPort == 465, Credential = Credential.GetNetworkCredential(), TrustedRoots = roots, SkipCertificateCheck = SkipCertificateCheck },
                ImapServer = ImapServer ?? SmtpServer, ImapPort = ImapPort, ImapImplicitTls = ImapPort == 993, RecipientCredential = RecipientCredential.GetNetworkCredential(),
                Timeout = TimeSpan.FromSeconds(TimeoutSec), TrustedRoots = roots, SkipCertificateCheck = SkipCertificateCheck,
            };
            WriteObject(Await(tester.TestAsync(From ?? Credential.UserName, To, StopToken)));
        }
    }

    /// <summary>An IProgress that reports on the reporting thread (Progress&lt;T&gt; would post to a thread-pool context, out of order).</summary>
    internal sealed class SyncProgress<T> : IProgress<T>
    {
        private readonly Action<T> _report;
        public SyncProgress(Action<T> report) { _report = report; }
        public void Report(T value) => _report(value);
    }
}
