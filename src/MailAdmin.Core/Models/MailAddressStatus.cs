using System;

namespace MailAdmin.Models
{
    /// <summary>What an address is at the provider.</summary>
    public enum MailAddressStatus
    {
        Invalid, Available, Mailbox, Alias, Group
    }
}
