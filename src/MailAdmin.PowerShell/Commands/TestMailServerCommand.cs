using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using MailAdmin.Transport;

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
        /// <summary>Also log in (never reads or sends mail). Only over TLS: where the connection is not encrypted the login is not tried and LoginReason says
        /// why.</summary>
        [Parameter][Credential] public PSCredential Credential { get; set; }
        /// <summary>Log in with -Credential also over a connection without TLS (port 25 without STARTTLS): the password goes in clear text.</summary>
        [Parameter] public SwitchParameter AllowUnencryptedAuthentication { get; set; }
        /// <summary>Extra trust anchors (a private CA) for the certificate.</summary>
        [Parameter] public X509Certificate2[] TrustedCertificate { get; set; }
        /// <summary>Do not validate the certificate (reported as CertificateChecked = $false).</summary>
        [Parameter] public SwitchParameter SkipCertificateCheck { get; set; }
        /// <summary>Seconds to wait for each service (default 20).</summary>
        [Parameter][ValidateRange(1, 600)] public int TimeoutSec { get; set; } = 20;

        protected override void ProcessItem()
        {
            var tester = new MailServerTester
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                SkipCertificateCheck = SkipCertificateCheck,
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
                TrustedRoots = TrustedCertificate == null ? null : new X509Certificate2Collection(TrustedCertificate),
            };
            var ports = new Dictionary<MailServiceType, int>();
            if (Port != null)
                foreach (System.Collections.DictionaryEntry e in Port)
                {
                    if (!Enum.TryParse(e.Key.ToString(), true, out MailServiceType s))
                    {
                        ThrowTerminatingError(
                            new ErrorRecord(
                            new ArgumentException($"-Port: '{e.Key}' is not a service; use {string.Join(", ", Enum.GetNames(typeof(MailServiceType)))}."),
                            "InvalidService", ErrorCategory.InvalidArgument, e.Key));
                    }

                    if (!int.TryParse(e.Value?.ToString(), out var p) || p < 1 || p > 65535)
                    {
                        ThrowTerminatingError(
                            new ErrorRecord(
                            new ArgumentException($"-Port: {e.Value} for {e.Key} is not a port (1-65535)."), "InvalidPort", ErrorCategory.InvalidArgument,
                            e.Value));
                    }

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
