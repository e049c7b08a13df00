using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace MailAdmin.Transport
{
    /// <summary>One protocol's answer to a credential (Test-MailLogin).</summary>
    public sealed class MailLoginResult
    {
        public string Server { get; set; }
        public MailLoginProtocol Protocol { get; set; }
        public int Port { get; set; }
        /// <summary>Implicit TLS, STARTTLS or None.</summary>
        public string Security { get; set; }
        public string UserName { get; set; }
        public bool Accepted { get; set; }
        /// <summary>Why not, in the server's words (or the connection or TLS failure).</summary>
        public string Reason { get; set; }
        public string TlsProtocol { get; set; }
        public bool CertificateChecked { get; set; }
        public TimeSpan Duration { get; set; }
        public override string ToString() => $"{Protocol} {Server}:{Port} {(Accepted ? "accepted" : "refused")}";
    }
}
