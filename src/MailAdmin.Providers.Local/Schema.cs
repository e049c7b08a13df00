namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// The directory's schema as forward migrations (PRAGMA user_version is the version). Shaped so Postfix and Dovecot read
    /// it directly: the postfix_* and dovecot_* views are what their SQL lookups query. Addresses are stored lower case,
    /// domains in ASCII (punycode). Never enable WAL: Postfix's sqlite client opens the file read-only.
    /// </summary>
    internal static class Schema
    {
        public static readonly string[][] Migrations =
        {
            // version 1
            new[]
            {
                @"CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
                @"CREATE TABLE domain (
                    domain      TEXT PRIMARY KEY,
                    active      INTEGER NOT NULL DEFAULT 1,
                    mail_host   TEXT NOT NULL,
                    is_primary  INTEGER NOT NULL DEFAULT 0,
                    created_at  TEXT NOT NULL)",
                @"CREATE TABLE mailbox (
                    username        TEXT PRIMARY KEY,
                    id              TEXT NOT NULL UNIQUE,
                    local_part      TEXT NOT NULL,
                    domain          TEXT NOT NULL REFERENCES domain(domain),
                    password        TEXT,
                    password_set_at TEXT,
                    display_name    TEXT,
                    department      TEXT,
                    job_title       TEXT,
                    mobile          TEXT,
                    role            TEXT NOT NULL DEFAULT 'User',
                    quota_bytes     INTEGER NOT NULL DEFAULT 0,
                    active          INTEGER NOT NULL DEFAULT 1,
                    imap_enabled    INTEGER NOT NULL DEFAULT 1,
                    pop_enabled     INTEGER NOT NULL DEFAULT 1,
                    smtp_enabled    INTEGER NOT NULL DEFAULT 1,
                    send_scope      TEXT NOT NULL DEFAULT 'Any',
                    archive_enabled INTEGER NOT NULL DEFAULT 0,
                    force_secure_login INTEGER NOT NULL DEFAULT 0,
                    created_at      TEXT NOT NULL)",
                @"CREATE INDEX mailbox_domain ON mailbox(domain)",
                @"CREATE INDEX mailbox_department ON mailbox(department COLLATE NOCASE)",
                @"CREATE TABLE mailbox_alias (
                    address TEXT PRIMARY KEY,
                    mailbox TEXT NOT NULL REFERENCES mailbox(username) ON DELETE CASCADE)",
                @"CREATE INDEX mailbox_alias_mailbox ON mailbox_alias(mailbox)",
                @"CREATE TABLE mail_group (
                    address      TEXT PRIMARY KEY,
                    domain       TEXT NOT NULL REFERENCES domain(domain),
                    display_name TEXT,
                    who_can_send TEXT NOT NULL DEFAULT 'Organization',
                    created_at   TEXT NOT NULL)",
                @"CREATE TABLE group_member (
                    group_address TEXT NOT NULL REFERENCES mail_group(address) ON DELETE CASCADE,
                    member        TEXT NOT NULL,
                    PRIMARY KEY (group_address, member))",
                @"CREATE INDEX group_member_member ON group_member(member)",
                @"CREATE TABLE group_sender (
                    group_address TEXT NOT NULL REFERENCES mail_group(address) ON DELETE CASCADE,
                    sender        TEXT NOT NULL,
                    PRIMARY KEY (group_address, sender))",
                @"CREATE TABLE permission (
                    mailbox      TEXT NOT NULL REFERENCES mailbox(username) ON DELETE CASCADE,
                    trustee      TEXT NOT NULL,
                    access_right TEXT NOT NULL,
                    granted_at   TEXT NOT NULL,
                    PRIMARY KEY (mailbox, trustee, access_right))",
                @"CREATE INDEX permission_trustee ON permission(trustee)",
                @"CREATE TABLE dkim_key (
                    domain      TEXT PRIMARY KEY REFERENCES domain(domain) ON DELETE CASCADE,
                    selector    TEXT NOT NULL,
                    private_key TEXT NOT NULL,
                    public_key  TEXT NOT NULL,
                    created_at  TEXT NOT NULL)",
                // Postfix: virtual_mailbox_domains, virtual_mailbox_maps, virtual_alias_maps, smtpd_sender_login_maps.
                @"CREATE VIEW postfix_domains AS SELECT domain FROM domain WHERE active = 1",
                @"CREATE VIEW postfix_mailboxes AS
                    SELECT m.username AS address, m.domain || '/' || m.local_part || '/' AS maildir
                    FROM mailbox m JOIN domain d ON d.domain = m.domain WHERE m.active = 1 AND d.active = 1",
                @"CREATE VIEW postfix_aliases AS
                    SELECT a.address AS address, a.mailbox AS destination
                      FROM mailbox_alias a JOIN mailbox m ON m.username = a.mailbox WHERE m.active = 1
                    UNION ALL
                    SELECT g.address, group_concat(gm.member, ',')
                      FROM mail_group g JOIN group_member gm ON gm.group_address = g.address GROUP BY g.address",
                @"CREATE VIEW postfix_sender_logins AS
                    SELECT address, group_concat(login, ',') AS logins FROM (
                        SELECT username AS address, username AS login FROM mailbox WHERE active = 1
                        UNION SELECT a.address, a.mailbox FROM mailbox_alias a JOIN mailbox m ON m.username = a.mailbox WHERE m.active = 1
                        UNION SELECT p.mailbox, p.trustee FROM permission p WHERE p.access_right = 'SendAs') AS sender_logins
                    GROUP BY address",
                // Dovecot passdb/userdb: one row per login with its protocol switches.
                @"CREATE VIEW dovecot_users AS
                    SELECT m.username AS username, m.password AS password, m.domain AS domain, m.local_part AS local_part,
                           m.quota_bytes AS quota_bytes, m.imap_enabled AS imap_enabled, m.pop_enabled AS pop_enabled,
                           m.smtp_enabled AS smtp_enabled, m.force_secure_login AS force_secure_login
                    FROM mailbox m JOIN domain d ON d.domain = m.domain
                    WHERE m.active = 1 AND d.active = 1 AND m.password IS NOT NULL",
            },
            // version 2: what Postfix needs to enforce the send scope and archiving
            new[]
            {
                // check_sasl_access on the submission ports: a login with a narrowed scope maps to a restriction class
                @"CREATE VIEW postfix_send_scope AS
                    SELECT username AS login,
                           CASE send_scope WHEN 'None' THEN 'mailadmin_send_none' ELSE 'mailadmin_send_internal' END AS restriction
                    FROM mailbox WHERE send_scope IN ('None', 'Internal')",
                // sender_bcc_maps / recipient_bcc_maps: a copy of mail from and to an archived mailbox goes to its +Archive
                // detail, which Dovecot's LMTP files in the Archive folder (lmtp_save_to_detail_mailbox)
                @"CREATE VIEW postfix_archive AS
                    SELECT username AS address, local_part || '+Archive@' || domain AS archive FROM mailbox WHERE archive_enabled = 1 AND active = 1
                    UNION ALL
                    SELECT a.address, m.local_part || '+Archive@' || m.domain FROM mailbox_alias a JOIN mailbox m ON m.username = a.mailbox
                    WHERE m.archive_enabled = 1 AND m.active = 1",
            },
            // version 3: who may send to a group. Postfix refuses lookup tables inside access-map results, so a single lookup
            // on the group address can only say "logged-in senders only": that enforces Organization fully, and for Members and
            // Listed keeps outsiders out (which member may send is not checked by Postfix yet).
            new[]
            {
                @"CREATE VIEW postfix_group_policy AS
                    SELECT address, 'permit_sasl_authenticated, reject' AS restriction
                    FROM mail_group WHERE who_can_send IN ('Organization', 'Members', 'Listed')",
            },
            // version 4: Members and Listed groups go to the restriction class that asks the group sender policy service
            // (mailadmin-policy.sh), which sees sender, login and recipient together. Re-run Export-MailServerConfig after
            // upgrading: an older main.cf does not define the class, and Postfix then defers mail to those groups (fails closed).
            new[]
            {
                "DROP VIEW postfix_group_policy",
                @"CREATE VIEW postfix_group_policy AS
                    SELECT address,
                           CASE who_can_send WHEN 'Organization' THEN 'permit_sasl_authenticated, reject' ELSE 'mailadmin_group_senders' END AS restriction
                    FROM mail_group WHERE who_can_send IN ('Organization', 'Members', 'Listed')",
            },
            // version 5: rules, auto-replies, per-mailbox security policy, sender filters, password expiry for Dovecot
            new[]
            {
                @"CREATE TABLE mail_rule (
                    mailbox    TEXT NOT NULL REFERENCES mailbox(username) ON DELETE CASCADE,
                    name       TEXT NOT NULL,
                    priority   INTEGER NOT NULL,
                    definition TEXT NOT NULL,
                    PRIMARY KEY (mailbox, name))",
                @"CREATE TABLE auto_reply (
                    mailbox       TEXT PRIMARY KEY REFERENCES mailbox(username) ON DELETE CASCADE,
                    enabled       INTEGER NOT NULL DEFAULT 0,
                    subject       TEXT,
                    body          TEXT,
                    start_time    TEXT,
                    end_time      TEXT,
                    external_only INTEGER NOT NULL DEFAULT 0,
                    days          INTEGER NOT NULL DEFAULT 7)",
                @"CREATE TABLE mailbox_policy (
                    mailbox               TEXT PRIMARY KEY REFERENCES mailbox(username) ON DELETE CASCADE,
                    min_password_length   INTEGER,
                    require_complexity    INTEGER,
                    password_max_age_days INTEGER,
                    spam_filter_level     TEXT)",
                // the store's blocked/allowed senders (Postfix refuses blocked ones at RCPT); a mailbox's own are in Sieve
                @"CREATE TABLE sender_filter (
                    entry  TEXT PRIMARY KEY,
                    action TEXT NOT NULL CHECK (action IN ('Block', 'Allow')))",
                // app passwords: protocol logins for mailboxes under ForceSecureLogin; Dovecot tries one passdb per slot
                @"CREATE TABLE app_password (
                    mailbox    TEXT NOT NULL REFERENCES mailbox(username) ON DELETE CASCADE,
                    slot       INTEGER NOT NULL CHECK (slot BETWEEN 1 AND 5),
                    name       TEXT NOT NULL,
                    hash       TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (mailbox, slot),
                    UNIQUE (mailbox, name))",
                @"CREATE TABLE mailbox_sender_filter (
                    mailbox TEXT NOT NULL REFERENCES mailbox(username) ON DELETE CASCADE,
                    entry   TEXT NOT NULL,
                    action  TEXT NOT NULL CHECK (action IN ('Block', 'Allow')),
                    PRIMARY KEY (mailbox, entry))",
                // check_sender_access: an allowed address answers DUNNO, which also stops Postfix from trying its domain
                @"CREATE VIEW postfix_sender_filter AS
                    SELECT entry AS sender,
                           CASE action WHEN 'Block' THEN 'REJECT 5.7.1 this organisation does not accept mail from this sender' ELSE 'DUNNO' END AS result
                    FROM sender_filter",
                "DROP VIEW dovecot_users",
                @"CREATE VIEW dovecot_users AS
                    SELECT m.username AS username, m.password AS password, m.domain AS domain, m.local_part AS local_part,
                           m.quota_bytes AS quota_bytes, m.imap_enabled AS imap_enabled, m.pop_enabled AS pop_enabled,
                           m.smtp_enabled AS smtp_enabled, m.force_secure_login AS force_secure_login,
                           CASE WHEN coalesce(p.password_max_age_days,
                                              (SELECT CAST(value AS INTEGER) FROM settings WHERE name = 'password_max_age_days'), 0) > 0
                                 AND julianday('now') - julianday(coalesce(m.password_set_at, m.created_at))
                                     > coalesce(p.password_max_age_days, (SELECT CAST(value AS INTEGER) FROM settings WHERE name = 'password_max_age_days'))
                                THEN 1 ELSE 0 END AS password_expired,
                           CASE WHEN m.force_secure_login = 1 OR (SELECT value FROM settings WHERE name = 'force_secure_login') = '1'
                                THEN 1 ELSE 0 END AS secure_only
                    FROM mailbox m JOIN domain d ON d.domain = m.domain LEFT JOIN mailbox_policy p ON p.mailbox = m.username
                    WHERE m.active = 1 AND d.active = 1 AND m.password IS NOT NULL",
            },
            // version 6: the send scope by envelope sender (a mailbox or its alias), for mail Postfix takes from this host:
            // Sieve redirects and vacation replies that Dovecot sends as the mailbox
            new[]
            {
                @"CREATE VIEW postfix_sender_scope AS
                    SELECT username AS address,
                           CASE send_scope WHEN 'None' THEN 'mailadmin_send_none' ELSE 'mailadmin_send_internal' END AS restriction
                    FROM mailbox WHERE send_scope IN ('None', 'Internal')
                    UNION ALL
                    SELECT a.address, CASE m.send_scope WHEN 'None' THEN 'mailadmin_send_none' ELSE 'mailadmin_send_internal' END
                    FROM mailbox_alias a JOIN mailbox m ON m.username = a.mailbox WHERE m.send_scope IN ('None', 'Internal')",
            },
            // version 7: secrets leave the directory. Password hashes and app passwords move to the secrets file beside the store
            // (attached as 'secret', mode 0600: root only), which only Dovecot's auth worker reads; Postfix, the policy service
            // and anything else that reads the directory never see them.
            new[]
            {
                @"CREATE TABLE IF NOT EXISTS secret.mailbox_secret (username TEXT PRIMARY KEY, password TEXT NOT NULL)",
                "INSERT INTO secret.mailbox_secret(username, password) SELECT username, password FROM main.mailbox WHERE password IS NOT NULL "
                    + "ON CONFLICT(username) DO UPDATE SET password = excluded.password",
                @"CREATE TABLE IF NOT EXISTS secret.app_password (
                    mailbox    TEXT NOT NULL,
                    slot       INTEGER NOT NULL CHECK (slot BETWEEN 1 AND 5),
                    name       TEXT NOT NULL,
                    hash       TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (mailbox, slot),
                    UNIQUE (mailbox, name))",
                "INSERT INTO secret.app_password SELECT mailbox, slot, name, hash, created_at FROM main.app_password WHERE true "
                    + "ON CONFLICT(mailbox, slot) DO UPDATE SET name = excluded.name, hash = excluded.hash, created_at = excluded.created_at",
                "DROP TABLE main.app_password",
                "DROP VIEW main.dovecot_users",
                "ALTER TABLE main.mailbox DROP COLUMN password",
                // a mailbox has a password when one was set (password_set_at); the hash itself is in the secrets file
                @"CREATE VIEW main.dovecot_users AS
                    SELECT m.username AS username, m.domain AS domain, m.local_part AS local_part,
                           m.quota_bytes AS quota_bytes, m.imap_enabled AS imap_enabled, m.pop_enabled AS pop_enabled,
                           m.smtp_enabled AS smtp_enabled, m.force_secure_login AS force_secure_login,
                           CASE WHEN coalesce(p.password_max_age_days,
                                              (SELECT CAST(value AS INTEGER) FROM settings WHERE name = 'password_max_age_days'), 0) > 0
                                 AND julianday('now') - julianday(coalesce(m.password_set_at, m.created_at))
                                     > coalesce(p.password_max_age_days, (SELECT CAST(value AS INTEGER) FROM settings WHERE name = 'password_max_age_days'))
                                THEN 1 ELSE 0 END AS password_expired,
                           CASE WHEN m.force_secure_login = 1 OR (SELECT value FROM settings WHERE name = 'force_secure_login') = '1'
                                THEN 1 ELSE 0 END AS secure_only
                    FROM mailbox m JOIN domain d ON d.domain = m.domain LEFT JOIN mailbox_policy p ON p.mailbox = m.username
                    WHERE m.active = 1 AND d.active = 1 AND m.password_set_at IS NOT NULL",
                // who may not sign in through a service at all (Dovecot's first passdb, deny = yes): a disabled mailbox or domain,
                // or the protocol switched off for the mailbox (ManageSieve, 'sieve', follows IMAP)
                @"CREATE VIEW main.dovecot_denied AS
                    SELECT m.username AS username, 'imap' AS service FROM mailbox m JOIN domain d ON d.domain = m.domain
                        WHERE m.active = 0 OR d.active = 0 OR m.imap_enabled = 0
                    UNION ALL SELECT m.username, 'sieve' FROM mailbox m JOIN domain d ON d.domain = m.domain
                        WHERE m.active = 0 OR d.active = 0 OR m.imap_enabled = 0
                    UNION ALL SELECT m.username, 'pop3' FROM mailbox m JOIN domain d ON d.domain = m.domain
                        WHERE m.active = 0 OR d.active = 0 OR m.pop_enabled = 0
                    UNION ALL SELECT m.username, 'smtp' FROM mailbox m JOIN domain d ON d.domain = m.domain
                        WHERE m.active = 0 OR d.active = 0 OR m.smtp_enabled = 0
                    UNION ALL SELECT m.username, '*' FROM mailbox m JOIN domain d ON d.domain = m.domain WHERE m.active = 0 OR d.active = 0",
            },
            // version 8: DKIM key rotation. dkim_key holds the key that signs; the next key (published first, signs after
            // Switch-MailDkimKey) and the previous one (still published for mail already signed with it) sit beside it.
            new[]
            {
                @"CREATE TABLE dkim_key_rotation (
                    domain      TEXT NOT NULL REFERENCES domain(domain) ON DELETE CASCADE,
                    status      TEXT NOT NULL CHECK (status IN ('Next', 'Previous')),
                    selector    TEXT NOT NULL,
                    private_key TEXT NOT NULL,
                    public_key  TEXT NOT NULL,
                    created_at  TEXT NOT NULL,
                    PRIMARY KEY (domain, status))",
            },
            // version 9: DKIM private keys join the other secrets in the secrets file; the directory keeps selectors and public keys
            new[]
            {
                @"CREATE TABLE IF NOT EXISTS secret.dkim_private_key (
                    domain      TEXT NOT NULL,
                    selector    TEXT NOT NULL,
                    private_key TEXT NOT NULL,
                    PRIMARY KEY (domain, selector))",
                "INSERT INTO secret.dkim_private_key SELECT domain, selector, private_key FROM main.dkim_key WHERE true "
                    + "ON CONFLICT(domain, selector) DO UPDATE SET private_key = excluded.private_key",
                "INSERT INTO secret.dkim_private_key SELECT domain, selector, private_key FROM main.dkim_key_rotation WHERE true "
                    + "ON CONFLICT(domain, selector) DO UPDATE SET private_key = excluded.private_key",
                "ALTER TABLE main.dkim_key DROP COLUMN private_key",
                "ALTER TABLE main.dkim_key_rotation DROP COLUMN private_key",
            },
            // version 10: shared mailboxes. A shared mailbox never signs in (no password; the deny list refuses every service for
            // it, app passwords included); people use it through FullAccess (IMAP ACLs) and SendAs grants. Mail is still
            // delivered to it, so Dovecot's userdb knows it without a password.
            new[]
            {
                "ALTER TABLE main.mailbox ADD COLUMN mailbox_type TEXT NOT NULL DEFAULT 'User' CHECK (mailbox_type IN ('User', 'Shared'))",
                "DROP VIEW main.dovecot_denied",
                @"CREATE VIEW main.dovecot_denied AS
                    SELECT m.username AS username, 'imap' AS service
                        FROM mailbox m JOIN domain d ON d.domain = m.domain WHERE m.active = 0 OR d.active = 0 OR m.imap_enabled = 0
                    UNION ALL SELECT m.username, 'sieve'
                        FROM mailbox m JOIN domain d ON d.domain = m.domain WHERE m.active = 0 OR d.active = 0 OR m.imap_enabled = 0
                    UNION ALL SELECT m.username, 'pop3'
                        FROM mailbox m JOIN domain d ON d.domain = m.domain WHERE m.active = 0 OR d.active = 0 OR m.pop_enabled = 0
                    UNION ALL SELECT m.username, 'smtp'
                        FROM mailbox m JOIN domain d ON d.domain = m.domain WHERE m.active = 0 OR d.active = 0 OR m.smtp_enabled = 0
                    UNION ALL SELECT m.username, '*'
                        FROM mailbox m JOIN domain d ON d.domain = m.domain WHERE m.active = 0 OR d.active = 0
                    UNION ALL SELECT m.username, '*' FROM mailbox m WHERE m.mailbox_type = 'Shared'",
                "DROP VIEW main.dovecot_users",
                @"CREATE VIEW main.dovecot_users AS
                    SELECT m.username AS username, m.domain AS domain, m.local_part AS local_part,
                           m.quota_bytes AS quota_bytes, m.imap_enabled AS imap_enabled, m.pop_enabled AS pop_enabled,
                           m.smtp_enabled AS smtp_enabled, m.force_secure_login AS force_secure_login,
                           CASE WHEN coalesce(p.password_max_age_days,
                                              (SELECT CAST(value AS INTEGER) FROM settings WHERE name = 'password_max_age_days'), 0) > 0
                                 AND julianday('now') - julianday(coalesce(m.password_set_at, m.created_at))
                                     > coalesce(p.password_max_age_days, (SELECT CAST(value AS INTEGER) FROM settings WHERE name = 'password_max_age_days'))
                                THEN 1 ELSE 0 END AS password_expired,
                           CASE WHEN m.force_secure_login = 1 OR (SELECT value FROM settings WHERE name = 'force_secure_login') = '1'
                                THEN 1 ELSE 0 END AS secure_only
                    FROM mailbox m JOIN domain d ON d.domain = m.domain LEFT JOIN mailbox_policy p ON p.mailbox = m.username
                    WHERE m.active = 1 AND d.active = 1 AND (m.password_set_at IS NOT NULL OR m.mailbox_type = 'Shared')",
            },
            // version 11: one directory, several writers (a PostgreSQL store). Each write batch leaves a marker row, so a batch
            // whose COMMIT lost its connection can be looked up instead of guessed; rows older than a day are pruned.
            new[]
            {
                @"CREATE TABLE write_batch (
                    id           TEXT PRIMARY KEY,
                    committed_at TEXT NOT NULL)",
            },
            // version 12: the mail hosts a shared store serves (Export-MailServerConfig records each). The module reaches each
            // host's Dovecot through its doveadm HTTP API at doveadm_url; the API key is a secret. A SQLite store serves the one
            // Dovecot beside it through doveadm and records none.
            new[]
            {
                @"CREATE TABLE mail_host (
                    name        TEXT PRIMARY KEY,
                    doveadm_url TEXT NOT NULL,
                    mail_root   TEXT NOT NULL,
                    added_at    TEXT NOT NULL)",
                @"CREATE TABLE IF NOT EXISTS secret.mail_host_key (
                    name    TEXT PRIMARY KEY,
                    api_key TEXT NOT NULL)",
                // the homes of removed mailboxes still on the mail hosts, kept until purge_after (then deleted on every host)
                @"CREATE TABLE removed_home (
                    address     TEXT PRIMARY KEY,
                    purge_after TEXT NOT NULL)",
            },
        };

        public static int LatestVersion => Migrations.Length;

        /// <summary>From this version on the store keeps its secrets in the secrets file.</summary>
        public const int SecretsVersion = 7;

        /// <summary>Migrations that move secrets out of the directory file (7: passwords, 9: DKIM private keys).</summary>
        public static bool MovesSecrets(int version) => version == SecretsVersion || version == 9;
    }
}
