using System;

namespace MailAdmin.Models
{
    /// <summary>Who may send mail to a group.</summary>
    public enum MailGroupSenderPolicy
    {
        Anyone, Organization, Members, Listed
    }
}
