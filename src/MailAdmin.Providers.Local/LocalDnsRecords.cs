using System;
using System.Collections.Generic;
using System.Globalization;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>What a self-hosted domain publishes: MX to its mail host, SPF, DKIM, DMARC, MTA-STS, TLS-RPT and RFC 6186 SRV records.</summary>
    internal static class LocalDnsRecords
    {
        public static List<MailDnsRecord> For(string domain, string mailHost, string selector, string dkimPublicKey, DateTime createdAt)
        {
            MailDnsRecord R(string name, string type, string value, MailDnsPurpose purpose, bool required, string note, int? priority = null)
                => new MailDnsRecord
                {
                    Zone = domain, Name = name, Type = type, Value = value, Purpose = purpose, Required = required, Note = note, Priority = priority,
                };

            var list = new List<MailDnsRecord>
            {
                R(domain, "MX", mailHost, MailDnsPurpose.Mx, true,
                    "Mail for the domain goes to the Local mail host; it needs A/AAAA records and a matching PTR.", 10),
                R(domain, "TXT", "v=spf1 mx -all", MailDnsPurpose.Spf, true,
                    "Only the domain's MX hosts send its mail (RFC 7208); add other senders before -all."),
            };
            if (selector != null && dkimPublicKey != null)
                list.Add(R(selector + "._domainkey." + domain, "TXT", "v=DKIM1; k=rsa; p=" + dkimPublicKey, MailDnsPurpose.Dkim, true,
                    "RSA 2048 key the provider generated (RFC 6376, RFC 8301); long TXT values are split into 255-byte strings by most DNS hosts."));
            list.Add(R("_dmarc." + domain, "TXT", "v=DMARC1; p=quarantine; adkim=s; aspf=s; rua=mailto:postmaster@" + domain,
                MailDnsPurpose.Dmarc, true, "Quarantine mail that fails both SPF and DKIM alignment; aggregate reports go to postmaster (RFC 7489)."));
            var stsId = createdAt.ToUniversalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            list.Add(R("_mta-sts." + domain, "TXT", "v=STSv1; id=" + stsId, MailDnsPurpose.MtaSts, false,
                "With a policy served at https://mta-sts." + domain + "/.well-known/mta-sts.txt (version: STSv1, mode: enforce, mx: " + mailHost
                    + ", max_age: 604800); change id when the policy changes (RFC 8461)."));
            list.Add(R("mta-sts." + domain, "CNAME", mailHost, MailDnsPurpose.MtaSts, false,
                "The host that serves the MTA-STS policy over HTTPS with a certificate for mta-sts." + domain + "."));
            list.Add(R("_smtp._tls." + domain, "TXT", "v=TLSRPTv1; rua=mailto:postmaster@" + domain, MailDnsPurpose.TlsRpt, false,
                "Daily TLS reports from sending servers (RFC 8460)."));
            list.Add(R("_submissions._tcp." + domain, "SRV", "1 465 " + mailHost, MailDnsPurpose.Autoconfig, false,
                "Mail clients find the submission server (RFC 6186, RFC 8314).", 0));
            list.Add(R("_submission._tcp." + domain, "SRV", "1 587 " + mailHost, MailDnsPurpose.Autoconfig, false, "Submission with STARTTLS (RFC 6186).", 0));
            list.Add(R("_imaps._tcp." + domain, "SRV", "1 993 " + mailHost, MailDnsPurpose.Autoconfig, false, "IMAP over TLS (RFC 6186, RFC 8314).", 0));
            list.Add(R("_pop3s._tcp." + domain, "SRV", "1 995 " + mailHost, MailDnsPurpose.Autoconfig, false, "POP3 over TLS (RFC 6186, RFC 8314).", 0));
            return list;
        }
    }
}
