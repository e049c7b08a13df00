using System;

namespace MailAdmin.Models
{
    /// <summary>Whether a domain's ownership has been established with the provider.</summary>
    public enum MailDomainStatus
    {
        Pending, Verified
    }
}
