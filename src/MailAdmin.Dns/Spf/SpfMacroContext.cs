using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailAdmin.Dns.Spf
{
    /// <summary>What macros expand to (RFC 7208 7.2).</summary>
    public sealed class SpfMacroContext
    {
        public string Sender { get; set; }
        public string LocalPart { get; set; }
        public string SenderDomain { get; set; }
        public string Domain { get; set; }
        public IPAddress Ip { get; set; }
        public string Helo { get; set; }
        /// <summary>The validated domain name of the IP (the p macro); "unknown" when none.</summary>
        public string ValidatedName { get; set; }
        public string ReceiverDomain { get; set; } = "unknown";
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
    }
}
