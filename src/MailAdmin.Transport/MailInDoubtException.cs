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
    /// <summary>The connection failed after the whole message was handed to the server: it may have been accepted. Not retried;
    /// look for <see cref="MessageId"/> in the server's log or the recipient's mailbox before sending again.</summary>
    public sealed class MailInDoubtException : Exception
    {
        public MailInDoubtException(string server, string messageId, Exception inner)
            : base($"The connection to {server} failed after the message <{messageId}> was handed over ({inner.Message}); it may have been accepted, so it "
                + $"was not sent again. Look for Message-ID <{messageId}> in the server's log or the recipient's mailbox before resending.", inner)
        {
            Server = server;
            MessageId = messageId;
        }
        public string Server { get; }
        public string MessageId { get; }
    }
}
