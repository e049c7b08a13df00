using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MailAdmin.Transport
{
    /// <summary>Where and how to submit mail.</summary>
    public sealed class SmtpSubmission
    {
        public string Server { get; set; }
        public int Port { get; set; } = 587;
        public bool ImplicitTls { get; set; }
        /// <summary>No TLS at all (only for a loopback relay); otherwise STARTTLS is required on non-implicit ports.</summary>
        public bool NoTls { get; set; }
        /// <summary>With <see cref="NoTls"/>: a credential may be sent over the plain connection (otherwise it is refused).</summary>
        public bool AllowCredentialWithoutTls { get; set; }
        public NetworkCredential Credential { get; set; }
        public X509Certificate2Collection TrustedRoots { get; set; }
        public bool SkipCertificateCheck { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
        public string LocalDomain { get; set; }
    }
}
