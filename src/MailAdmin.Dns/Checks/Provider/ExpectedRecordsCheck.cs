using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Dns.Spf;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>Compares live DNS with the records a provider requires (Get-MailDomainDnsRecord or a profile) and names what to publish.</summary>
    internal sealed class ExpectedRecordsCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            var options = context.Options;
            if (options.ExpectedRecords != null && options.ExpectedRecords.Count > 0)
            {
                await RunAsync(context.Dns, context.Domain, options.ExpectedRecords, "The provider", context.Sink, context.Ct).ConfigureAwait(false);
            }

            if (!string.IsNullOrEmpty(options.ExpectProvider))
            {
                var profile = ProviderProfiles.For(options.ExpectProvider, context.Domain);
                await RunAsync(context.Dns, context.Domain, profile, options.ExpectProvider, context.Sink, context.Ct).ConfigureAwait(false);
            }
        }


        private static bool HostMatches(string pattern, string host)
        {
            pattern = pattern.TrimEnd('.');
            host = host.TrimEnd('.');
            if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                return host.EndsWith(pattern.Substring(1), StringComparison.OrdinalIgnoreCase);
            }

            return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
        }

        private static string Norm(string s) => string.Join(
            " ",
            (s ?? "").Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)).Trim().TrimEnd(';');

        private static async Task RunAsync(
            IDnsResolver dns,
            string domain,
            IReadOnlyList<MailDnsRecord> expected,
            string source,
            CheckSink sink,
            CancellationToken ct)
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
                            if (hit == null)
                            {
                                sink.Add(
                                    MailCheckId.ProviderRecords,
                                    $"{source} MX {rec.Value}",
                                    MailCheckStatus.Fail,
                                    $"{source} needs the MX {rec.Value} for {domain}, and DNS does not have it: {publish}.",
                                    "RFC 5321 5.1",
                                    mx.Records.Select(m => m.ToString()));
                            }
                            else
                            {
                                sink.Add(
                                    MailCheckId.ProviderRecords,
                                    $"{source} MX {rec.Value}",
                                    MailCheckStatus.Pass,
                                    $"The MX {hit} is published as {source} requires.",
                                    "RFC 5321 5.1",
                                    new[] { hit.ToString() });
                            }

                            break;
                        }
                    case "TXT" when rec.Purpose == MailDnsPurpose.Spf:
                        {
                            var t = await dns.TxtAsync(name, ct).ConfigureAwait(false);
                            var spf = t.Records.Where(SpfRecord.IsSpf1).ToList();
                            var needTerms = rec.Value.Split(' ').Skip(1).Where(
                                x => !x.EndsWith("all", StringComparison.OrdinalIgnoreCase)).Select(x => x.ToLowerInvariant()).ToList();
                            var haveTerms = spf.Count == 1 ? spf[0].ToLowerInvariant().Split(' ').Select(x => x.TrimStart('+')).ToList() : new List<string>();
                            var missing = needTerms.Where(x => !haveTerms.Contains(x.TrimStart('+'))).ToList();
                            if (spf.Count != 1 || missing.Count > 0)
                            {
                                sink.Add(
                                    MailCheckId.ProviderRecords,
                                    $"{source} SPF",
                                    MailCheckStatus.Fail,
                                    spf.Count == 0
                                        ? $"{source} sends your mail but {domain} has no SPF record: {publish}."
                                        : $"The SPF record of {domain} lacks {string.Join(" ", missing)}, which {source} needs: publish \"{rec.Value}\" "
                                          + "(merged with your other senders).",
                                    "RFC 7208",
                                    spf);
                            }
                            else
                            {
                                sink.Add(
                                    MailCheckId.ProviderRecords,
                                    $"{source} SPF",
                                    MailCheckStatus.Pass,
                                    $"The SPF record authorises {source}'s senders.",
                                    "RFC 7208",
                                    spf);
                            }

                            break;
                        }
                    case "TXT":
                        {
                            var t = await dns.TxtAsync(name, ct).ConfigureAwait(false);
                            var ok = t.Records.Any(r => Norm(r) == Norm(rec.Value));
                            var sameKind = rec.Purpose == MailDnsPurpose.Dmarc ? t.Records.Any(r => r.StartsWith("v=DMARC1", StringComparison.Ordinal)) : false;
                            if (ok)
                            {
                                sink.Add(
                                    MailCheckId.ProviderRecords,
                                    $"{source} {rec.Purpose} {name}",
                                    MailCheckStatus.Pass,
                                    $"{name} has the {rec.Purpose} record {source} requires.",
                                    rec.Purpose == MailDnsPurpose.Dkim ? "RFC 6376" : "RFC 7489",
                                    t.Records);
                            }
                            else if (sameKind)
                            {
                                sink.Add(
                                    MailCheckId.ProviderRecords,
                                    $"{source} {rec.Purpose} {name}",
                                    MailCheckStatus.Info,
                                    $"{name} has a {rec.Purpose} record other than the one {source} suggests (\"{rec.Value}\").",
                                    "RFC 7489",
                                    t.Records);
                            }
                            else sink.Add(MailCheckId.ProviderRecords, $"{source} {rec.Purpose} {name}", MailCheckStatus.Fail,
                            t.Records.Count == 0
                                ? $"{name} has no TXT record: {publish}."
                                : $"{name} does not have the {rec.Purpose} record {source} requires (found {t.Records.Count} other TXT): {publish}.",
                            rec.Purpose == MailDnsPurpose.Dkim ? "RFC 6376 3.6.2" : "RFC 7489 6.1", t.Records);
                            break;
                        }
                    case "CNAME":
                        {
                            var c = await dns.CnameAsync(name, ct).ConfigureAwait(false);
                            var ok = c.Records.Any(r => HostMatches(rec.Value, r));
                            sink.Add(MailCheckId.ProviderRecords, $"{source} CNAME {name}", ok ? MailCheckStatus.Pass : rec.Required ? MailCheckStatus.Fail
                                : MailCheckStatus.Warning,
                                ok ? $"{name} points to {rec.Value}." : $"{name} should be an alias of {rec.Value}: {publish}.", "RFC 1034", c.Records);
                            break;
                        }
                }
            }
        }
    }
}
