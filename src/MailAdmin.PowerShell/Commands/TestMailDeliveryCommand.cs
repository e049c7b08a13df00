using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using MailAdmin.Transport;

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
        [Parameter][ValidateRange(1, 65535)] public int SmtpPort { get; set; } = 587;
        /// <summary>The sender's login.</summary>
        [Parameter(Mandatory = true)][Credential] public PSCredential Credential { get; set; }
        /// <summary>The sender address (default: the login).</summary>
        [Parameter] public string From { get; set; }
        /// <summary>The recipient address.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)] public string To { get; set; }
        /// <summary>The recipient's IMAP server (default: the submission server).</summary>
        [Parameter] public string ImapServer { get; set; }
        /// <summary>IMAP port: 993 (implicit TLS, default) or 143 (STARTTLS).</summary>
        [Parameter][ValidateRange(1, 65535)] public int ImapPort { get; set; } = 993;
        /// <summary>The recipient's login, to look for the probe.</summary>
        [Parameter(Mandatory = true)][Credential] public PSCredential RecipientCredential { get; set; }
        /// <summary>How long to look for the probe (default 60 s).</summary>
        [Parameter][ValidateRange(1, 3600)] public int TimeoutSec { get; set; } = 60;
        /// <summary>Extra trust anchors (a private CA).</summary>
        [Parameter] public X509Certificate2[] TrustedCertificate { get; set; }
        /// <summary>Do not check the servers' certificates.</summary>
        [Parameter] public SwitchParameter SkipCertificateCheck { get; set; }

        protected override void ProcessItem()
        {
            var roots = TrustedCertificate == null ? null : new X509Certificate2Collection(TrustedCertificate);
            var tester = new DeliveryTester
            {
                Submission = new SmtpSubmission
                {
                    Server = SmtpServer, Port = SmtpPort, ImplicitTls = SmtpPort == 465,
                    Credential = Credential.GetNetworkCredential(), TrustedRoots = roots, SkipCertificateCheck = SkipCertificateCheck,
                },
                ImapServer = ImapServer ?? SmtpServer,
                ImapPort = ImapPort,
                ImapImplicitTls = ImapPort == 993,
                RecipientCredential = RecipientCredential.GetNetworkCredential(),
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                TrustedRoots = roots,
                SkipCertificateCheck = SkipCertificateCheck,
            };
            WriteObject(Await(tester.TestAsync(From ?? Credential.UserName, To, StopToken)));
        }
    }
}
