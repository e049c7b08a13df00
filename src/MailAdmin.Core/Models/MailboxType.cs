using System;

namespace MailAdmin.Models
{
    /// <summary>What kind of mailbox: a person's, or a shared one that nobody signs in to (used through FullAccess/SendAs, or
    /// the provider's own notion: WeCom's public mailboxes).</summary>
    public enum MailboxType
    {
        User, Shared
    }
}
