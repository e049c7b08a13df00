using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>What one address is at the provider (Test-MailAddress).</summary>
    public sealed class MailAddressCheck
    {
        public string Address { get; set; }
        public MailAddressStatus Status { get; set; }
        public bool IsAvailable => Status == MailAddressStatus.Available;
        public string Provider { get; set; }
        public override string ToString() => Address;
    }
}
