using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace MailAdmin.Transport
{
    /// <summary>What happened to one probe message (Test-MailDelivery).</summary>
    public sealed class MailDeliveryTestResult
    {
        public string From { get; set; }
        public string To { get; set; }
        public string MessageId { get; set; }
        public bool Sent { get; set; }
        public bool Delivered { get; set; }
        /// <summary>Where it landed: Inbox, Junk, or another folder's name.</summary>
        public string Folder { get; set; }
        public bool IsJunk { get; set; }
        public TimeSpan? Delay { get; set; }
        /// <summary>The Authentication-Results header(s) the receiving side added, if any.</summary>
        public string[] AuthenticationResults { get; set; } = new string[0];
        public string SpfResult { get; set; }
        public string DkimResult { get; set; }
        public string DmarcResult { get; set; }
        public string SendResponse { get; set; }
        public string Error { get; set; }
        public override string ToString() => $"{From} -> {To}: {(Delivered ? Folder : "not found")}";
    }
}
