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
    /// <summary>The mail services Test-MailServer knows, each with its usual port and TLS mode.</summary>
    public enum MailServiceType
    {
        Smtp, Submission, Submissions, Imap, Imaps, Pop3, Pop3s
    }
}
