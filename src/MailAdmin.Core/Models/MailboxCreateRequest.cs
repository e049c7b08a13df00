using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>What New-Mailbox asks a provider to create.</summary>
    public sealed class MailboxCreateRequest
    {
        public string Address { get; set; }
        public string DisplayName { get; set; }
        public string Department { get; set; }
        public string JobTitle { get; set; }
        public string Mobile { get; set; }
        public MailRole Role { get; set; }
        public long? QuotaMB { get; set; }
        public bool Enabled { get; set; } = true;
        /// <summary>The initial password; null creates a mailbox that cannot log in until a password is set.</summary>
        public SecretText Password { get; set; }
        /// <summary>Aliases to create with the mailbox.</summary>
        public string[] Aliases { get; set; }
        /// <summary>The user must change the password at the next sign-in (where the provider supports it).</summary>
        public bool ForcePasswordChange { get; set; }
        /// <summary>Create the department path when it does not exist (where departments are provider objects).</summary>
        public bool CreateDepartment { get; set; }
        /// <summary>The directory's name for the person (WeCom's UserID); null: the provider derives it from the address.</summary>
        public string UserId { get; set; }
        /// <summary>Shared: a mailbox nobody signs in to (no password), used through permissions.</summary>
        public MailboxType Type { get; set; }
    }
}
