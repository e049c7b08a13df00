using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>A right on a mailbox, with the mailbox's role and send scope.</summary>
    public sealed class MailPermission
    {
        /// <summary>The mailbox the right is on.</summary>
        public string Identity { get; set; }
        /// <summary>Who holds the right; empty on a row that only shows Role and SendScope.</summary>
        public string Trustee { get; set; }
        public MailAccessRight? AccessRights { get; set; }
        public MailRole Role { get; set; }
        public MailSendScope SendScope { get; set; }
        public string Provider { get; set; }
    }
}
