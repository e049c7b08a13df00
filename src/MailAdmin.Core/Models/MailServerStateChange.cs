using System;

namespace MailAdmin.Models
{
    /// <summary>One difference between the store and what the mail servers hold, found (and, unless only planned, mended) by
    /// Sync-MailServerState.</summary>
    public sealed class MailServerStateChange
    {
        /// <summary>The mailbox concerned (or the store, for files of no mailbox).</summary>
        public string Mailbox { get; set; }
        /// <summary>Mail, Sieve, Acl or Logins.</summary>
        public string Component { get; set; }
        /// <summary>What was (or would be) done: SetAside, Purged, Rewritten, Removed, Reported (left to the admin), or Failed (could
        /// not be mended now; Detail says why, and the next run tries again).</summary>
        public string Change { get; set; }
        public string Detail { get; set; }
        /// <summary>True when the change was made; false when it was only found (-WhatIf, the security report, Reported).</summary>
        public bool Applied { get; set; }
        public string Provider { get; set; }
        public override string ToString() => $"{Component} {Change} {Mailbox}";
    }
}
