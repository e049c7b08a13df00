using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Connects to a mail provider and makes the connection the session's default.</summary>
    /// <remarks>
    /// Opens a provider and makes it the default for every MailAdmin cmdlet in this session (each also takes -Connection, so one
    /// script can use several stores). With no provider named, Local opens the embedded SQLite directory: -Path names the store
    /// file, created with its schema when missing; without -Path the store is $env:MAILADMIN_STORE or mailadmin.db in the
    /// per-user data folder. Cmdlets run without any connection open the default Local store by themselves. -ConnectionString
    /// opens a Local store in PostgreSQL instead (several mail hosts reading one directory, admins on their own workstations):
    /// the schemas 'main' (the directory) and 'secret' (password hashes, app passwords, DKIM private keys) are created when the
    /// database is empty. Give the password with -Credential (its user name is used when the string names none); the store is
    /// shown back as postgresql://user@host:port/database, never with a password.
    /// Exmail takes -CorpId and the secret of each application it will use: -Secret (contacts: mailboxes, departments, groups),
    /// -SettingsSecret (protocol switches), -LogSecret (Get-MailLog), -SsoSecret (Get-MailboxLoginUrl). Secrets are kept in memory
    /// only and never shown; tokens are fetched per application, cached and refreshed before they expire. -ApiBaseUri points a
    /// remote provider elsewhere (plain http only to loopback), -RequestsPerSecond sets its client-side rate limit (Exmail: 10,
    /// Alimail: 40, its documented limit per mail domain). Alimail takes -ClientId, -ClientSecret and -Region (the cluster's host
    /// is chosen from it); DingTalk takes -AppKey and -AppSecret and can only create mailboxes. WeCom (企业微信邮箱, where upgraded
    /// Exmail customers are administered) takes -CorpId and -Secret (the application allowed to call the mail API, with this
    /// machine's IP among its trusted IPs) and -Path, the file that keeps the UserID ↔ address map WeCom no longer returns to
    /// newer applications (default: wecom-CORPID.map in the per-user MailAdmin data folder); its client-side limit defaults to
    /// 150 requests per second (documented: 10,000 per minute per API).
    /// </remarks>
    /// <example>
    /// <code>Connect-MailProvider -Provider Local -Path ./company.db</code>
    /// <para>Opens (or creates) the Local store company.db and makes it the default for the session.</para>
    /// </example>
    /// <example>
    /// <code>Connect-MailProvider -ConnectionString 'Host=db.contoso.com;Database=mail;Username=mailadmin' -Credential (Get-Secret MailDb)</code>
    /// <para>Opens the Local store kept in PostgreSQL on db.contoso.com (creating its schema in an empty database).</para>
    /// </example>
    /// <example>
    /// <code>$old = Connect-MailProvider -Path ./old.db -PassThru; $new = Connect-MailProvider -Path ./new.db -PassThru
    /// Get-Mailbox -Connection $old | New-Mailbox -Connection $new -SkipExisting</code>
    /// <para>Copies the mailboxes of one store into another (without passwords: they are stored only as hashes).</para>
    /// </example>
    /// <example>
    /// <code>Connect-MailProvider -Provider Exmail -CorpId wx1234567890 -Secret (Get-Secret ExmailContacts) -SettingsSecret $env:EXMAIL_SETTINGS_SECRET</code>
    /// <para>Connects to Tencent Exmail with the contacts and settings application secrets (each Exmail application has its own secret and token).</para>
    /// </example>
    /// <example>
    /// <code>Connect-MailProvider -Provider WeCom -CorpId ww1234567890abcdef -Secret (Get-Secret WeComMailApp) -Path ./wecom-map.txt</code>
    /// <para>Connects to WeCom mail with the mail application's secret, keeping the UserID ↔ address map in ./wecom-map.txt.</para>
    /// </example>
    /// <example>
    /// <code>Connect-MailProvider -Provider Alimail -ClientId $appId -ClientSecret (Get-Credential AlimailApp) -Region sg</code>
    /// <para>Connects to Alibaba Mail's Singapore cluster with an API 开放平台 application (the credential's password is the secret).</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Connect, "MailProvider")]
    [OutputType(typeof(MailConnection))]
    public sealed class ConnectMailProviderCommand : MailAdminCmdlet
    {
        /// <summary>The provider: Local (default). Get-MailProvider lists them.</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        public string Provider { get; set; }

        /// <summary>Local: the store file; created with its schema when missing. WeCom: the file that keeps the UserID ↔ address map.</summary>
        [Parameter]
        public string Path { get; set; }

        /// <summary>Local: a PostgreSQL store (Host=...;Database=...;Username=...), instead of a SQLite file (-Path). Put the password in -Credential, not
        /// here.</summary>
        [Parameter]
        public string ConnectionString { get; set; }

        /// <summary>Local with -ConnectionString: the database login (its password; its user name when the string names none).</summary>
        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>Exmail: the CorpID (工具箱 → 应用中心 in the admin console). WeCom: the 企业ID (我的企业 → 企业信息).</summary>
        [Parameter]
        public string CorpId { get; set; }

        /// <summary>Exmail: the secret of the contacts application (通讯录管理): mailboxes, departments, groups.
        /// WeCom: the secret of the application allowed to
        /// call the mail API. A SecureString, a PSCredential (its password) or text.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString Secret { get; set; }

        /// <summary>Exmail: the secret of the feature-settings application (功能设置): Get-/Set-MailboxSetting.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString SettingsSecret { get; set; }

        /// <summary>Exmail: the secret of the log application (日志查询): Get-MailLog.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString LogSecret { get; set; }

        /// <summary>Exmail: the secret of the single sign-on application (单点登录): Get-MailboxLoginUrl.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString SsoSecret { get; set; }

        /// <summary>Alimail: the App ID (client_id) of the application made in 高级应用 → API 开放平台.</summary>
        [Parameter]
        public string ClientId { get; set; }

        /// <summary>Alimail: the application's Secret (client_secret).</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString ClientSecret { get; set; }

        /// <summary>Alimail: the cluster the organisation lives in: cn (default), cn-xc (国产化 edition), sg, hk, de or us.</summary>
        [Parameter]
        [ValidateSet("cn", "cn-xc", "sg", "hk", "de", "us")]
        public string Region { get; set; }

        /// <summary>DingTalk: the app's AppKey.</summary>
        [Parameter]
        public string AppKey { get; set; }

        /// <summary>DingTalk: the app's AppSecret.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString AppSecret { get; set; }

        /// <summary>Remote providers: another API host than the documented one (a private deployment, or an emulator on loopback: plain http is allowed only
        /// there). A URI without a path gets the provider's documented path (Exmail and WeCom: /cgi-bin/); a URI with a path is used as given.</summary>
        [Parameter]
        public Uri ApiBaseUri { get; set; }

        /// <summary>Remote providers: the most requests per second this connection sends (default: the provider's documented or recommended limit).</summary>
        [Parameter]
        [ValidateRange(0.1, 1000)]
        public double RequestsPerSecond { get; set; }

        /// <summary>Remote providers: the longest wait a server's Retry-After is honoured for (default 300 s); a server asking for longer is asked again after
        /// this.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int MaxRetryAfterSec { get; set; }

        /// <summary>Writes the connection object, to pass to -Connection later.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var descriptor = MailSession.Catalog.Get(string.IsNullOrEmpty(Provider) ? MailSession.Catalog.DefaultProvider : Provider);
            var options = new ProviderOptions();
            if (!string.IsNullOrEmpty(Path))
            {
                options["Path"] = GetUnresolvedProviderPathFromPSPath(Path);
            }

            options["ConnectionString"] = ConnectionString;
            if (Credential != null)
            {
                options["Username"] = Credential.UserName;
                options["Password"] = ToSecret(Credential.Password);
            }

            options["CorpId"] = CorpId;
            options["Secret"] = ToSecret(Secret);
            options["SettingsSecret"] = ToSecret(SettingsSecret);
            options["LogSecret"] = ToSecret(LogSecret);
            options["SsoSecret"] = ToSecret(SsoSecret);
            options["ApiBaseUri"] = ApiBaseUri;
            options["ClientId"] = ClientId;
            options["ClientSecret"] = ToSecret(ClientSecret);
            options["Region"] = Region;
            options["AppKey"] = AppKey;
            options["AppSecret"] = ToSecret(AppSecret);
            if (RequestsPerSecond > 0)
            {
                options["RequestsPerSecond"] = RequestsPerSecond;
            }

            if (MaxRetryAfterSec > 0)
            {
                options["MaxRetryAfterSec"] = MaxRetryAfterSec;
            }

            IMailProvider provider;
            try
            {
                provider = descriptor.Open(options);
            }
            catch (MailAdminException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, Path));
                return;
            }
            var conn = MailSession.Open(provider, makeDefault: true);
            WriteVerbose($"Connected to {conn}.");
            if (PassThru)
            {
                WriteObject(conn);
            }
        }
    }
}
