namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// The Local provider's one database and the stores over it, one per capability: domains (with DKIM keys), mailboxes,
    /// groups, permissions (with mailbox settings), rules (with auto-replies and their Sieve scripts), the security policy, app
    /// passwords, and the mail server's own state (<see cref="IMailServerState"/>). LocalMailProvider is only the face that
    /// the cmdlets see.
    /// </summary>
    internal sealed class LocalStore
    {
        public LocalStore(string path)
            : this(new LocalDatabase(path))
        {
        }

        public LocalStore(LocalDatabase db)
        {
            Db = db;
            Domains = new LocalDomainStore(this);
            Dkim = new LocalDkimKeyStore(this);
            Mailboxes = new LocalMailboxStore(this);
            Groups = new LocalGroupStore(this);
            Permissions = new LocalPermissionStore(this);
            Security = new LocalSecurityStore(this);
            Rules = new LocalRuleStore(this);
            AppPasswords = new LocalAppPasswordStore(this);
            Server = new DovecotServerState(this);
        }

        public LocalDatabase Db { get; }
        public LocalDomainStore Domains { get; }
        public LocalDkimKeyStore Dkim { get; }
        public LocalMailboxStore Mailboxes { get; }
        public LocalGroupStore Groups { get; }
        public LocalPermissionStore Permissions { get; }
        public LocalSecurityStore Security { get; }
        public LocalRuleStore Rules { get; }
        public LocalAppPasswordStore AppPasswords { get; }
        public IMailServerState Server { get; }

        /// <summary>A settings row, or null.</summary>
        public string Setting(string name)
            => Db.Read(c => LocalDatabase.Scalar(c, null, "SELECT value FROM settings WHERE name = $n", ("$n", name)) as string);

        /// <summary>The dovecot.conf Export-MailServerConfig wrote for this store (null: the store serves no Dovecot yet).</summary>
        public string DovecotConfig() => Setting(DovecotAcl.ConfigSetting);
    }
}
