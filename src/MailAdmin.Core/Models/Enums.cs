using System;

namespace MailAdmin.Models
{
    /// <summary>Whether a domain's ownership has been established with the provider.</summary>
    public enum MailDomainStatus { Pending, Verified }

    /// <summary>A mailbox's administrative role.</summary>
    public enum MailRole { User, Admin }

    /// <summary>A right one mailbox (the trustee) holds on another.</summary>
    public enum MailAccessRight { ReadOnly, FullAccess, SendAs, SendOnBehalf }

    /// <summary>Where a mailbox may send mail to.</summary>
    public enum MailSendScope { None, Internal, Any }

    /// <summary>Who may send mail to a group.</summary>
    public enum MailGroupSenderPolicy { Anyone, Organization, Members, Listed }

    /// <summary>What a DNS record is for.</summary>
    public enum MailDnsPurpose { Ownership, Mx, Spf, Dkim, Dmarc, MtaSts, TlsRpt, Autoconfig }

    /// <summary>What a provider can do; a cmdlet asks for the capability it needs.</summary>
    [Flags]
    public enum MailCapability
    {
        None = 0,
        Domains = 1,
        DomainDnsRecords = 2,
        Mailboxes = 4,
        MailboxPasswords = 8,
        Groups = 16,
        Permissions = 32,
        MailboxSettings = 64,
        SecurityPolicy = 128,
        /// <summary>Get-MailLog: the provider keeps mail, login and admin logs.</summary>
        Logs = 256,
        /// <summary>Get-MailboxLoginUrl: one-time sign-in links.</summary>
        LoginUrls = 512,
        /// <summary>Test-MailAddress: whether addresses are free, mailboxes, aliases or groups.</summary>
        AddressCheck = 1024,
        /// <summary>Confirm-MailDomain: the provider checks ownership on request.</summary>
        DomainVerification = 2048,
        /// <summary>Add-/Remove-MailDomainAlias.</summary>
        DomainAliases = 4096,
        /// <summary>Get-MailOrganization.</summary>
        Organization = 8192,
        /// <summary>New-/Get-/Set-/Remove-MailRule.</summary>
        Rules = 16384,
        /// <summary>Set-/Get-MailAutoReply.</summary>
        AutoReply = 32768,
        /// <summary>Get-MailSecurityReport can read the directory (mailboxes, groups, permissions) and settings.</summary>
        SecurityReport = 65536,
        /// <summary>New-/Get-/Remove-MailAppPassword.</summary>
        AppPasswords = 131072,
        /// <summary>New-Mailbox -Shared, Get-Mailbox -Shared: mailboxes that people use through permissions instead of signing in.</summary>
        SharedMailboxes = 262144,
    }

    /// <summary>What kind of mailbox: a person's, or a shared one that nobody signs in to (used through FullAccess/SendAs, or
    /// the provider's own notion: WeCom's public mailboxes).</summary>
    public enum MailboxType { User, Shared }

    /// <summary>Which log Get-MailLog reads.</summary>
    public enum MailLogKind { Mail, Login, Operation, BatchJob, Summary }

    /// <summary>Which mail a mail log lists.</summary>
    public enum MailDirection { Both, Sent, Received }

    /// <summary>What an address is at the provider.</summary>
    public enum MailAddressStatus { Invalid, Available, Mailbox, Alias, Group }
}
