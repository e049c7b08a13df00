using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>A mail domain bound to a provider.</summary>
    public sealed class MailDomain
    {
        /// <summary>The domain in Unicode form (IDN shown as people write it).</summary>
        public string Name { get; set; }
        /// <summary>The ASCII (punycode) form, as stored and as DNS sees it.</summary>
        public string AsciiName { get; set; }
        public MailDomainStatus Status { get; set; }
        public bool IsPrimary { get; set; }
        public bool Enabled { get; set; } = true;
        /// <summary>The host that receives mail for the domain (target of its MX record).</summary>
        public string MailHost { get; set; }
        public int MailboxCount { get; set; }
        public int GroupCount { get; set; }
        /// <summary>Whether the provider has seen the domain's MX pointing to it (null where the provider does not say).</summary>
        public bool? IsMxVerified { get; set; }
        /// <summary>Other names that receive the same mail (domain aliases), where the provider keeps them.</summary>
        public string[] Aliases { get; set; } = new string[0];
        public DateTime CreatedAt { get; set; }
        public string Provider { get; set; }
        public override string ToString() => Name;
    }

    /// <summary>A DNS record a domain needs at its DNS host.</summary>
    public sealed class MailDnsRecord
    {
        public string Zone { get; set; }
        /// <summary>Fully qualified owner name, without the trailing dot.</summary>
        public string Name { get; set; }
        public string Type { get; set; }
        public string Value { get; set; }
        public int? Priority { get; set; }
        public int Ttl { get; set; } = 3600;
        public MailDnsPurpose Purpose { get; set; }
        public bool Required { get; set; } = true;
        public string Note { get; set; }
        public override string ToString() => $"{Name} {Ttl} IN {Type} {(Priority.HasValue ? Priority + " " : "")}{Value}";
    }

    /// <summary>A user mailbox.</summary>
    public sealed class Mailbox
    {
        public string Address { get; set; }
        public string DisplayName { get; set; }
        public string Department { get; set; }
        public string JobTitle { get; set; }
        public string Mobile { get; set; }
        public MailRole Role { get; set; }
        public bool Enabled { get; set; } = true;
        public string[] Aliases { get; set; } = new string[0];
        public long? QuotaMB { get; set; }
        /// <summary>Space the mail takes on the server in MB, as the mail server last reported it (null: not reported).</summary>
        public double? UsedMB { get; set; }
        /// <summary>UsedMB as a percentage of QuotaMB (null without a quota or a usage figure).</summary>
        public double? QuotaUsedPercent => QuotaMB.HasValue && QuotaMB.Value > 0 && UsedMB.HasValue ? Math.Round(100.0 * UsedMB.Value / QuotaMB.Value, 1) : (double?)null;
        /// <summary>False until a password has been set (a mailbox created without one cannot log in).</summary>
        public bool HasPassword { get; set; }
        public DateTime? PasswordLastSet { get; set; }
        public DateTime CreatedAt { get; set; }
        public string Domain { get; set; }
        public string Provider { get; set; }
        public string Id { get; set; }
        /// <summary>The directory's own name for the person where it differs from the address (WeCom's UserID); null elsewhere.</summary>
        public string UserId { get; set; }
        /// <summary>Holds a paid advanced-feature seat (WeCom's 高级功能 account); null where the provider has no such seats.</summary>
        public bool? AdvancedFeatures { get; set; }
        /// <summary>User, or Shared: a mailbox nobody signs in to, used by the people who hold permissions on it.</summary>
        public MailboxType Type { get; set; }
        public bool IsShared => Type == MailboxType.Shared;
        public override string ToString() => Address;
    }

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

    /// <summary>Changes Set-Mailbox asks for; null leaves a field as it is.</summary>
    public sealed class MailboxUpdate
    {
        public string DisplayName { get; set; }
        public string Department { get; set; }
        public string JobTitle { get; set; }
        public string Mobile { get; set; }
        public long? QuotaMB { get; set; }
        public bool ClearQuota { get; set; }
        public string[] AddAliases { get; set; }
        public string[] RemoveAliases { get; set; }
        /// <summary>Converts the mailbox: to Shared its password and app passwords are removed; to User it has none until one is set.</summary>
        public MailboxType? Type { get; set; }
    }

    /// <summary>Filters of Get-Mailbox.</summary>
    public sealed class MailboxQuery
    {
        /// <summary>An address, or a wildcard pattern (* ? [..]).</summary>
        public string Identity { get; set; }
        public string Domain { get; set; }
        public string Department { get; set; }
        public MailRole? Role { get; set; }
        public bool? Enabled { get; set; }
        public MailboxType? Type { get; set; }
        public int PageSize { get; set; } = 1000;
    }

    /// <summary>A distribution group.</summary>
    public sealed class MailGroup
    {
        public string Address { get; set; }
        public string DisplayName { get; set; }
        public MailGroupSenderPolicy WhoCanSend { get; set; }
        public string[] AllowedSenders { get; set; } = new string[0];
        public string[] Members { get; set; } = new string[0];
        public int MemberCount => Members?.Length ?? 0;
        public string Domain { get; set; }
        public DateTime CreatedAt { get; set; }
        public string Provider { get; set; }
        public override string ToString() => Address;
    }

    /// <summary>One member of a group.</summary>
    public sealed class MailGroupMember
    {
        public string Group { get; set; }
        public string Address { get; set; }
        public string DisplayName { get; set; }
        /// <summary>True when the member is a mailbox or group of this directory.</summary>
        public bool IsInternal { get; set; }
        public override string ToString() => Address;
    }

    /// <summary>Changes Set-MailGroup asks for; null leaves a field as it is.</summary>
    public sealed class MailGroupUpdate
    {
        public string DisplayName { get; set; }
        public MailGroupSenderPolicy? WhoCanSend { get; set; }
        public string[] AllowedSenders { get; set; }
    }

    /// <summary>A right on a mailbox, with the mailbox's role and send scope.</summary>
    public sealed class MailPermission
    {
        /// <summary>The mailbox the right is on.</summary>
        public string Identity { get; set; }
        /// <summary>Who holds the right; empty on a row that only shows Role and SendScope.</summary>
        public string Trustee { get; set; }
        public MailAccessRight? AccessRights { get; set; }
        public MailRole Role { get; set; }
        public MailSendScope SendScope { get; set; }
        public string Provider { get; set; }
    }

    /// <summary>Protocol, feature and security switches of a mailbox.</summary>
    public sealed class MailboxSettings
    {
        public string Identity { get; set; }
        public bool ImapEnabled { get; set; } = true;
        public bool PopEnabled { get; set; } = true;
        public bool SmtpEnabled { get; set; } = true;
        /// <summary>True when the mailbox may send outside the organisation (SendScope Any).</summary>
        public bool ExternalSendEnabled { get; set; } = true;
        public bool ArchiveEnabled { get; set; }
        public bool ForceSecureLogin { get; set; }
        /// <summary>Whether secure login is in effect for the mailbox (read-only, where the provider reports it).</summary>
        public bool? SecureLoginActive { get; set; }
        public string Provider { get; set; }
    }

    /// <summary>Changes Set-MailboxSetting asks for; null leaves a switch as it is.</summary>
    public sealed class MailboxSettingsUpdate
    {
        public bool? ImapEnabled { get; set; }
        public bool? PopEnabled { get; set; }
        public bool? SmtpEnabled { get; set; }
        public bool? ExternalSendEnabled { get; set; }
        public bool? ArchiveEnabled { get; set; }
        public bool? ForceSecureLogin { get; set; }
        public bool IsEmpty => !(ImapEnabled.HasValue || PopEnabled.HasValue || SmtpEnabled.HasValue
            || ExternalSendEnabled.HasValue || ArchiveEnabled.HasValue || ForceSecureLogin.HasValue);
    }

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

    /// <summary>Changes to a security policy; what is null stays. For a mailbox, Reset names overrides to drop (back to the store's).</summary>
    public sealed class MailSecurityPolicyUpdate
    {
        public int? MinPasswordLength { get; set; }
        public bool? RequireComplexity { get; set; }
        public int? PasswordMaxAgeDays { get; set; }
        public int? PasswordHashCost { get; set; }
        public SpamFilterLevel? SpamFilterLevel { get; set; }
        public bool? ForceSecureLogin { get; set; }
        public bool? RequireTls { get; set; }
        public string[] BlockedSenders { get; set; }
        public string[] AllowedSenders { get; set; }
        public string[] Reset { get; set; }
    }

    /// <summary>A provider as Get-MailProvider shows it.</summary>
    public sealed class MailProviderInfo
    {
        public string Name { get; set; }
        public string Description { get; set; }
        public MailCapability Capabilities { get; set; }
        public string[] NotSupported { get; set; } = new string[0];
        public bool IsDefault { get; set; }
        public override string ToString() => Name;
    }

    /// <summary>One entry of a provider's logs (Get-MailLog); which fields are set depends on the Kind.</summary>
    public sealed class MailLogEntry
    {
        public MailLogKind Kind { get; set; }
        public DateTime? Time { get; set; }
        /// <summary>The mailbox the entry is about (login log, mail log filter).</summary>
        public string Mailbox { get; set; }
        public MailDirection? Direction { get; set; }
        public string Sender { get; set; }
        public string Recipient { get; set; }
        public string Subject { get; set; }
        /// <summary>The outcome or kind of the entry as a name (e.g. Delivered, Bounced, Web, AddUser).</summary>
        public string Status { get; set; }
        public string Type { get; set; }
        public string ClientAddress { get; set; }
        public string Operator { get; set; }
        public string Operand { get; set; }
        public string Remark { get; set; }
        /// <summary>Summary: messages sent and received in the period.</summary>
        public long? SentCount { get; set; }
        public long? ReceivedCount { get; set; }
        public string Domain { get; set; }
        public string Provider { get; set; }
    }

    /// <summary>What Get-MailLog asks for.</summary>
    public sealed class MailLogQuery
    {
        public MailLogKind Kind { get; set; }
        public DateTime Start { get; set; }
        public DateTime End { get; set; }
        public string Mailbox { get; set; }
        public string Domain { get; set; }
        public string Subject { get; set; }
        public MailDirection Direction { get; set; }
        /// <summary>Operation log category (provider-specific number; 1 = all).</summary>
        public int? Category { get; set; }
    }

    /// <summary>A one-time sign-in link for a mailbox (Get-MailboxLoginUrl). The link is a credential: hand it over, do not log it.</summary>
    public sealed class MailboxLoginUrl
    {
        public string Identity { get; set; }
        public string Url { get; set; }
        public DateTime ExpiresAt { get; set; }
        public string Provider { get; set; }
        public override string ToString() => Identity;
    }

    /// <summary>What one address is at the provider (Test-MailAddress).</summary>
    public sealed class MailAddressCheck
    {
        public string Address { get; set; }
        public MailAddressStatus Status { get; set; }
        public bool IsAvailable => Status == MailAddressStatus.Available;
        public string Provider { get; set; }
        public override string ToString() => Address;
    }

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
