using System;

namespace MailAdmin.Models
{
    /// <summary>A mailbox's administrative role.</summary>
    public enum MailRole
    {
        User, Admin
    }
}
