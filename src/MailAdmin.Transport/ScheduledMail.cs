using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace MailAdmin.Transport
{
    /// <summary>A message waiting in the local queue (Send-Mail -SendAt).</summary>
    public sealed class ScheduledMail
    {
        public string Id { get; set; }
        public string From { get; set; }
        public string[] To { get; set; }
        public string Subject { get; set; }
        public DateTime SendAt { get; set; }
        /// <summary>Pending, Claimed (a run is about to send it), Sending, Sent, Failed, or InDoubt (handed to the server but the
        /// outcome is unknown: not retried; Invoke-ScheduledMail -ResendInDoubt sends it again deliberately).</summary>
        public string Status { get; set; }
        public int Attempts { get; set; }
        public string LastError { get; set; }
        public DateTime? NextAttemptAt { get; set; }
        public DateTime? SentAt { get; set; }
        public string Server { get; set; }
        public string UserName { get; set; }
        public string MessageId { get; set; }
        public DateTime CreatedAt { get; set; }
        public override string ToString() => Id;
    }
}
