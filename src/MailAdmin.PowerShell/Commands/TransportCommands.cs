using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using MailAdmin.Transport;
using MailKit.Security;

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
                WriteObject(Await(tester.TestAsync(p, Server, port, implicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls, cred, StopToken)));
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
    /// connection, checks TLS, and reports each message's queue id.
    /// </remarks>
    /// <example>
    /// <code>Send-Mail -SmtpServer mail.contoso.com -Credential $cred -From li.lei@contoso.com -To han@contoso.com -Subject 'Report' -Body 'Attached.' -Attachment ./report.pdf</code>
    /// <para>Sends one message with an attachment through submission (587, STARTTLS).</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv people.csv | ForEach-Object { [pscustomobject]@{ To = $_.Email; Subject = "Hello $($_.Name)"; Body = 'Welcome!' } } | Send-Mail -SmtpServer mail.contoso.com -Credential $cred -From hr@contoso.com</code>
    /// <para>Sends one message per CSV row over a single connection.</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Send, "Mail", SupportsShouldProcess = true)]
    [OutputType(typeof(MailSendResult))]
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
        /// <summary>Files to attach.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] [Alias("Attachments")] public string[] Attachment { get; set; }
        /// <summary>Low, Normal (default) or High.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)] [ValidateSet("Low", "Normal", "High")] public string Priority { get; set; } = "Normal";
        /// <summary>Extra trust anchors (a private CA) for the server certificate.</summary>
        [Parameter] public System.Security.Cryptography.X509Certificates.X509Certificate2[] TrustedCertificate { get; set; }
        /// <summary>Do not check the server certificate.</summary>
        [Parameter] public SwitchParameter SkipCertificateCheck { get; set; }

        private MailSender _sender;

        protected override void ProcessItem()
        {
            var mail = new OutgoingMail
            {
                From = From, To = To ?? new string[0], Cc = Cc ?? new string[0], Bcc = Bcc ?? new string[0], ReplyTo = ReplyTo ?? new string[0],
                Subject = Subject, TextBody = Body, HtmlBody = HtmlBody, Priority = Priority,
                Attachments = (Attachment ?? new string[0]).Select(a => GetUnresolvedProviderPathFromPSPath(a)).ToArray(),
            };
            foreach (var a in mail.Attachments)
                if (!System.IO.File.Exists(a)) { WriteError(new ErrorRecord(new System.IO.FileNotFoundException($"The attachment '{a}' does not exist.", a), "AttachmentNotFound", ErrorCategory.ObjectNotFound, a)); return; }
            if (!ShouldProcess(string.Join(", ", mail.To.Concat(mail.Cc).Concat(mail.Bcc)), $"Send mail '{Subject}' from {From}")) return;
            if (_sender == null)
                _sender = new MailSender(new SmtpSubmission
                {
                    Server = SmtpServer, Port = Port, ImplicitTls = ImplicitTls || Port == 465, Credential = Credential?.GetNetworkCredential(),
                    SkipCertificateCheck = SkipCertificateCheck,
                    TrustedRoots = TrustedCertificate == null ? null : new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(TrustedCertificate),
                });
            try { WriteObject(Await(_sender.SendAsync(mail, StopToken))); }
            catch (MailKit.Net.Smtp.SmtpCommandException e)
            {
                WriteError(new ErrorRecord(new InvalidOperationException($"{SmtpServer} refused the message from {From} ({(int)e.StatusCode} {e.Message.Trim()}).", e),
                    "SendRefused", ErrorCategory.PermissionDenied, (object)mail.To.FirstOrDefault() ?? From));
            }
            catch (MailKit.Security.AuthenticationException e)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException($"{SmtpServer} refused the login: {e.Message}", e), "SmtpLoginRefused", ErrorCategory.AuthenticationError, SmtpServer));
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException || e is System.IO.IOException || e is MailKit.Security.SslHandshakeException || e is MailKit.Net.Smtp.SmtpProtocolException)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException($"Cannot send through {SmtpServer}:{Port}: {e.Message}", e), "SmtpConnectionFailed", ErrorCategory.ConnectionError, SmtpServer));
            }
            catch (FormatException e)
            {
                WriteError(new ErrorRecord(new ArgumentException($"An address is not valid: {e.Message}", e), "InvalidAddress", ErrorCategory.InvalidArgument, From));
            }
        }

        protected override void EndItems() { _sender?.Dispose(); _sender = null; }
    }
}
