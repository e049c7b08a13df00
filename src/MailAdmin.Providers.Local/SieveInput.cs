using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>What one mailbox's Sieve script is made of.</summary>
    internal sealed class SieveInput
    {
        public string Mailbox;
        public IReadOnlyList<MailRule> Rules = new MailRule[0];
        public MailAutoReply AutoReply;
        public SpamFilterLevel SpamLevel;
        public IReadOnlyList<string> Blocked = new string[0];
        public IReadOnlyList<string> Allowed = new string[0];
        /// <summary>The store's domains (auto-reply ExternalOnly).</summary>
        public IReadOnlyList<string> Domains = new string[0];
        /// <summary>The mailbox's aliases (auto-reply answers mail to them too).</summary>
        public IReadOnlyList<string> Aliases = new string[0];
        /// <summary>The mailbox overrides the store's spam filter level (so the store's default script would be wrong for it).</summary>
        public bool OwnSpamLevel;
        public bool IsEmpty => Rules.Count == 0 && (AutoReply == null || !AutoReply.Enabled) && Blocked.Count == 0 && Allowed.Count == 0 && !OwnSpamLevel;
    }
}
