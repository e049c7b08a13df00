using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>One member of a group.</summary>
    public sealed class MailGroupMember
    {
        public string Group { get; set; }
        public string Address { get; set; }
        public string DisplayName { get; set; }
        /// <summary>True when the member is a mailbox or group of this directory.</summary>
        public bool IsInternal { get; set; }
        public override string ToString() => Address;
    }
}
