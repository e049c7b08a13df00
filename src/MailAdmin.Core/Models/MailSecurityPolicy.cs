using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>A security policy: the store's (Mailbox empty) or the one in effect for a mailbox (Source says which parts are its own).</summary>
    public sealed class MailSecurityPolicy
    {
        // A setting that is null is one the provider does not report (Exmail, for instance, keeps its password rules in its console).
        /// <summary>The mailbox this policy is in effect for; empty for the store's own policy.</summary>
        public string Mailbox { get; set; }
        public int? MinPasswordLength { get; set; }
        /// <summary>Passwords need three of: lower case, upper case, digits, other characters.</summary>
        public bool? RequireComplexity { get; set; }
        /// <summary>Days a password stays valid for logins; 0: no expiry.</summary>
        public int? PasswordMaxAgeDays { get; set; }
        /// <summary>How eagerly mail the spam filter scored is filed in Junk.</summary>
        public SpamFilterLevel? SpamFilterLevel { get; set; }
        /// <summary>Senders (addresses or domains) whose mail is refused.</summary>
        public string[] BlockedSenders { get; set; } = new string[0];
        /// <summary>Senders (addresses or domains) that are never blocked by a domain entry nor filed in Junk.</summary>
        public string[] AllowedSenders { get; set; } = new string[0];
        /// <summary>Protocol logins (IMAP, POP3, SMTP) only with app passwords: for the store, or in effect for the mailbox.</summary>
        public bool? ForceSecureLogin { get; set; }
        /// <summary>Client logins need TLS (Local: always; Dovecot and Postfix refuse passwords on unencrypted connections).</summary>
        public bool? RequireTls { get; set; }
        /// <summary>For a mailbox: the settings it overrides (the rest come from the store).</summary>
        public string[] Overrides { get; set; } = new string[0];
        /// <summary>The password hash scheme, as Dovecot names it.</summary>
        public string PasswordScheme { get; set; }
        /// <summary>The cost (work factor) of the password hash.</summary>
        public int? PasswordHashCost { get; set; }
        public string Provider { get; set; }
    }
}
