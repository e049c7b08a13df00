using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using MailAdmin.Transport;

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
    /// <para>Takes the login from a SecretManagement vault. Export-Clixml encrypts a credential only on Windows (DPAPI); on Linux and macOS the file holds the
    /// password merely encoded, so keep it in a vault instead.</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Send, "Mail", SupportsShouldProcess = true)]
    [OutputType(typeof(MailSendResult), typeof(ScheduledMail))]
    public sealed class SendMailCommand : MailAdminCmdlet
    {
        /// <summary>The SMTP submission server.</summary>
        [Parameter(Mandatory = true)][Alias("ComputerName", "Server")] public string SmtpServer { get; set; }
        /// <summary>Port: 587 (STARTTLS, default) or 465 (implicit TLS).</summary>
        [Parameter][ValidateRange(1, 65535)] public int Port { get; set; } = 587;
        /// <summary>Implicit TLS on the given port instead of deciding by the port number.</summary>
        [Parameter] public SwitchParameter ImplicitTls { get; set; }
        /// <summary>The login for SMTP AUTH.</summary>
        [Parameter][Credential] public PSCredential Credential { get; set; }
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
        [Parameter(ValueFromPipelineByPropertyName = true)][Alias("Attachments")] public string[] Attachment { get; set; }
        /// <summary>Accept attachment paths from the input objects' Attachment property (only for input you trust).</summary>
        [Parameter] public SwitchParameter AttachmentFromPipeline { get; set; }
        /// <summary>No TLS at all: for an internal relay or a test sink that offers no STARTTLS. Never a silent fallback; with
        /// -Credential also needs -AllowUnencryptedAuthentication.</summary>
        [Parameter] public SwitchParameter NoTls { get; set; }
        /// <summary>With -NoTls: send the password over the plain connection (anyone on the path can read it).</summary>
        [Parameter] public SwitchParameter AllowUnencryptedAuthentication { get; set; }
        /// <summary>Low, Normal (default) or High.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)][ValidateSet("Low", "Normal", "High")] public string Priority { get; set; } = "Normal";
        /// <summary>Extra header fields, e.g. @{ 'List-Id' = '&lt;news.contoso.com&gt;' }.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)][Alias("Headers")] public System.Collections.Hashtable Header { get; set; }
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
                WriteError(new ErrorRecord(
                    new InvalidOperationException(
                    $"The input object names attachments ({string.Join(", ", Attachment)}); they are taken from the pipeline only with "
                        + "-AttachmentFromPipeline. Nothing was sent."),
                    "AttachmentFromPipelineRefused", ErrorCategory.SecurityError, Attachment));
                return;
            }
            var mail = new OutgoingMail
            {
                From = From,
                To = To ?? new string[0],
                Cc = Cc ?? new string[0],
                Bcc = Bcc ?? new string[0],
                ReplyTo = ReplyTo ?? new string[0],
                Subject = Subject,
                TextBody = Body,
                HtmlBody = HtmlBody,
                Priority = Priority,
                Attachments = (Attachment ?? new string[0]).Select(a => GetUnresolvedProviderPathFromPSPath(a)).ToArray(),
            };
            foreach (System.Collections.DictionaryEntry h in Header ?? new System.Collections.Hashtable())
            {
                var name = h.Key?.ToString() ?? "";
                if (!MailAdmin.Validation.MailNames.IsHeaderFieldName(name) || (h.Value?.ToString() ?? "").IndexOfAny(new[] { '\r', '\n' }) >= 0)
                {
                    WriteError(new ErrorRecord(
                        new ArgumentException($"-Header '{name}' is not a header field: the name must be printable ASCII without ':' and the value one line."),
                        "InvalidHeader", ErrorCategory.InvalidArgument, name));
                    return;
                }
                mail.Headers[name] = h.Value?.ToString() ?? "";
            }
            foreach (var a in mail.Attachments)
            {
                if (!System.IO.File.Exists(a))
                {
                    WriteError(new ErrorRecord(
                        new System.IO.FileNotFoundException($"The attachment '{a}' does not exist.", a), "AttachmentNotFound", ErrorCategory.ObjectNotFound,
                        a));
                    return;
                }
            }

            if (SendAt.HasValue)
            {
                if (!ShouldProcess(string.Join(", ", mail.To.Concat(mail.Cc).Concat(mail.Bcc)), $"Queue mail '{Subject}' from {From} for {SendAt.Value:u}"))
                {
                    return;
                }

                var queue = ScheduledMailCommands.Queue(this, QueuePath);
                try
                {
                    WriteObject(queue.Enqueue(
                        mail, SendAt.Value.ToUniversalTime(),
                        new SmtpSubmission
                        {
                            Server = SmtpServer, Port = Port, ImplicitTls = ImplicitTls || Port == 465,
                            Credential = Credential?.GetNetworkCredential(),
                        }));
                }
                catch (FormatException e)
                {
                    WriteError(new ErrorRecord(
                        new ArgumentException($"An address is not valid: {e.Message}", e), "InvalidAddress", ErrorCategory.InvalidArgument, From));
                }
                return;
            }
            if (!ShouldProcess(string.Join(", ", mail.To.Concat(mail.Cc).Concat(mail.Bcc)), $"Send mail '{Subject}' from {From}"))
            {
                return;
            }

            if (NoTls && Credential != null && !AllowUnencryptedAuthentication)
                ThrowTerminatingError(
                    new ErrorRecord(
                    new InvalidOperationException(
                    $"-NoTls with -Credential would send the password for {Credential.UserName} in clear text; add -AllowUnencryptedAuthentication to allow "
                        + "that, or leave out -Credential for a relay that needs no login."),
                    "UnencryptedAuthenticationRefused", ErrorCategory.SecurityError, SmtpServer));
            if (_sender == null)
                _sender = new MailSender(new SmtpSubmission
                {
                    Server = SmtpServer,
                    Port = Port,
                    ImplicitTls = ImplicitTls || Port == 465,
                    Credential = Credential?.GetNetworkCredential(),
                    NoTls = NoTls,
                    AllowCredentialWithoutTls = AllowUnencryptedAuthentication,
                    SkipCertificateCheck = SkipCertificateCheck,
                    TrustedRoots = TrustedCertificate == null ? null
                        : new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(TrustedCertificate),
                });
            var failure = MailSendFailure.Other;
            var status = 0;
            try
            {
                WriteObject(Await(_sender.SendAsync(mail, StopToken)));
            }
            catch (Exception e) when ((failure = MailSender.Classify(e, out status)) != MailSendFailure.Other)
            {
                switch (failure)
                {
                    case MailSendFailure.Refused:
                        WriteError(new ErrorRecord(
                            new InvalidOperationException($"{SmtpServer} refused the message from {From} ({status} {e.Message.Trim()}).", e),
                            "SendRefused", ErrorCategory.PermissionDenied, (object)mail.To.FirstOrDefault() ?? From));
                        break;
                    case MailSendFailure.LoginRefused:
                        ThrowTerminatingError(
                            new ErrorRecord(
                            new InvalidOperationException($"{SmtpServer} refused the login: {e.Message}", e), "SmtpLoginRefused",
                            ErrorCategory.AuthenticationError, SmtpServer));
                        break;
                    case MailSendFailure.Connection:
                        ThrowTerminatingError(
                            new ErrorRecord(
                            new InvalidOperationException($"Cannot send through {SmtpServer}:{Port}: {e.Message}", e), "SmtpConnectionFailed",
                            ErrorCategory.ConnectionError, SmtpServer));
                        break;
                    case MailSendFailure.InDoubt:
                        // the server may have the message: never sent again on its own; the record names the Message-ID to look for
                        var messageId = ((MailInDoubtException)e).MessageId;
                        var details = new ErrorDetails(e.Message)
                        {
                            RecommendedAction = $"Look for Message-ID <{messageId}> in the server's mail log or the recipient's mailbox "
                                + "before sending it again.",
                        };
                        WriteError(new ErrorRecord(e, "SendInDoubt", ErrorCategory.OperationTimeout, messageId) { ErrorDetails = details });
                        break;
                    default:
                        WriteError(new ErrorRecord(
                            new ArgumentException($"An address is not valid: {e.Message}", e), "InvalidAddress", ErrorCategory.InvalidArgument, From));
                        break;
                }
            }
        }

        protected override void EndItems()
        {
            _sender?.Dispose();
            _sender = null;
        }
    }
}
