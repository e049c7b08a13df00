using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Reads the provider's mail, login and administration logs.</summary>
    /// <remarks>
    /// -Kind Mail lists messages sent and received (with their delivery status: Sent, Bounced, Inbox, Spam...), Login the
    /// sign-ins of one mailbox (time, address, client type), Operation the administrators' actions, BatchJob bulk jobs, and
    /// Summary the number of messages a domain sent and received. The provider's codes become names. A range longer than one
    /// call may cover (Exmail: about three months) is split into several calls and the entries stream in date order.
    /// Exmail needs -LogSecret on Connect-MailProvider.
    /// </remarks>
    /// <example>
    /// <code>Get-MailLog -Kind Mail -Start (Get-Date).AddDays(-7) -Direction Received | Where-Object Status -eq Spam</code>
    /// <para>Lists last week's incoming mail that went to spam.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailLog -Kind Login -Mailbox li.lei@contoso.com -Start 2026-01-01 -End 2026-06-30 | Group-Object ClientAddress</code>
    /// <para>Shows from which addresses a user signed in during half a year (split into several calls).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailLog")]
    [OutputType(typeof(MailLogEntry))]
    public sealed class GetMailLogCommand : MailAdminConnectedCmdlet
    {
        /// <summary>Which log: Mail, Login, Operation, BatchJob or Summary.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public MailLogKind Kind { get; set; }

        /// <summary>The first day (default: 7 days ago).</summary>
        [Parameter]
        public DateTime? Start { get; set; }

        /// <summary>The last day (default: today).</summary>
        [Parameter]
        public DateTime? End { get; set; }

        /// <summary>Mail and Login: the mailbox.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Identity", "Address")]
        public string Mailbox { get; set; }

        /// <summary>Summary: the domain.</summary>
        [Parameter]
        public string Domain { get; set; }

        /// <summary>Mail: only messages whose subject contains this.</summary>
        [Parameter]
        public string Subject { get; set; }

        /// <summary>Mail: Both (default), Sent or Received.</summary>
        [Parameter]
        public MailDirection Direction { get; set; }

        /// <summary>Operation: the provider's category number (Exmail: 1 all, 3 admin accounts, 8 members and groups, ...).</summary>
        [Parameter]
        public int? Category { get; set; }

        protected override void ProcessItem()
        {
            var source = Require<IMailLogSource>("logs");
            var end = (End ?? DateTime.Today).Date;
            var start = (Start ?? end.AddDays(-7)).Date;
            WriteCursor(source.GetLogs(new MailLogQuery
            {
                Kind = Kind, Start = start, End = end, Mailbox = Mailbox, Domain = Domain, Subject = Subject, Direction = Direction, Category = Category,
            }));
        }
    }

    /// <summary>Gets a one-time sign-in link for a mailbox (single sign-on).</summary>
    /// <remarks>
    /// The link signs the user in to webmail without a password; it works once and expires after a few minutes (Exmail: 300 s).
    /// It is a credential: hand it to the user, do not store or log it. Exmail needs -SsoSecret on Connect-MailProvider, and
    /// the user must have signed in with the password once before.
    /// </remarks>
    /// <example>
    /// <code>(Get-MailboxLoginUrl li.lei@contoso.com).Url | Set-Clipboard</code>
    /// <para>Copies a sign-in link for one user.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Department Sales | Get-MailboxLoginUrl | Select-Object Identity, ExpiresAt</code>
    /// <para>Creates links for a department and shows when they expire.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailboxLoginUrl")]
    [OutputType(typeof(MailboxLoginUrl))]
    public sealed class GetMailboxLoginUrlCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        public string Identity { get; set; }

        protected override void ProcessItem()
        {
            var source = Require<IMailboxLoginUrlSource>("sign-in links");
            TryRun(Identity, () => WriteObject(Await(source.GetLoginUrlAsync(Identity, StopToken))));
        }
    }

    /// <summary>Tells what addresses are at the provider: available, a mailbox, an alias or a group.</summary>
    /// <remarks>
    /// Checks many addresses in few calls (Exmail: 20 per call). Status is Available (free to create), Mailbox, Alias, Group or
    /// Invalid; IsAvailable is $true only for free addresses. Useful before a bulk import: the rows whose address is taken
    /// are found without trying to create them.
    /// </remarks>
    /// <example>
    /// <code>Test-MailAddress sales@contoso.com, li.lei@contoso.com</code>
    /// <para>Shows what each address is.</para>
    /// </example>
    /// <example>
    /// <code>$taken = Import-Csv staff.csv | Test-MailAddress | Where-Object { -not $_.IsAvailable }</code>
    /// <para>Finds the rows of an HR export whose address is already in use.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "MailAddress")]
    [OutputType(typeof(MailAddressCheck))]
    public sealed class TestMailAddressCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The addresses.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PrimarySmtpAddress", "EmailAddress", "Email")]
        public string[] Address { get; set; }

        private readonly List<string> _batch = new List<string>();

        protected override void ProcessItem()
        {
            _batch.AddRange(Address.Where(a => !string.IsNullOrWhiteSpace(a)));
            if (_batch.Count >= 100) Flush();
        }

        protected override void EndItems() => Flush();

        private void Flush()
        {
            if (_batch.Count == 0) return;
            var checker = Require<IAddressChecker>("address checks");
            var list = _batch.ToList(); _batch.Clear();
            TryRun(list[0], () => { foreach (var r in Await(checker.CheckAddressesAsync(list, StopToken))) WriteObject(r); });
        }
    }
}

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Asks the provider to check a domain's ownership now and shows the result.</summary>
    /// <remarks>
    /// After publishing the verification record the provider asks for (Get-MailDomainDnsRecord), this makes the provider
    /// look at DNS now instead of on its own schedule. The domain comes back with Status (Verified or Pending) and, where
    /// the provider says, IsMxVerified. Alimail: POST /v2/domains/{domain}/verify. Local: the server is the domain's own, so
    /// there is no one to prove ownership to; the domain is Verified from the moment it is added and comes back as it is.
    /// Takes the domain by its Name or Domain property, so it ends the pipeline Add-MailDomain | Get-MailDomainDnsRecord |
    /// Publish-MailDnsRecord | Wait-MailDnsPropagation | Confirm-MailDomain.
    /// </remarks>
    /// <example>
    /// <code>Confirm-MailDomain contoso.com</code>
    /// <para>Checks contoso.com's ownership now.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailDomain | Where-Object Status -eq Pending | Confirm-MailDomain</code>
    /// <para>Checks every domain that is not verified yet.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Confirm, "MailDomain", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(MailDomain))]
    public sealed class ConfirmMailDomainCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Domain", "DomainName")]
        public string Name { get; set; }

        protected override void ProcessItem()
        {
            var verifier = Require<IDomainVerifier>("domain verification");
            if (!ShouldProcess(Name, "Verify mail domain")) return;
            TryRun(Name, () => WriteObject(Await(verifier.VerifyDomainAsync(Name, StopToken))));
        }
    }

    /// <summary>Adds a domain alias: another name that receives the same mail as the domain.</summary>
    /// <remarks>Mail to user@alias goes to user@domain. The alias needs its own DNS (MX, SPF) and verification. Alimail: POST /v2/domains/{domain}/aliases.</remarks>
    /// <example>
    /// <code>Add-MailDomainAlias contoso.com -Alias contoso.cn</code>
    /// <para>Makes contoso.cn an alias of contoso.com.</para>
    /// </example>
    /// <example>
    /// <code>'contoso.cn', 'contoso.net' | Add-MailDomainAlias contoso.com -PassThru | Select-Object Name, Aliases</code>
    /// <para>Adds two aliases and shows the result.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Add, "MailDomainAlias", SupportsShouldProcess = true)]
    [OutputType(typeof(MailDomain))]
    public sealed class AddMailDomainAliasCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Domain")]
        public string Name { get; set; }

        /// <summary>The alias domain.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        public string Alias { get; set; }

        /// <summary>Writes the domain with its aliases.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IDomainAliasStore>("domain aliases");
            if (!ShouldProcess(Alias, $"Add alias of mail domain {Name}")) return;
            TryRun(Alias, () => { var d = Await(store.AddDomainAliasAsync(Name, Alias, StopToken)); if (PassThru) WriteObject(d); });
        }
    }

    /// <summary>Removes a domain alias.</summary>
    /// <remarks>Mail to user@alias is no longer accepted. Alimail: DELETE /v2/domains/{domain}/aliases/{alias}.</remarks>
    /// <example>
    /// <code>Remove-MailDomainAlias contoso.com -Alias contoso.cn</code>
    /// <para>Stops accepting mail for contoso.cn.</para>
    /// </example>
    /// <example>
    /// <code>(Get-MailDomain contoso.com).Aliases | Remove-MailDomainAlias contoso.com -Confirm:$false</code>
    /// <para>Removes every alias of contoso.com without asking.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "MailDomainAlias", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(MailDomain))]
    public sealed class RemoveMailDomainAliasCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The domain.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Domain")]
        public string Name { get; set; }

        /// <summary>The alias domain.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        public string Alias { get; set; }

        /// <summary>Writes the domain with its remaining aliases.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IDomainAliasStore>("domain aliases");
            if (!ShouldProcess(Alias, $"Remove alias of mail domain {Name}")) return;
            TryRun(Alias, () => { var d = Await(store.RemoveDomainAliasAsync(Name, Alias, StopToken)); if (PassThru) WriteObject(d); });
        }
    }

    /// <summary>Gets the organisation's record at a hosted provider.</summary>
    /// <remarks>Name, primary domain, telephone, address, language and creation time, as the provider keeps them (Alimail: /v2/organization/$current).</remarks>
    /// <example>
    /// <code>Get-MailOrganization</code>
    /// <para>Shows the connected organisation.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailConnection | ForEach-Object { Get-MailOrganization -Connection $_ }</code>
    /// <para>Shows the organisation behind each open connection.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailOrganization")]
    [OutputType(typeof(MailOrganization))]
    public sealed class GetMailOrganizationCommand : MailAdminConnectedCmdlet
    {
        protected override void ProcessItem()
        {
            var info = Require<IOrganizationInfo>("organisation information");
            WriteObject(Await(info.GetOrganizationAsync(StopToken)));
        }
    }
}

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
        /// <summary>The system user Postfix runs the group sender policy (mailadmin-policy.sh) as: a user of its own (default mailadmin-policy), never root, postfix or the mail user; it must be able to read the store (the directory, which holds no secrets).</summary>
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
        /// <summary>Overwrite files that exist.</summary>
        [Parameter] public SwitchParameter Force { get; set; }

        protected override void ProcessItem()
        {
            var exporter = Require<IMailServerConfigExporter>("mail server configuration");
            var output = GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(output, "Write Postfix and Dovecot configuration")) return;
            var templates = System.IO.Path.Combine(MyInvocation.MyCommand.Module?.ModuleBase ?? System.IO.Path.GetDirectoryName(GetType().Assembly.Location), "templates");
            var o = new MailServerConfigOptions
            {
                HostName = HostName, CertificateFile = CertificateFile, KeyFile = KeyFile, ListenAddress = ListenAddress,
                SmtpPort = SmtpPort, SubmissionPort = SubmissionPort, SubmissionsPort = SubmissionsPort, ImapPort = ImapPort, ImapsPort = ImapsPort,
                Pop3Port = Pop3Port, Pop3sPort = Pop3sPort, LmtpPort = LmtpPort, ManageSievePort = ManageSievePort, MailRoot = MailRoot,
                VmailUid = VmailUid, VmailGid = VmailGid, PolicyUser = PolicyUser, VmailUser = VmailUser, RunDirectory = RunDirectory, LogDirectory = LogDirectory, QueueDirectory = QueueDirectory,
                DataDirectory = DataDirectory, InstanceName = InstanceName, AuthFailureDelay = AuthFailureDelay, NoOutbound = NoOutbound,
                Version = MyInvocation.MyCommand.Module?.Version?.ToString() ?? "",
                Rspamd = Rspamd, RspamdMilterAddress = RspamdMilterAddress, RspamdControllerAddress = RspamdControllerAddress, RspamdUser = RspamdUser,
                RspamdWorkers = RspamdWorkers, DnsServer = DnsServer, ClamdAddress = ClamdAddress, ContentFilterFailOpen = ContentFilterFailOpen,
            };
            foreach (var f in exporter.ExportServerConfig(templates, output, o, Force)) WriteObject(new System.IO.FileInfo(f));
        }
    }
}
