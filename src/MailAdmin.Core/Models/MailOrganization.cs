using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>The organisation behind a hosted mail service (Get-MailOrganization).</summary>
    public sealed class MailOrganization
    {
        public string Id { get; set; }
        public string Name { get; set; }
        public string Domain { get; set; }
        public string Telephone { get; set; }
        public string Address { get; set; }
        public string Introduction { get; set; }
        public string PreferredLanguage { get; set; }
        public DateTime? CreatedAt { get; set; }
        public string Provider { get; set; }
        public override string ToString() => Name;
    }
}
