using System;

namespace MailAdmin.Models
{
    /// <summary>Where a mailbox may send mail to.</summary>
    public enum MailSendScope
    {
        None, Internal, Any
    }
}
