using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Writes Postfix and Dovecot configuration that serves the Local store as a real mail system.</summary>
    /// <remarks>
    /// Renders the templates shipped in the module's templates folder into -Path/postfix (main.cf, master.cf and the sqlite
    /// maps) and -Path/dovecot (dovecot.conf, dovecot-sql.conf.ext). Postfix and Dovecot then read the store directly: virtual
    /// domains, mailboxes, aliases and groups, delivery over LMTP to Dovecot, SMTP AUTH through Dovecot on the submission
    /// ports (587 STARTTLS, 465 implicit TLS) with the sender bound to the login (SendAs grants included), each mailbox's send
    /// scope, archive copies, per-mailbox IMAP/POP/SMTP switches and disabled mailboxes refused at login, IMAP ACLs and
    /// shared folders, Sieve with ManageSieve. Changes made with the cmdlets take effect at once. Start Postfix with
    /// 'postfix -c PATH/postfix start' and Dovecot with 'dovecot -c PATH/dovecot/dovecot.conf'; the README has the steps.
    /// With -Rspamd it also writes -Path/rspamd (rspamd's LOCAL_CONFDIR: start rspamd with --var=LOCAL_CONFDIR=PATH/rspamd), the
    /// domains' DKIM keys under -Path/rspamd/dkim (0600, owned by -RspamdUser) and Postfix's milter lines: mail from the store's
    /// domains is DKIM-signed, inbound mail is checked (SPF, DKIM, DMARC, ARC; one Authentication-Results; a DMARC reject
    /// policy refused) and scored (X-Spam-Score, X-Spam-Flag for the Sieve filing by SpamFilterLevel), viruses are refused by
    /// ClamAV. When rspamd or clamd is down mail is deferred, unless -ContentFilterFailOpen.
    /// For a store in PostgreSQL (Connect-MailProvider -ConnectionString) run it once per mail host, each with its own -HostName
    /// and -DoveadmUrl: the maps become pgsql maps and Dovecot's lookups pgsql (as the roles -PostfixDatabaseUser, which cannot
    /// read the secrets, and -DovecotDatabaseUser), -Path/postgresql/mailhost-roles.sql creates those roles with their grants
    /// (run it once with psql as the database owner, then give each role its password or certificate: no password is written
    /// to any file by this cmdlet), and dovecot.conf opens doveadm's HTTP API at -DoveadmUrl, reading its key from
    /// -Path/dovecot/doveadm-api.key (put the -DoveadmApiKey text there, mode 0600). The host is recorded in the store: every
    /// Sieve script, folder right, session end and removal is applied to each recorded host through that API, and
    /// Sync-MailServerState repairs a host that was down.
    /// </remarks>
    /// <example>
    /// <code>Export-MailServerConfig -Path /etc/mailadmin -HostName mail.contoso.com -CertificateFile /etc/letsencrypt/live/mail.contoso.com/fullchain.pem -KeyFile /etc/letsencrypt/live/mail.contoso.com/privkey.pem</code>
    /// <para>Writes the configuration for a production host on the standard ports.</para>
    /// </example>
    /// <example>
    /// <code>Export-MailServerConfig -Path ./stack -HostName mail.test -CertificateFile $PWD/cert.pem -KeyFile $PWD/key.pem -ListenAddress 127.0.0.1 -SmtpPort 20025 -SubmissionPort 20587 -NoOutbound -Force</code>
    /// <para>Writes a lab configuration on loopback and high ports that sends nothing off the host.</para>
    /// </example>
    /// <example>
    /// <code>Export-MailServerConfig -Path /etc/mailadmin -HostName mail.contoso.com -CertificateFile /etc/ssl/mail.pem -KeyFile /etc/ssl/mail.key -Rspamd -Force</code>
    /// <para>Adds rspamd (DKIM signing and checks, spam scores, ClamAV through /run/clamav/clamd.ctl) as Postfix's milter.</para>
    /// </example>
    /// <example>
    /// <code>Connect-MailProvider -ConnectionString 'Host=db.contoso.com;Database=mail;Username=mailadmin' -Credential (Get-Secret MailDb)
    /// Export-MailServerConfig -Path ./mail1 -HostName mail1.contoso.com -CertificateFile /etc/ssl/mail.pem -KeyFile /etc/ssl/mail.key -DoveadmUrl http://10.0.0.11:8080 -DoveadmApiKey (Get-Secret Mail1Doveadm)</code>
    /// <para>Writes the configuration of one of several mail hosts serving a directory in PostgreSQL, and records the host.</para>
    /// </example>
    [Cmdlet(VerbsData.Export, "MailServerConfig", SupportsShouldProcess = true)]
    [OutputType(typeof(System.IO.FileInfo))]
    public sealed class ExportMailServerConfigCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The folder to write postfix/ and dovecot/ into.</summary>
        [Parameter(Mandatory = true, Position = 0)] public string Path { get; set; }
        /// <summary>The server's fully qualified name (greeting, certificate name).</summary>
        [Parameter(Mandatory = true)] public string HostName { get; set; }
        /// <summary>The certificate chain (PEM) for STARTTLS and implicit TLS; an absolute path.</summary>
        [Parameter(Mandatory = true)] public string CertificateFile { get; set; }
        /// <summary>The private key (PEM); an absolute path.</summary>
        [Parameter(Mandatory = true)] public string KeyFile { get; set; }
        /// <summary>The address to listen on (default 0.0.0.0).</summary>
        [Parameter] public string ListenAddress { get; set; } = "0.0.0.0";
        /// <summary>Port of the MX service (25).</summary>
        [Parameter] public int SmtpPort { get; set; } = 25;
        /// <summary>Port of submission with STARTTLS (587).</summary>
        [Parameter] public int SubmissionPort { get; set; } = 587;
        /// <summary>Port of submission with implicit TLS (465).</summary>
        [Parameter] public int SubmissionsPort { get; set; } = 465;
        /// <summary>IMAP port (143).</summary>
        [Parameter] public int ImapPort { get; set; } = 143;
        /// <summary>IMAPS port (993).</summary>
        [Parameter] public int ImapsPort { get; set; } = 993;
        /// <summary>POP3 port (110).</summary>
        [Parameter] public int Pop3Port { get; set; } = 110;
        /// <summary>POP3S port (995).</summary>
        [Parameter] public int Pop3sPort { get; set; } = 995;
        /// <summary>LMTP port on 127.0.0.1 between Postfix and Dovecot (24).</summary>
        [Parameter] public int LmtpPort { get; set; } = 24;
        /// <summary>ManageSieve port (4190).</summary>
        [Parameter] public int ManageSievePort { get; set; } = 4190;
        /// <summary>Where mailboxes live (default /var/vmail), owned by the vmail user.</summary>
        [Parameter] public string MailRoot { get; set; } = "/var/vmail";
        /// <summary>The uid of the vmail user (5000).</summary>
        [Parameter] public int VmailUid { get; set; } = 5000;
        /// <summary>The gid of the vmail group (5000).</summary>
        [Parameter] public int VmailGid { get; set; } = 5000;
        /// <summary>The system user Postfix runs the group sender policy (mailadmin-policy.sh) as: a user of its own (default mailadmin-policy), never root,
        /// postfix or the mail user; it must be able to read the store (the directory, which holds no secrets).</summary>
        [Parameter] public string PolicyUser { get; set; } = "mailadmin-policy";
        /// <summary>The name of the mail user (-VmailUid), which owns Dovecot's dict socket (default vmail).</summary>
        [Parameter] public string VmailUser { get; set; } = "vmail";
        /// <summary>Sockets and state (default /run/mailadmin).</summary>
        [Parameter] public string RunDirectory { get; set; } = "/run/mailadmin";
        /// <summary>Log files (default /var/log/mailadmin).</summary>
        [Parameter] public string LogDirectory { get; set; } = "/var/log/mailadmin";
        /// <summary>Postfix's queue (default /var/spool/postfix).</summary>
        [Parameter] public string QueueDirectory { get; set; } = "/var/spool/postfix";
        /// <summary>Postfix's data directory (default /var/lib/postfix).</summary>
        [Parameter] public string DataDirectory { get; set; } = "/var/lib/postfix";
        /// <summary>Dovecot's instance name (default mailadmin).</summary>
        [Parameter] public string InstanceName { get; set; } = "mailadmin";
        /// <summary>Seconds Dovecot waits before answering a failed login (default 2).</summary>
        [Parameter] public int AuthFailureDelay { get; set; } = 2;
        /// <summary>Send nothing off this host (a lab or test rig).</summary>
        [Parameter] public SwitchParameter NoOutbound { get; set; }
        /// <summary>Also write rspamd's configuration (-Path/rspamd, its LOCAL_CONFDIR) and make it Postfix's milter: DKIM signing with
        /// the store's keys, SPF/DKIM/DMARC/ARC checks with one Authentication-Results, spam scores for the Sieve filing, ClamAV.</summary>
        [Parameter] public SwitchParameter Rspamd { get; set; }
        /// <summary>With -Rspamd: where rspamd's proxy (milter) worker listens, host:port (default 127.0.0.1:11332).</summary>
        [Parameter] public string RspamdMilterAddress { get; set; } = "127.0.0.1:11332";
        /// <summary>With -Rspamd: rspamd's controller, host:port (default 127.0.0.1:11334).</summary>
        [Parameter] public string RspamdControllerAddress { get; set; } = "127.0.0.1:11334";
        /// <summary>With -Rspamd: the user rspamd runs as, owner of the DKIM key files (default _rspamd, as Debian's package creates).</summary>
        [Parameter] public string RspamdUser { get; set; } = "_rspamd";
        /// <summary>With -Rspamd: scanning processes (default 2).</summary>
        [Parameter] public int RspamdWorkers { get; set; } = 2;
        /// <summary>With -Rspamd: the resolvers rspamd asks for SPF, DKIM and DMARC (address or address:port); default /etc/resolv.conf.</summary>
        [Parameter] public string[] DnsServer { get; set; }
        /// <summary>With -Rspamd: clamd's socket path or host:port (default /run/clamav/clamd.ctl, Debian's clamav-daemon).</summary>
        [Parameter] public string ClamdAddress { get; set; } = "/run/clamav/clamd.ctl";
        /// <summary>With -Rspamd: deliver mail unscanned when clamd is down, and unscanned and unsigned when rspamd is down
        /// (default: fail closed, the mail is deferred with a temporary error and retried).</summary>
        [Parameter] public SwitchParameter ContentFilterFailOpen { get; set; }
        /// <summary>A store in PostgreSQL: the database server's name or address as the mail hosts reach it (default: the one the module connects
        /// to).</summary>
        [Parameter] public string DatabaseHost { get; set; }
        /// <summary>A store in PostgreSQL: the database role Postfix reads the directory as (default mailadmin_postfix; it cannot read the secrets).</summary>
        [Parameter] public string PostfixDatabaseUser { get; set; } = "mailadmin_postfix";
        /// <summary>A store in PostgreSQL: the database role Dovecot reads the directory and the secrets as (default mailadmin_dovecot).</summary>
        [Parameter] public string DovecotDatabaseUser { get; set; } = "mailadmin_dovecot";
        /// <summary>A store in PostgreSQL: where the module reaches this host's doveadm HTTP API, e.g. http://10.0.0.2:8080 (required with such a
        /// store: Sieve scripts, folder rights, sessions and removals reach every mail host through it).</summary>
        [Parameter] public Uri DoveadmUrl { get; set; }
        /// <summary>A store in PostgreSQL: the doveadm API key of this host (kept in the store's secrets; put the same text in doveadm-api.key beside
        /// dovecot.conf).</summary>
        [Parameter]
        [SecureStringTransformation]
        public System.Security.SecureString DoveadmApiKey { get; set; }
        /// <summary>Overwrite files that exist.</summary>
        [Parameter] public SwitchParameter Force { get; set; }

        protected override void ProcessItem()
        {
            var exporter = Require<IMailServerConfigExporter>("mail server configuration");
            var output = GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(output, "Write Postfix and Dovecot configuration"))
            {
                return;
            }

            var templates = System.IO.Path.Combine(
                MyInvocation.MyCommand.Module?.ModuleBase ?? System.IO.Path.GetDirectoryName(GetType().Assembly.Location), "templates");
            var o = new MailServerConfigOptions
            {
                HostName = HostName,
                CertificateFile = CertificateFile,
                KeyFile = KeyFile,
                ListenAddress = ListenAddress,
                SmtpPort = SmtpPort,
                SubmissionPort = SubmissionPort,
                SubmissionsPort = SubmissionsPort,
                ImapPort = ImapPort,
                ImapsPort = ImapsPort,
                Pop3Port = Pop3Port,
                Pop3sPort = Pop3sPort,
                LmtpPort = LmtpPort,
                ManageSievePort = ManageSievePort,
                MailRoot = MailRoot,
                VmailUid = VmailUid,
                VmailGid = VmailGid,
                PolicyUser = PolicyUser,
                VmailUser = VmailUser,
                RunDirectory = RunDirectory,
                LogDirectory = LogDirectory,
                QueueDirectory = QueueDirectory,
                DataDirectory = DataDirectory,
                InstanceName = InstanceName,
                AuthFailureDelay = AuthFailureDelay,
                NoOutbound = NoOutbound,
                Version = MyInvocation.MyCommand.Module?.Version?.ToString() ?? "",
                Rspamd = Rspamd,
                RspamdMilterAddress = RspamdMilterAddress,
                RspamdControllerAddress = RspamdControllerAddress,
                RspamdUser = RspamdUser,
                RspamdWorkers = RspamdWorkers,
                DnsServer = DnsServer,
                ClamdAddress = ClamdAddress,
                ContentFilterFailOpen = ContentFilterFailOpen,
                DatabaseHost = DatabaseHost,
                PostfixDatabaseUser = PostfixDatabaseUser,
                DovecotDatabaseUser = DovecotDatabaseUser,
                DoveadmUrl = DoveadmUrl,
                DoveadmApiKey = ToSecret(DoveadmApiKey),
            };
            foreach (var f in exporter.ExportServerConfig(templates, output, o, Force))
            {
                WriteObject(new System.IO.FileInfo(f));
            }
        }
    }
}
