using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>Protocol, feature and security switches of a mailbox.</summary>
    public sealed class MailboxSettings
    {
        public string Identity { get; set; }
        public bool ImapEnabled { get; set; } = true;
        public bool PopEnabled { get; set; } = true;
        public bool SmtpEnabled { get; set; } = true;
        /// <summary>True when the mailbox may send outside the organisation (SendScope Any).</summary>
        public bool ExternalSendEnabled { get; set; } = true;
        public bool ArchiveEnabled { get; set; }
        public bool ForceSecureLogin { get; set; }
        /// <summary>Whether secure login is in effect for the mailbox (read-only, where the provider reports it).</summary>
        public bool? SecureLoginActive { get; set; }
        public string Provider { get; set; }
    }
}
