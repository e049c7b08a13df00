using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>
    /// A forward-only cursor over a list a provider pages through; holds one page at a time.
    /// (netstandard2.0 has no IAsyncEnumerable without an extra package that would clash with
    /// PowerShell's own copy across load contexts; this is the same shape.)
    /// </summary>
    public interface IMailCursor<out T> : IDisposable
    {
        Task<bool> MoveNextAsync(CancellationToken cancellationToken);
        T Current { get; }
    }

    /// <summary>A back end. It implements the capability interfaces below that it supports.</summary>
    public interface IMailProvider : IDisposable
    {
        string Name { get; }
        MailCapability Capabilities { get; }
        /// <summary>Where it points: a store path or an API host; never a secret.</summary>
        string Target { get; }
    }

    public interface IDomainStore
    {
        Task<MailDomain> AddDomainAsync(string name, string mailHost, CancellationToken ct);
        Task<MailDomain> GetDomainAsync(string name, CancellationToken ct);
        IMailCursor<MailDomain> ListDomains(string pattern);
        Task RemoveDomainAsync(string name, bool force, CancellationToken ct);
    }

    public interface IDomainDnsRecordSource
    {
        Task<IReadOnlyList<MailDnsRecord>> GetDnsRecordsAsync(string domain, CancellationToken ct);
    }

    public interface IMailboxStore
    {
        Task<Mailbox> CreateMailboxAsync(MailboxCreateRequest request, CancellationToken ct);
        Task<Mailbox> GetMailboxAsync(string address, CancellationToken ct);
        IMailCursor<Mailbox> ListMailboxes(MailboxQuery query);
        Task<Mailbox> UpdateMailboxAsync(string address, MailboxUpdate update, CancellationToken ct);
        Task RemoveMailboxAsync(string address, CancellationToken ct);
        Task<Mailbox> SetMailboxEnabledAsync(string address, bool enabled, CancellationToken ct);
    }

    /// <summary>Paid per-mailbox feature seats (WeCom's advanced-feature accounts), given and taken in the provider's batch size.</summary>
    public interface IAdvancedFeatureSeats
    {
        /// <summary>Gives (or takes) a seat to each mailbox; returns the identities the provider refused.</summary>
        Task<IReadOnlyList<string>> SetAdvancedFeaturesAsync(IReadOnlyList<string> identities, bool enabled, CancellationToken ct);
    }

    public interface IMailboxPasswordStore
    {
        /// <summary>Sets the password; with <paramref name="forceChange"/> the user must change it at the next sign-in (providers that cannot say so fail).</summary>
        Task SetPasswordAsync(string address, SecretText password, bool forceChange, CancellationToken ct);
    }

    /// <summary>Logs the provider keeps (Get-MailLog).</summary>
    public interface IMailLogSource
    {
        IMailCursor<MailLogEntry> GetLogs(MailLogQuery query);
    }

    /// <summary>One-time sign-in links (Get-MailboxLoginUrl).</summary>
    public interface IMailboxLoginUrlSource
    {
        Task<MailboxLoginUrl> GetLoginUrlAsync(string address, CancellationToken ct);
    }

    /// <summary>What addresses are at the provider (Test-MailAddress).</summary>
    public interface IAddressChecker
    {
        Task<IReadOnlyList<MailAddressCheck>> CheckAddressesAsync(IReadOnlyList<string> addresses, CancellationToken ct);
    }

    public interface IGroupStore
    {
        Task<MailGroup> CreateGroupAsync(MailGroup group, CancellationToken ct);
        Task<MailGroup> GetGroupAsync(string address, CancellationToken ct);
        IMailCursor<MailGroup> ListGroups(string pattern);
        Task<MailGroup> UpdateGroupAsync(string address, MailGroupUpdate update, CancellationToken ct);
        Task RemoveGroupAsync(string address, CancellationToken ct);
        Task<MailGroup> AddMembersAsync(string address, IReadOnlyList<string> members, CancellationToken ct);
        Task<MailGroup> RemoveMembersAsync(string address, IReadOnlyList<string> members, CancellationToken ct);
        Task<IReadOnlyList<MailGroupMember>> GetMembersAsync(string address, CancellationToken ct);
    }

    public interface IPermissionStore
    {
        Task GrantAsync(string mailbox, string trustee, MailAccessRight right, CancellationToken ct);
        Task RevokeAsync(string mailbox, string trustee, MailAccessRight right, CancellationToken ct);
        Task SetRoleAsync(string mailbox, MailRole role, CancellationToken ct);
        Task SetSendScopeAsync(string mailbox, MailSendScope scope, CancellationToken ct);
        /// <summary>Rows for one mailbox (null: every mailbox), optionally only one trustee's.</summary>
        IMailCursor<MailPermission> ListPermissions(string mailbox, string trustee);
    }

    public interface IMailboxSettingsStore
    {
        Task<MailboxSettings> GetSettingsAsync(string mailbox, CancellationToken ct);
        Task<MailboxSettings> SetSettingsAsync(string mailbox, MailboxSettingsUpdate update, CancellationToken ct);
    }

    /// <summary>The security policy of the whole store (mailbox null) or one mailbox's overrides.</summary>
    public interface ISecurityPolicyStore
    {
        /// <summary>The store's policy, or with a mailbox the policy in effect for it (its overrides over the store's).</summary>
        Task<MailSecurityPolicy> GetSecurityPolicyAsync(string mailbox, CancellationToken ct);
        Task<MailSecurityPolicy> SetSecurityPolicyAsync(string mailbox, MailSecurityPolicyUpdate update, CancellationToken ct);
    }

    /// <summary>A mailbox's rules (filed by priority).</summary>
    public interface IMailRuleStore
    {
        /// <summary>The rules of one mailbox, or of every mailbox when mailbox is null, by mailbox then priority.</summary>
        Task<IReadOnlyList<MailRule>> GetRulesAsync(string mailbox, CancellationToken ct);
        Task<MailRule> AddRuleAsync(MailRule rule, CancellationToken ct);
        /// <summary>Replaces the rule of that mailbox and name with this one.</summary>
        Task<MailRule> SetRuleAsync(MailRule rule, CancellationToken ct);
        Task RemoveRuleAsync(string mailbox, string name, CancellationToken ct);
    }

    /// <summary>App passwords: extra, revocable passwords for mail clients (the only ones that work under ForceSecureLogin).</summary>
    public interface IAppPasswordStore
    {
        /// <summary>Creates one; the secret is returned once and stored only as a hash.</summary>
        Task<(MailAppPassword info, SecretText secret)> CreateAppPasswordAsync(string mailbox, string name, CancellationToken ct);
        Task<IReadOnlyList<MailAppPassword>> GetAppPasswordsAsync(string mailbox, CancellationToken ct);
        Task RemoveAppPasswordAsync(string mailbox, string name, CancellationToken ct);
    }

    /// <summary>When each mailbox last signed in, where the provider records it.</summary>
    public interface ILastLoginSource
    {
        /// <summary>Last sign-in (UTC) by mailbox address; null when sign-ins are not recorded.</summary>
        Task<IReadOnlyDictionary<string, DateTime>> GetLastLoginsAsync(CancellationToken ct);
    }

    public interface IAutoReplyStore
    {
        Task<MailAutoReply> GetAutoReplyAsync(string mailbox, CancellationToken ct);
        Task<MailAutoReply> SetAutoReplyAsync(string mailbox, MailAutoReplyUpdate update, CancellationToken ct);
    }

    /// <summary>Asks the provider to check the domain's ownership record now (Confirm-MailDomain).</summary>
    public interface IDomainVerifier
    {
        Task<MailDomain> VerifyDomainAsync(string name, CancellationToken ct);
    }

    /// <summary>Domain aliases: other names that receive the same mail.</summary>
    public interface IDomainAliasStore
    {
        Task<MailDomain> AddDomainAliasAsync(string domain, string alias, CancellationToken ct);
        Task<MailDomain> RemoveDomainAliasAsync(string domain, string alias, CancellationToken ct);
    }

    /// <summary>The organisation's own record at a hosted provider.</summary>
    public interface IOrganizationInfo
    {
        Task<MailOrganization> GetOrganizationAsync(CancellationToken ct);
    }

    /// <summary>A provider whose mail servers MailAdmin configures (Local): writes Postfix and Dovecot configuration for its store.</summary>
    public interface IMailServerConfigExporter
    {
        /// <summary>Renders the templates in <paramref name="templateDirectory"/> into <paramref name="outputDirectory"/>; returns the files written.</summary>
        IReadOnlyList<string> ExportServerConfig(string templateDirectory, string outputDirectory, MailServerConfigOptions options, bool overwrite);
    }

    /// <summary>A provider whose mail servers hold state beside the directory (Sieve scripts, folder ACLs, the mail itself):
    /// removal takes that state too, and reconciling makes the servers match the directory. The Local provider applies it on
    /// the mail host it runs on; a later multi-host shape can apply it through Dovecot's doveadm HTTP API behind the same calls.</summary>
    public interface IMailServerStateStore
    {
        /// <summary>Removes a mailbox and everything the mail servers hold for it; its mail is kept aside or purged.</summary>
        Task RemoveMailboxAsync(string identity, MailRemovalOptions options, CancellationToken ct);
        /// <summary>Removes a domain (with <paramref name="force"/>, its mailboxes and groups) and what the servers hold for them.</summary>
        Task RemoveDomainAsync(string name, bool force, MailRemovalOptions options, CancellationToken ct);
        /// <summary>Finds where the mail servers differ from the store and, when <paramref name="apply"/>, mends it.</summary>
        IReadOnlyList<MailServerStateChange> Reconcile(bool apply, IProgress<string> progress, CancellationToken ct);
    }
}

namespace MailAdmin.Abstractions
{
    using System.Collections.Generic;
    using MailAdmin.Models;

    /// <summary>DKIM keys of self-hosted domains: the one that signs, the next one (published before it signs) and the previous one.</summary>
    public interface IMailDkimKeyManager
    {
        IReadOnlyList<MailDkimKey> GetDkimKeys(string domain);
        /// <summary>Generates the next key (replacing an unused next key); it signs nothing until <see cref="SwitchDkimKey"/>.</summary>
        MailDkimKey NewDkimKey(string domain, string selector);
        /// <summary>The next key signs from now on; the key that signed until now stays published as the previous key.</summary>
        MailDkimKey SwitchDkimKey(string domain);
    }
}
