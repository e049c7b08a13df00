using System;

namespace MailAdmin.Models
{
    /// <summary>An app password's record (the secret itself is shown once, by New-MailAppPassword).</summary>
    public sealed class MailAppPassword
    {
        public string Mailbox { get; set; }
        public string Name { get; set; }
        public DateTime CreatedAt { get; set; }
        /// <summary>When a mail client last signed in with it, where the provider says (WeCom); null: never, or not reported.</summary>
        public DateTime? LastUsedAt { get; set; }
        /// <summary>The provider's id for it where names need not be unique (WeCom's auth_code_id); null elsewhere.</summary>
        public string Id { get; set; }
        public string Provider { get; set; }
        public override string ToString() => Name;
    }
}
