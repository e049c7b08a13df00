using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>Changes Set-MailGroup asks for; null leaves a field as it is.</summary>
    public sealed class MailGroupUpdate
    {
        public string DisplayName { get; set; }
        public MailGroupSenderPolicy? WhoCanSend { get; set; }
        public string[] AllowedSenders { get; set; }
    }
}
