using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Transport
{
    /// <summary>How a connection reaches TLS: at once (465, 993, 995) or after the protocol's STARTTLS command.</summary>
    public enum TlsStart
    {
        Implicit, Smtp, Imap, Pop3
    }
}
