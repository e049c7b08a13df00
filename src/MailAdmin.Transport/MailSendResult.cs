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
    /// <summary>What happened to one message.</summary>
    public sealed class MailSendResult
    {
        public string MessageId { get; set; }
        public string From { get; set; }
        public string[] Recipients { get; set; }
        public string Subject { get; set; }
        public string Server { get; set; }
        public DateTime SentAt { get; set; }
        /// <summary>The server's answer to the end of DATA (e.g. "2.0.0 Ok: queued as ...").</summary>
        public string Response { get; set; }
        public override string ToString() => MessageId;
    }
}
