using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Dns.Spf;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>What hosted providers need in DNS (dns/CHECKS.md provider table), for -ExpectProvider without a connection.</summary>
    public static class ProviderProfiles
    {
        public static readonly string[] Names = { "Exmail", "Alimail", "Microsoft365", "GoogleWorkspace", "NetEase" };

        public static IReadOnlyList<MailDnsRecord> For(string provider, string domain)
        {
            MailDnsRecord Mx(string host, int pref) => new MailDnsRecord { Zone = domain, Name = domain, Type = "MX", Value = host, Priority = pref, Purpose = MailDnsPurpose.Mx };
            MailDnsRecord Spf(string include) => new MailDnsRecord { Zone = domain, Name = domain, Type = "TXT", Value = $"v=spf1 include:{include} -all", Purpose = MailDnsPurpose.Spf, Note = $"include:{include}" };
            switch ((provider ?? "").ToLowerInvariant())
            {
                case "exmail": return new[] { Mx("mxbiz1.qq.com", 5), Mx("mxbiz2.qq.com", 10), Spf("spf.mail.qq.com") };
                case "alimail": return new[] { Mx("mx1.qiye.aliyun.com", 5), Mx("mx2.qiye.aliyun.com", 10), Mx("mx3.qiye.aliyun.com", 15), Spf("spf.qiye.aliyun.com") };
                case "microsoft365":
                    return new[]
                    {
                        new MailDnsRecord { Zone = domain, Name = domain, Type = "MX", Value = "*.mail.protection.outlook.com", Priority = 0, Purpose = MailDnsPurpose.Mx },
                        Spf("spf.protection.outlook.com"),
                        new MailDnsRecord { Zone = domain, Name = "autodiscover." + domain, Type = "CNAME", Value = "autodiscover.outlook.com", Purpose = MailDnsPurpose.Autoconfig },
                    };
                case "googleworkspace": return new[] { Mx("smtp.google.com", 1), Spf("_spf.google.com") };
                case "netease": return new[] { Mx("qiye163mx01.mxmail.netease.com", 5), Mx("qiye163mx02.mxmail.netease.com", 10), Spf("spf.163.com") };
                default:
                    throw MailAdmin.Errors.MailAdminException.Invalid("UnknownProviderProfile", $"'{provider}' is not a provider MailAdmin knows the DNS of; use one of {string.Join(", ", Names)}.", provider);
            }
        }
    }

    /// <summary>Compares live DNS with the records a provider requires (Get-MailDomainDnsRecord or a profile) and names what to publish.</summary>
    internal static class ExpectedRecordChecks
    {
        private const string Area = "Provider";

        private static bool HostMatches(string pattern, string host)
        {
            pattern = pattern.TrimEnd('.'); host = host.TrimEnd('.');
            if (pattern.StartsWith("*.", StringComparison.Ordinal)) return host.EndsWith(pattern.Substring(1), StringComparison.OrdinalIgnoreCase);
            return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
        }

        private static string Norm(string s) => string.Join(" ", (s ?? "").Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)).Trim().TrimEnd(';');

        public static async Task RunAsync(IDnsResolver dns, string domain, IReadOnlyList<MailDnsRecord> expected, string source, CheckSink sink, CancellationToken ct)
        {
            foreach (var rec in expected.Where(r => r.Required || r.Purpose == MailDnsPurpose.Mx || r.Purpose == MailDnsPurpose.Spf || r.Type == "CNAME"))
            {
                var name = rec.Name.TrimEnd('.');
                var publish = $"publish {name} {rec.Type} {(rec.Priority.HasValue && rec.Type == "MX" ? rec.Priority + " " : "")}{rec.Value}";
                switch (rec.Type)
                {
                    case "MX":
                    {
                        var mx = await dns.MxAsync(name, ct).ConfigureAwait(false);
                        var hit = mx.Records.FirstOrDefault(m => HostMatches(rec.Value, m.Exchange));
                        if (hit == null) sink.Add(23, Area, $"{source} MX {rec.Value}", MailCheckStatus.Fail, $"{source} needs the MX {rec.Value} for {domain}, and DNS does not have it: {publish}.", "RFC 5321 5.1", mx.Records.Select(m => m.ToString()));
                        else sink.Add(23, Area, $"{source} MX {rec.Value}", MailCheckStatus.Pass, $"The MX {hit} is published as {source} requires.", "RFC 5321 5.1", new[] { hit.ToString() });
                        break;
                    }
                    case "TXT" when rec.Purpose == MailDnsPurpose.Spf:
                    {
                        var t = await dns.TxtAsync(name, ct).ConfigureAwait(false);
                        var spf = t.Records.Where(SpfRecord.IsSpf1).ToList();
                        var needTerms = rec.Value.Split(' ').Skip(1).Where(x => !x.EndsWith("all", StringComparison.OrdinalIgnoreCase)).Select(x => x.ToLowerInvariant()).ToList();
                        var haveTerms = spf.Count == 1 ? spf[0].ToLowerInvariant().Split(' ').Select(x => x.TrimStart('+')).ToList() : new List<string>();
                        var missing = needTerms.Where(x => !haveTerms.Contains(x.TrimStart('+'))).ToList();
                        if (spf.Count != 1 || missing.Count > 0)
                            sink.Add(23, Area, $"{source} SPF", MailCheckStatus.Fail, spf.Count == 0 ? $"{source} sends your mail but {domain} has no SPF record: {publish}." : $"The SPF record of {domain} lacks {string.Join(" ", missing)}, which {source} needs: publish \"{rec.Value}\" (merged with your other senders).", "RFC 7208", spf);
                        else sink.Add(23, Area, $"{source} SPF", MailCheckStatus.Pass, $"The SPF record authorises {source}'s senders.", "RFC 7208", spf);
                        break;
                    }
                    case "TXT":
                    {
                        var t = await dns.TxtAsync(name, ct).ConfigureAwait(false);
                        var ok = t.Records.Any(r => Norm(r) == Norm(rec.Value));
                        var sameKind = rec.Purpose == MailDnsPurpose.Dmarc ? t.Records.Any(r => r.StartsWith("v=DMARC1", StringComparison.Ordinal)) : false;
                        if (ok) sink.Add(23, Area, $"{source} {rec.Purpose} {name}", MailCheckStatus.Pass, $"{name} has the {rec.Purpose} record {source} requires.", rec.Purpose == MailDnsPurpose.Dkim ? "RFC 6376" : "RFC 7489", t.Records);
                        else if (sameKind) sink.Add(23, Area, $"{source} {rec.Purpose} {name}", MailCheckStatus.Info, $"{name} has a {rec.Purpose} record other than the one {source} suggests (\"{rec.Value}\").", "RFC 7489", t.Records);
                        else sink.Add(23, Area, $"{source} {rec.Purpose} {name}", MailCheckStatus.Fail,
                            t.Records.Count == 0 ? $"{name} has no TXT record: {publish}." : $"{name} does not have the {rec.Purpose} record {source} requires (found {t.Records.Count} other TXT): {publish}.",
                            rec.Purpose == MailDnsPurpose.Dkim ? "RFC 6376 3.6.2" : "RFC 7489 6.1", t.Records);
                        break;
                    }
                    case "CNAME":
                    {
                        var c = await dns.CnameAsync(name, ct).ConfigureAwait(false);
                        var ok = c.Records.Any(r => HostMatches(rec.Value, r));
                        sink.Add(23, Area, $"{source} CNAME {name}", ok ? MailCheckStatus.Pass : rec.Required ? MailCheckStatus.Fail : MailCheckStatus.Warning,
                            ok ? $"{name} points to {rec.Value}." : $"{name} should be an alias of {rec.Value}: {publish}.", "RFC 1034", c.Records);
                        break;
                    }
                }
            }
        }
    }
}
