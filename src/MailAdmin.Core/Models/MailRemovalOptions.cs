using System;

namespace MailAdmin.Models
{
    /// <summary>What happens to a removed mailbox's mail on the server.</summary>
    public sealed class MailRemovalOptions
    {
        /// <summary>Days the mail is kept aside (out of every user's reach) before Sync-MailServerState purges it.</summary>
        public int RetainDays { get; set; } = DefaultRetainDays;
        /// <summary>Delete the mail at once instead of keeping it aside.</summary>
        public bool Purge { get; set; }
        public const int DefaultRetainDays = 30;
    }
}
