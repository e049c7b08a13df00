using System;

namespace MailAdmin.Models
{
    /// <summary>What a DNS record is for.</summary>
    public enum MailDnsPurpose
    {
        Ownership, Mx, Spf, Dkim, Dmarc, MtaSts, TlsRpt, Autoconfig
    }
}
