using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace MailAdmin.Transport
{
    /// <summary>What one service of a mail server showed (Test-MailServer).</summary>
    public sealed class MailServerTestResult
    {
        public string Server { get; set; }
        public MailServiceType Service { get; set; }
        public int Port { get; set; }
        /// <summary>ImplicitTls, StartTls or None (the server offered no STARTTLS).</summary>
        public string Security { get; set; }
        public bool Connected { get; set; }
        public double ConnectMs { get; set; }
        public string Banner { get; set; }
        public string[] Capabilities { get; set; } = new string[0];
        public string[] AuthMechanisms { get; set; } = new string[0];
        public string TlsProtocol { get; set; }
        public string CipherSuite { get; set; }
        public string CertificateSubject { get; set; }
        public string CertificateIssuer { get; set; }
        public DateTime? CertificateNotAfter { get; set; }
        public string[] CertificateNames { get; set; } = new string[0];
        /// <summary>Whether the certificate is valid for the host name (name, chain to a trusted root, dates); null when not checked.</summary>
        public bool? CertificateValid { get; set; }
        public string CertificateProblem { get; set; }
        /// <summary>False when -SkipCertificateCheck was given.</summary>
        public bool CertificateChecked { get; set; }
        public bool? LoginAccepted { get; set; }
        public string LoginReason { get; set; }
        public string Error { get; set; }
        public override string ToString() => $"{Service} {Server}:{Port}";
    }
}
