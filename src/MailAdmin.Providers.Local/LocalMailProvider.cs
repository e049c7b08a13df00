using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;
using System.Data.Common;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// The embedded provider: the directory of a self-hosted Postfix + Dovecot server, kept in a SQLite file that both read.
    /// All methods complete synchronously (SQLite is in-process); they honour the token between statements. This class is the
    /// face the cmdlets see: each capability is a store of its own over one database (<see cref="LocalStore"/>).
    /// </summary>
    public sealed class LocalMailProvider : IMailProvider, IDomainStore, IDomainDnsRecordSource, IMailboxStore,
        IMailboxPasswordStore, IGroupStore, IPermissionStore, IMailboxSettingsStore, ISecurityPolicyStore, IMailRuleStore, IAutoReplyStore,
        IAppPasswordStore, ILastLoginSource, IMailServerConfigExporter, IMailServerStateStore, IMailDkimKeyManager,
        IDomainVerifier
    {
        public const string ProviderName = "Local";
        public const MailCapability AllCapabilities = MailCapability.Domains | MailCapability.DomainDnsRecords | MailCapability.Mailboxes
            | MailCapability.MailboxPasswords | MailCapability.Groups | MailCapability.Permissions | MailCapability.MailboxSettings
            | MailCapability.SecurityPolicy | MailCapability.Rules | MailCapability.AutoReply | MailCapability.SecurityReport | MailCapability.AppPasswords
            | MailCapability.DomainVerification
            | MailCapability.SharedMailboxes;

        private readonly LocalStore _s;
        private LocalDatabase _db => _s.Db;

        public LocalMailProvider(string path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                path = DefaultPath;
            }

            _s = new LocalStore(path);
        }

        private LocalMailProvider(LocalStore store)
        {
            _s = store;
        }

        /// <summary>
        /// A Local store in PostgreSQL, for several mail hosts reading one directory: created with its schema (schemas 'main' and
        /// 'secret') when the database is empty. The password comes apart from the connection string and is never shown back.
        /// </summary>
        public static LocalMailProvider OpenPostgres(string connectionString, SecretText password, string username = null)
            => new LocalMailProvider(new LocalStore(new LocalDatabase(new PostgresStoreDialect(connectionString, password, username))));

        /// <summary>Opens the store the options name: -ConnectionString (PostgreSQL) or -Path (SQLite, the default).</summary>
        public static LocalMailProvider Open(ProviderOptions options)
        {
            var cs = options?.GetString("ConnectionString");
            if (string.IsNullOrWhiteSpace(cs))
            {
                return new LocalMailProvider(options?.GetString("Path"));
            }

            if (!string.IsNullOrWhiteSpace(options.GetString("Path")))
            {
                throw MailAdminException.Invalid("StoreNamedTwice",
                    "Give either -Path (a SQLite store file) or -ConnectionString (a PostgreSQL store), not both.", null);
            }

            return OpenPostgres(cs, options["Password"] as SecretText, options.GetString("Username"));
        }

        /// <summary>MAILADMIN_STORE if set, else mailadmin.db in the per-user data folder.</summary>
        public static string DefaultPath
        {
            get
            {
                var env = Environment.GetEnvironmentVariable("MAILADMIN_STORE");
                if (!string.IsNullOrWhiteSpace(env))
                {
                    return env;
                }

                var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
                if (string.IsNullOrEmpty(root))
                {
                    root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
                }

                return Path.Combine(root, "MailAdmin", "mailadmin.db");
            }
        }

        public static ProviderDescriptor Descriptor { get; } = new ProviderDescriptor(ProviderName,
            "Self-hosted Postfix + Dovecot; the directory is a SQLite file (or a PostgreSQL database for several mail hosts) both read "
            + "through their SQL lookups.",
            AllCapabilities, Open);

        public string Name => ProviderName;
        public MailCapability Capabilities => AllCapabilities;
        public string Target => _db.Path;
        public string StorePath => _db.Path;
        public int SchemaVersion => _db.Read(c => _db.Dialect.ReadVersion(c, null));

        /// <summary>The store's database (Copy-MailStore reads it whole: <see cref="LocalStoreCopy"/>).</summary>
        internal LocalDatabase Database => _db;

        public void Dispose()
        {
        }

        // ---------------------------------------------------------------- domains and DKIM keys (LocalDomainStore, LocalDkimKeyStore)

        public Task<MailDomain> AddDomainAsync(string name, string mailHost, CancellationToken ct) => _s.Domains.AddDomainAsync(name, mailHost, ct);
        public Task<MailDomain> GetDomainAsync(string name, CancellationToken ct) => _s.Domains.GetDomainAsync(name, ct);

        /// <summary>
        /// Confirm-MailDomain on Local: this server is the domain's own, so there is no third party to prove ownership to and a
        /// domain is Verified from the moment it is added; the domain is returned as stored (an unknown one is ObjectNotFound).
        /// Whether DNS serves its records is Wait-MailDnsPropagation's and Test-MailDomain's to say.
        /// </summary>
        public Task<MailDomain> VerifyDomainAsync(string name, CancellationToken ct) => _s.Domains.GetDomainAsync(name, ct);
        public IAsyncEnumerable<MailDomain> ListDomains(string pattern) => _s.Domains.ListDomains(pattern);
        public Task RemoveDomainAsync(string name, bool force, CancellationToken ct) => _s.Domains.RemoveDomainAsync(name, force, null, ct);
        public Task RemoveDomainAsync(string name, bool force, MailRemovalOptions options, CancellationToken ct)
            => _s.Domains.RemoveDomainAsync(name, force, options, ct);
        public Task<IReadOnlyList<MailDnsRecord>> GetDnsRecordsAsync(string name, CancellationToken ct) => _s.Domains.GetDnsRecordsAsync(name, ct);
        /// <summary>The DKIM private key (PKCS#1 PEM) of a domain's signing key.</summary>
        public (string selector, string privateKeyPem) GetDkimPrivateKey(string name) => _s.Domains.GetDkimPrivateKey(name);
        public IReadOnlyList<MailDkimKey> GetDkimKeys(string domain) => _s.Dkim.GetDkimKeys(domain);
        public MailDkimKey NewDkimKey(string domain, string selector) => _s.Dkim.NewDkimKey(domain, selector);
        public MailDkimKey SwitchDkimKey(string domain) => _s.Dkim.SwitchDkimKey(domain);

        // ---------------------------------------------------------------- mailboxes (LocalMailboxStore)

        public Task<Mailbox> CreateMailboxAsync(MailboxCreateRequest request, CancellationToken ct) => _s.Mailboxes.CreateMailboxAsync(request, ct);
        public Task<Mailbox> GetMailboxAsync(string identity, CancellationToken ct) => _s.Mailboxes.GetMailboxAsync(identity, ct);
        public IAsyncEnumerable<Mailbox> ListMailboxes(MailboxQuery query) => _s.Mailboxes.ListMailboxes(query);
        /// <summary>A mailbox made shared also loses the sessions its owner has open (as at removal): from the commit on, no login
        /// is accepted, and none made before stays.</summary>
        public async Task<Mailbox> UpdateMailboxAsync(string identity, MailboxUpdate update, CancellationToken ct)
        {
            var m = await _s.Mailboxes.UpdateMailboxAsync(identity, update, ct).ConfigureAwait(false);
            if (update?.Type == MailboxType.Shared)
            {
                _s.Server.EndSessions(MailAdmin.Validation.MailNames.NormalizeAddress(m.Address));
            }

            return m;
        }
        public Task RemoveMailboxAsync(string identity, CancellationToken ct) => _s.Mailboxes.RemoveMailboxAsync(identity, null, ct);
        public Task RemoveMailboxAsync(string identity, MailRemovalOptions options, CancellationToken ct)
            => _s.Mailboxes.RemoveMailboxAsync(identity, options, ct);
        /// <summary>A disabled mailbox also loses the sessions it has open (a leaver's phone stays signed in otherwise): from the
        /// commit on, no login is accepted, and none made before stays.</summary>
        public async Task<Mailbox> SetMailboxEnabledAsync(string identity, bool enabled, CancellationToken ct)
        {
            var m = await _s.Mailboxes.SetMailboxEnabledAsync(identity, enabled, ct).ConfigureAwait(false);
            if (!enabled)
            {
                _s.Server.EndSessions(MailAdmin.Validation.MailNames.NormalizeAddress(m.Address));
            }

            return m;
        }
        public Task SetPasswordAsync(string identity, SecretText password, bool forceChange, CancellationToken ct)
            => _s.Mailboxes.SetPasswordAsync(identity, password, forceChange, ct);
        /// <summary>Checks a password against the stored hash (what Dovecot does at login); for tests and diagnostics.</summary>
        public bool VerifyPassword(string identity, string password) => _s.Mailboxes.VerifyPassword(identity, password);

        // ---------------------------------------------------------------- groups (LocalGroupStore)

        public Task<MailGroup> CreateGroupAsync(MailGroup group, CancellationToken ct) => _s.Groups.CreateGroupAsync(group, ct);
        public Task<MailGroup> GetGroupAsync(string address, CancellationToken ct) => _s.Groups.GetGroupAsync(address, ct);
        public IAsyncEnumerable<MailGroup> ListGroups(string pattern) => _s.Groups.ListGroups(pattern);
        public Task<MailGroup> UpdateGroupAsync(string address, MailGroupUpdate update, CancellationToken ct)
            => _s.Groups.UpdateGroupAsync(address, update, ct);
        public Task RemoveGroupAsync(string address, CancellationToken ct) => _s.Groups.RemoveGroupAsync(address, ct);
        public Task<MailGroup> AddMembersAsync(string address, IReadOnlyList<string> members, CancellationToken ct)
            => _s.Groups.AddMembersAsync(address, members, ct);
        public Task<MailGroup> RemoveMembersAsync(string address, IReadOnlyList<string> members, CancellationToken ct)
            => _s.Groups.RemoveMembersAsync(address, members, ct);
        public Task<IReadOnlyList<MailGroupMember>> GetMembersAsync(string address, CancellationToken ct) => _s.Groups.GetMembersAsync(address, ct);

        // ---------------------------------------------------------------- permissions and mailbox settings (LocalPermissionStore)

        public Task GrantAsync(string mailbox, string trustee, MailAccessRight right, CancellationToken ct)
            => _s.Permissions.GrantAsync(mailbox, trustee, right, ct);
        public Task RevokeAsync(string mailbox, string trustee, MailAccessRight right, CancellationToken ct)
            => _s.Permissions.RevokeAsync(mailbox, trustee, right, ct);
        public Task SetRoleAsync(string mailbox, MailRole role, CancellationToken ct) => _s.Permissions.SetRoleAsync(mailbox, role, ct);
        public Task SetSendScopeAsync(string mailbox, MailSendScope scope, CancellationToken ct) => _s.Permissions.SetSendScopeAsync(mailbox, scope, ct);
        public IAsyncEnumerable<MailPermission> ListPermissions(string mailbox, string trustee) => _s.Permissions.ListPermissions(mailbox, trustee);
        public Task<MailboxSettings> GetSettingsAsync(string mailbox, CancellationToken ct) => _s.Permissions.GetSettingsAsync(mailbox, ct);
        public Task<MailboxSettings> SetSettingsAsync(string mailbox, MailboxSettingsUpdate update, CancellationToken ct)
            => _s.Permissions.SetSettingsAsync(mailbox, update, ct);

        // ---------------------------------------------------------------- security policy, app passwords, logins

        public Task<MailSecurityPolicy> GetSecurityPolicyAsync(string mailbox, CancellationToken ct) => _s.Security.GetSecurityPolicyAsync(mailbox, ct);
        public Task<MailSecurityPolicy> SetSecurityPolicyAsync(string mailbox, MailSecurityPolicyUpdate update, CancellationToken ct)
            => _s.Security.SetSecurityPolicyAsync(mailbox, update, ct);
        public Task<(MailAppPassword info, SecretText secret)> CreateAppPasswordAsync(string mailbox, string name, CancellationToken ct)
            => _s.AppPasswords.CreateAppPasswordAsync(mailbox, name, ct);
        public Task<IReadOnlyList<MailAppPassword>> GetAppPasswordsAsync(string mailbox, CancellationToken ct)
            => _s.AppPasswords.GetAppPasswordsAsync(mailbox, ct);
        public Task RemoveAppPasswordAsync(string mailbox, string name, CancellationToken ct) => _s.AppPasswords.RemoveAppPasswordAsync(mailbox, name, ct);
        public Task<IReadOnlyDictionary<string, DateTime>> GetLastLoginsAsync(CancellationToken ct)
            => Task.FromResult<IReadOnlyDictionary<string, DateTime>>(_s.ReadLastLogins());

        // ---------------------------------------------------------------- rules and auto-replies (LocalRuleStore)

        public Task<IReadOnlyList<MailRule>> GetRulesAsync(string mailbox, CancellationToken ct) => _s.Rules.GetRulesAsync(mailbox, ct);
        public Task<MailRule> AddRuleAsync(MailRule rule, CancellationToken ct) => _s.Rules.AddRuleAsync(rule, ct);
        public Task<MailRule> SetRuleAsync(MailRule rule, CancellationToken ct) => _s.Rules.SetRuleAsync(rule, ct);
        public Task RemoveRuleAsync(string mailbox, string name, CancellationToken ct) => _s.Rules.RemoveRuleAsync(mailbox, name, ct);
        public Task<MailAutoReply> GetAutoReplyAsync(string mailbox, CancellationToken ct) => _s.Rules.GetAutoReplyAsync(mailbox, ct);
        public Task<MailAutoReply> SetAutoReplyAsync(string mailbox, MailAutoReplyUpdate update, CancellationToken ct)
            => _s.Rules.SetAutoReplyAsync(mailbox, update, ct);

        // ---------------------------------------------------------------- the mail servers (ServerConfig.cs, IMailServerState)

        public IReadOnlyList<string> ExportServerConfig(string templateDirectory, string outputDirectory, MailServerConfigOptions options, bool overwrite)
            => LocalServerConfigExport.Export(_s, templateDirectory, outputDirectory, options, overwrite);
        public IReadOnlyList<MailServerStateChange> Reconcile(bool apply, IProgress<string> progress, CancellationToken ct)
            => _s.Server.Reconcile(apply, progress, ct);
    }
}
