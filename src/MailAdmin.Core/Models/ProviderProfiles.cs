using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>What hosted providers need in DNS (dns/CHECKS.md provider table), for -ExpectProvider without a connection.</summary>
    public static class ProviderProfiles
    {
        public static readonly string[] Names = { "Exmail", "Alimail", "Microsoft365", "GoogleWorkspace", "NetEase" };

        public static IReadOnlyList<MailDnsRecord> For(string provider, string domain)
        {
            MailDnsRecord Mx(string host, int pref) =>
                new MailDnsRecord { Zone = domain, Name = domain, Type = "MX", Value = host, Priority = pref, Purpose = MailDnsPurpose.Mx };
            MailDnsRecord Spf(string include) => new MailDnsRecord
            {
                Zone = domain, Name = domain, Type = "TXT", Value = $"v=spf1 include:{include} -all", Purpose = MailDnsPurpose.Spf, Note = $"include:{include}",
            };
            switch ((provider ?? "").ToLowerInvariant())
            {
                case "exmail": return new[] { Mx("mxbiz1.qq.com", 5), Mx("mxbiz2.qq.com", 10), Spf("spf.mail.qq.com") };
                case "alimail":
                    return new[] { Mx("mx1.qiye.aliyun.com", 5), Mx("mx2.qiye.aliyun.com", 10), Mx("mx3.qiye.aliyun.com", 15), Spf("spf.qiye.aliyun.com") };
                case "microsoft365":
                    return new[]
                    {
                        new MailDnsRecord
                        {
                            Zone = domain, Name = domain, Type = "MX", Value = "*.mail.protection.outlook.com", Priority = 0, Purpose = MailDnsPurpose.Mx,
                        },
                        Spf("spf.protection.outlook.com"),
                        new MailDnsRecord
                        {
                            Zone = domain, Name = "autodiscover." + domain, Type = "CNAME", Value = "autodiscover.outlook.com",
                            Purpose = MailDnsPurpose.Autoconfig,
                        },
                    };
                case "googleworkspace": return new[] { Mx("smtp.google.com", 1), Spf("_spf.google.com") };
                case "netease": return new[] { Mx("qiye163mx01.mxmail.netease.com", 5), Mx("qiye163mx02.mxmail.netease.com", 10), Spf("spf.163.com") };
                default:
                    throw MailAdmin.Errors.MailAdminException.Invalid(
                        "UnknownProviderProfile",
                        $"'{provider}' is not a provider MailAdmin knows the DNS of; use one of {string.Join(", ", Names)}.",
                        provider);
            }
        }
    }

}
