using System;

namespace MailAdmin.Models
{
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
}
