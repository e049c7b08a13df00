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
    }

}
