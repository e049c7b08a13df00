using System;

namespace MailAdmin.Models
{
    /// <summary>A domain's DKIM key as the admin sees it: never the private key.</summary>
    public sealed class MailDkimKey
    {
        public string Domain { get; set; }
        public string Selector { get; set; }
        public MailDkimKeyStatus Status { get; set; }
        public DateTime CreatedAt { get; set; }
        /// <summary>The TXT record's owner name (selector._domainkey.domain).</summary>
        public string DnsName { get; set; }
        /// <summary>The TXT record's value (v=DKIM1; k=rsa; p=...).</summary>
        public string DnsValue { get; set; }
        public override string ToString() => $"{Domain} {Selector} ({Status})";
    }
}
