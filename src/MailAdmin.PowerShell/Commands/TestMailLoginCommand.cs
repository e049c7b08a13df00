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
        [Parameter][ValidateRange(1, 65535)] public int ImapPort { get; set; } = 993;
        /// <summary>POP3 port: 995 (implicit TLS, default) or 110 (STARTTLS).</summary>
        [Parameter][ValidateRange(1, 65535)] public int Pop3Port { get; set; } = 995;
        /// <summary>SMTP submission port: 587 (STARTTLS, default) or 465 (implicit TLS).</summary>
        [Parameter][ValidateRange(1, 65535)] public int SmtpPort { get; set; } = 587;
        /// <summary>Implicit TLS on the given ports instead of deciding by the port number.</summary>
        [Parameter] public SwitchParameter ImplicitTls { get; set; }
        /// <summary>Extra trust anchors (a private CA) for the server certificate.</summary>
        [Parameter] public X509Certificate2[] TrustedCertificate { get; set; }
        /// <summary>Do not check the server certificate (reported in each result).</summary>
        [Parameter] public SwitchParameter SkipCertificateCheck { get; set; }
        /// <summary>Seconds to wait for each server (default 20).</summary>
        [Parameter][ValidateRange(1, 600)] public int TimeoutSec { get; set; } = 20;

        protected override void ProcessItem()
        {
            var tester = new MailLoginTester
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                SkipCertificateCheck = SkipCertificateCheck,
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
