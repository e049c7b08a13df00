using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>Changes Set-MailboxSetting asks for; null leaves a switch as it is.</summary>
    public sealed class MailboxSettingsUpdate
    {
        public bool? ImapEnabled { get; set; }
        public bool? PopEnabled { get; set; }
        public bool? SmtpEnabled { get; set; }
        public bool? ExternalSendEnabled { get; set; }
        public bool? ArchiveEnabled { get; set; }
        public bool? ForceSecureLogin { get; set; }
        public bool IsEmpty => !(ImapEnabled.HasValue || PopEnabled.HasValue || SmtpEnabled.HasValue
            || ExternalSendEnabled.HasValue || ArchiveEnabled.HasValue || ForceSecureLogin.HasValue);
    }
}
