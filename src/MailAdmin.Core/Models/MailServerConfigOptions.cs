using System;

namespace MailAdmin.Models
{
    /// <summary>Where and how Postfix and Dovecot serve a Local store (Export-MailServerConfig).</summary>
    public sealed class MailServerConfigOptions
    {
        public string StorePath { get; set; }
        public string HostName { get; set; }
        public string CertificateFile { get; set; }
        public string KeyFile { get; set; }
        public string ListenAddress { get; set; } = "0.0.0.0";
        public int SmtpPort { get; set; } = 25;
        public int SubmissionPort { get; set; } = 587;
        public int SubmissionsPort { get; set; } = 465;
        public int ImapPort { get; set; } = 143;
        public int ImapsPort { get; set; } = 993;
        public int Pop3Port { get; set; } = 110;
        public int Pop3sPort { get; set; } = 995;
        public int LmtpPort { get; set; } = 24;
        public int ManageSievePort { get; set; } = 4190;
        public string MailRoot { get; set; } = "/var/vmail";
        public int VmailUid { get; set; } = 5000;
        public int VmailGid { get; set; } = 5000;
        /// <summary>The name of the mail user (VmailUid): owns Dovecot's dict socket.</summary>
        public string VmailUser { get; set; } = "vmail";
        /// <summary>The system user Postfix runs the group sender policy as (it reads the directory, which holds no secrets): a
        /// user of its own, not root, not postfix, not the mail user.</summary>
        public string PolicyUser { get; set; } = "mailadmin-policy";
        public string RunDirectory { get; set; } = "/run/mailadmin";
        public string LogDirectory { get; set; } = "/var/log/mailadmin";
        public string QueueDirectory { get; set; } = "/var/spool/postfix";
        public string DataDirectory { get; set; } = "/var/lib/postfix";
        public string InstanceName { get; set; } = "mailadmin";
        /// <summary>Seconds Dovecot waits before answering a failed login (2 by default; 0 for test rigs).</summary>
        public int AuthFailureDelay { get; set; } = 2;
        /// <summary>Deliver nothing off this host (a lab or test rig): outbound mail is refused with an error.</summary>
        public bool NoOutbound { get; set; }
        public string Version { get; set; } = "";
        /// <summary>Diffie-Hellman parameters for Dovecot (Debian ships /usr/share/dovecot/dh.pem).</summary>
        public string DhFile { get; set; } = "/usr/share/dovecot/dh.pem";

        // rspamd as Postfix's milter (DKIM signing and checks, spam scores, ClamAV): written only with Rspamd = true
        /// <summary>Write rspamd's configuration (rspamd/) and make Postfix pass every message through it.</summary>
        public bool Rspamd { get; set; }
        /// <summary>Where rspamd's proxy worker listens for Postfix (milter), host:port on loopback.</summary>
        public string RspamdMilterAddress { get; set; } = "127.0.0.1:11332";
        /// <summary>rspamd's controller (web interface, rspamc stats), host:port on loopback.</summary>
        public string RspamdControllerAddress { get; set; } = "127.0.0.1:11334";
        /// <summary>The system user rspamd's workers run as; it owns the DKIM key files (Debian: _rspamd).</summary>
        public string RspamdUser { get; set; } = "_rspamd";
        /// <summary>Scanning processes of the proxy worker.</summary>
        public int RspamdWorkers { get; set; } = 2;
        /// <summary>The resolver(s) rspamd asks for SPF, DKIM and DMARC records, address or address:port; none: /etc/resolv.conf.</summary>
        public string[] DnsServer { get; set; }
        /// <summary>clamd: host:port or the path of its socket (Debian: /run/clamav/clamd.ctl).</summary>
        public string ClamdAddress { get; set; } = "/run/clamav/clamd.ctl";
        /// <summary>Deliver mail unscanned when clamd does not answer, and unscanned and unsigned when rspamd does not (default:
        /// defer it with a temporary error).</summary>
        public bool ContentFilterFailOpen { get; set; }

        /// <summary>A store in PostgreSQL: where the mail hosts reach the database (default: the host the module connects to).</summary>
        public string DatabaseHost { get; set; }
        /// <summary>A store in PostgreSQL: its port and database (set by the exporter from the store's connection).</summary>
        public int DatabasePort { get; set; }
        public string DatabaseName { get; set; }
        /// <summary>The role Postfix and the group sender policy read the directory as (no access to the secrets).</summary>
        public string PostfixDatabaseUser { get; set; } = "mailadmin_postfix";
        /// <summary>The role Dovecot reads the directory and the secrets as (and writes last logins and quota usage).</summary>
        public string DovecotDatabaseUser { get; set; } = "mailadmin_dovecot";
        /// <summary>A store in PostgreSQL: where the module reaches this host's doveadm HTTP API (http://address:port); the
        /// listener is written into dovecot.conf, and the host is recorded in the store under -HostName.</summary>
        public Uri DoveadmUrl { get; set; }
        /// <summary>The doveadm API key: kept in the store's secrets to call the API; never written to a file (dovecot.conf reads
        /// it from doveadm-api.key beside it, which the admin puts there).</summary>
        public SecretText DoveadmApiKey { get; set; }
    }

}
