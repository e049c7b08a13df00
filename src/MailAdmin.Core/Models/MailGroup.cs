using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>A distribution group.</summary>
    public sealed class MailGroup
    {
        public string Address { get; set; }
        public string DisplayName { get; set; }
        public MailGroupSenderPolicy WhoCanSend { get; set; }
        public string[] AllowedSenders { get; set; } = new string[0];
        public string[] Members { get; set; } = new string[0];
        public int MemberCount => Members?.Length ?? 0;
        public string Domain { get; set; }
        public DateTime CreatedAt { get; set; }
        public string Provider { get; set; }
        public override string ToString() => Address;
    }
}
