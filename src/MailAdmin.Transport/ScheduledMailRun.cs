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
    /// <summary>What one Invoke-ScheduledMail run did.</summary>
    public sealed class ScheduledMailRun
    {
        public int Claimed { get; set; }
        public int Sent { get; set; }
        public int Failed { get; set; }
        public int WillRetry { get; set; }
        /// <summary>Sent messages whose outcome is unknown (the connection failed after the message was handed over): not retried.</summary>
        public int InDoubt { get; set; }
        /// <summary>Due messages queued for another server than the one this run was told to use: left alone.</summary>
        public int OtherServer { get; set; }
        public TimeSpan Duration { get; set; }
    }
}
