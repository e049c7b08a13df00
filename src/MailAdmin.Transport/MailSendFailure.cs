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
    /// <summary>
    /// Sends messages over one SMTP connection (MailKit), opened on first use and reused for every message until disposed;
    /// reconnects once when the server has closed an idle connection.
    /// </summary>
    /// <summary>How a send failed, for callers that must not name MailKit's exception types (the cmdlets: another module in the
    /// session may have loaded a different MailKit into the default context).</summary>
    public enum MailSendFailure
    {
        Other, Refused, LoginRefused, Connection, BadAddress, InDoubt
    }
}
