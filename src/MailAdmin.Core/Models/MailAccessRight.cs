using System;

namespace MailAdmin.Models
{
    /// <summary>A right one mailbox (the trustee) holds on another.</summary>
    public enum MailAccessRight
    {
        ReadOnly, FullAccess, SendAs, SendOnBehalf
    }
}
