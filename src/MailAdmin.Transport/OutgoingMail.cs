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
    /// <summary>A message to send (Send-Mail).</summary>
    public sealed class OutgoingMail
    {
        public string From { get; set; }
        public string[] To { get; set; } = new string[0];
        public string[] Cc { get; set; } = new string[0];
        public string[] Bcc { get; set; } = new string[0];
        public string[] ReplyTo { get; set; } = new string[0];
        public string Subject { get; set; }
        public string TextBody { get; set; }
        public string HtmlBody { get; set; }
        public string[] Attachments { get; set; } = new string[0];
        /// <summary>Low, Normal or High.</summary>
        public string Priority { get; set; } = "Normal";
        public Dictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();
    }
}
