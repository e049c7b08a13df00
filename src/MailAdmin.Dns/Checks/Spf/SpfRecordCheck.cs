using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Dns.Spf;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>SPF record validation (checks 26-52): selection, syntax with positions, lookup and void counts per term, policy strength.</summary>
    internal sealed class SpfRecordCheck : IMailDomainCheck
    {
        private IDnsResolver _dns;
        private CheckSink _sink;
        private CancellationToken _ct;
        private int _voids;
        private readonly List<string> _authorised = new List<string>();
        private readonly HashSet<string> _includedOnce = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public Task RunAsync(CheckContext context)
        {
            _dns = context.Dns;
            _sink = context.Sink;
            _ct = context.Ct;
            AskType99 = context.Options.Thorough;
            return RunAsync(context.Domain, context.NullMx);
        }

        /// <summary>Also ask for the obsolete SPF record type 99 (one more question a domain).</summary>
        public bool AskType99 { get; set; }

        /// <summary>The domain's SPF record text, when it has exactly one valid one.</summary>
        public string Record { get; private set; }
        public SpfRecord Parsed { get; private set; }

        private async Task RunAsync(string domain, bool nullMx)
        {
            var txt = await _dns.TxtAsync(domain, _ct).ConfigureAwait(false);
            if (txt.IsError)
            {
                _sink.Add(
                    MailCheckId.SpfRecord,
                    "SPF record",
                    MailCheckStatus.Warning,
                    $"The TXT lookup for {domain} failed ({txt.Status}); SPF could not be checked.",
                    "RFC 7208 4.4");
                return;
            }
            var all = txt.Records;
            var spf = all.Where(SpfRecord.IsSpf1).ToList();
            var garbled = all.Where(r => r.IndexOf('\uFFFD') >= 0).ToList();
            if (garbled.Count > 0)
            {
                _sink.Add(
                    MailCheckId.SpfUndecodable,
                    "Undecodable TXT",
                    MailCheckStatus.Warning,
                    $"{garbled.Count} TXT record(s) of {domain} hold bytes that are not valid text; receivers may read them differently. Publish plain ASCII.",
                    "RFC 7208 3.3",
                    garbled.Select(Trunc));
            }

            var type99 = AskType99 ? await _dns.QueryAsync(domain, "SPF", _ct).ConfigureAwait(false) : null;
            if (type99 != null && type99.Records.Count > 0)
            {
                _sink.Add(
                    MailCheckId.SpfType99,
                    "SPF record type 99",
                    MailCheckStatus.Warning,
                    $"{domain} publishes the obsolete SPF record type (99); receivers read only TXT. Remove it, and keep the TXT record.",
                    "RFC 7208 3.1, 14.1",
                    type99.Records);
            }

            var glued = all.Where(t => t.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && !SpfRecord.IsSpf1(t)).ToList();
            var senderId = all.Where(t => t.StartsWith("spf2.0/", StringComparison.OrdinalIgnoreCase)).ToList();
            var leading = all.Where(
                t => t.Length > 0 && char.IsWhiteSpace(t[0]) && t.TrimStart().StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase)).ToList();
            if (glued.Count > 0)
            {
                _sink.Add(
                    MailCheckId.SpfVersionSpace,
                    "SPF version term",
                    MailCheckStatus.Fail,
                    $"A TXT record starts with 'v=spf1' but no space follows ('{Trunc(glued[0])}'); receivers ignore it.",
                    "RFC 7208 4.5",
                    glued);
            }

            if (leading.Count > 0)
            {
                _sink.Add(
                    MailCheckId.SpfRecord,
                    "SPF record selection",
                    MailCheckStatus.Fail,
                    "A TXT record has white space before 'v=spf1'; receivers do not take it as SPF.",
                    "RFC 7208 4.5",
                    leading);
            }

            if (senderId.Count > 0)
            {
                _sink.Add(
                    MailCheckId.SenderId,
                    "Sender ID record",
                    MailCheckStatus.Warning,
                    "A Sender ID record (spf2.0/...) is published; Sender ID is obsolete and no receiver uses it: remove it.",
                    "RFC 7208 14.1",
                    senderId);
            }

            if (spf.Count == 0)
            {
                _sink.Add(
                    MailCheckId.SpfRecord,
                    "SPF record",
                    MailCheckStatus.Warning,
                    $"{domain} publishes no SPF record: receivers cannot tell which hosts may send its mail. Publish e.g. \"v=spf1 mx -all\".",
                    "RFC 7208 4.5");
                return;
            }
            if (spf.Count > 1)
            {
                _sink.Add(
                    MailCheckId.SpfMultiple,
                    "Single SPF record",
                    MailCheckStatus.Fail,
                    $"{domain} publishes {spf.Count} SPF records; every SPF check of its mail ends in permerror. Merge them into one.",
                    "RFC 7208 4.5",
                    spf);
                return;
            }
            Record = spf[0];
            _sink.Add(MailCheckId.SpfRecord, "SPF record", MailCheckStatus.Pass, $"{domain} publishes one SPF record.", "RFC 7208 4.5", spf);
            if (Record.Length > 512)
            {
                _sink.Add(
                    MailCheckId.SpfSize,
                    "SPF record size",
                    MailCheckStatus.Warning,
                    $"The SPF record is {Record.Length} characters; answers over 512 bytes may need TCP and some receivers fail them.",
                    "RFC 7208 3.4",
                    spf);
            }
            else if (Record.Length > 450)
            {
                _sink.Add(
                    MailCheckId.SpfSize,
                    "SPF record size",
                    MailCheckStatus.Warning,
                    $"The SPF record is {Record.Length} characters; keep it under 450 so the DNS answer fits in 512 bytes.",
                    "RFC 7208 3.4",
                    spf);
            }

            SpfRecord parsed;
            try
            {
                parsed = SpfRecord.Parse(Record);
            }
            catch (SpfSyntaxException e)
            {
                var glue = Regex.Match(Record, @"\S[+~?-]all\b", RegexOptions.IgnoreCase);
                if (glue.Success)
                {
                    _sink.Add(
                        MailCheckId.SpfAllGlued,
                        "SPF 'all' placement",
                        MailCheckStatus.Fail,
                        $"'all' is glued to the term before it ('{glue.Value}' at position {glue.Index + 1}); put a space before it.",
                        "RFC 7208 4.6.1",
                        spf);
                }

                if (e.RepeatedModifier)
                {
                    _sink.Add(MailCheckId.SpfModifierRepeated, "SPF modifiers", MailCheckStatus.Fail,
                        $"{e.Message} Every check of the record ends in permerror.", "RFC 7208 6", spf, $"position {e.Position}");
                    return;
                }

                _sink.Add(
                    MailCheckId.SpfGrammar,
                    "SPF syntax",
                    MailCheckStatus.Fail,
                    $"The SPF record is invalid, so every check of it ends in permerror: {e.Message}",
                    "RFC 7208 4.6, 5",
                    spf,
                    $"position {e.Position}");
                return;
            }
            Parsed = parsed;
            _sink.Add(MailCheckId.SpfGrammar, "SPF syntax", MailCheckStatus.Pass, "The SPF record parses.", "RFC 7208 4.6");

            var perTerm = new List<string>();
            var stack = new List<string> { domain.ToLowerInvariant() };
            var lookups = await Walk(domain, parsed, stack, perTerm, top: true).ConfigureAwait(false);
            _sink.Add(MailCheckId.SpfLookupLimit, "SPF DNS-lookup limit", lookups > 10 ? MailCheckStatus.Fail : lookups > 8 ? MailCheckStatus.Warning
                : MailCheckStatus.Pass,
                lookups > 10
                    ? $"Evaluating the record takes {lookups} DNS lookups; over 10 every check ends in permerror."
                    : $"Evaluating the record takes {lookups} of the 10 DNS lookups allowed.",
                "RFC 7208 4.6.4", perTerm);
            _sink.Add(MailCheckId.SpfVoidLookups, "SPF void lookups", _voids > 2 ? MailCheckStatus.Fail : _voids > 0 ? MailCheckStatus.Warning
                : MailCheckStatus.Pass,
                _voids > 2
                    ? $"{_voids} lookups find nothing; over 2 every check ends in permerror."
                    : _voids > 0 ? $"{_voids} lookup(s) find nothing (2 allowed): remove terms that point nowhere." : "Every lookup finds data.",
                        "RFC 7208 4.6.4");

            // policy strength: the effective 'all' of the record, following redirect
            var (allTerm, via) = await EffectiveAll(parsed, domain, new HashSet<string>(StringComparer.OrdinalIgnoreCase)).ConfigureAwait(false);
            if (allTerm == null)
            {
                _sink.Add(
                    MailCheckId.SpfPolicyStrength,
                    "SPF policy",
                    MailCheckStatus.Warning,
                    "The record ends without 'all' or redirect, so unlisted senders get neutral: end it with -all (or ~all).",
                    "RFC 7208 4.7");
            }
            else if (allTerm.Qualifier == '+')
            {
                _sink.Add(
                    MailCheckId.SpfPolicyStrength,
                    "SPF policy",
                    MailCheckStatus.Fail,
                    $"'{allTerm.Text}'{via} lets any host on the internet pass SPF for this domain.",
                    "RFC 7208 5.1");
            }
            else if (allTerm.Qualifier == '?')
            {
                _sink.Add(
                    MailCheckId.SpfPolicyStrength,
                    "SPF policy",
                    MailCheckStatus.Warning,
                    $"'{allTerm.Text}'{via} is neutral: unlisted senders are not refused.",
                    "RFC 7208 8.2");
            }
            else
            {
                _sink.Add(
                    MailCheckId.SpfPolicyStrength,
                    "SPF policy",
                    MailCheckStatus.Pass,
                    $"'{allTerm.Text}'{via}: unlisted senders {(allTerm.Qualifier == '-' ? "fail" : "soft-fail")}.",
                    "RFC 7208 8.4, 8.5");
            }

            if (nullMx && !string.Equals(Record.Trim(), "v=spf1 -all", StringComparison.OrdinalIgnoreCase))
            {
                _sink.Add(
                    MailCheckId.SpfParkedDomain,
                    "Parked domain SPF",
                    MailCheckStatus.Warning,
                    "The domain receives no mail (null MX); if it sends none either, publish exactly \"v=spf1 -all\".",
                    "RFC 7505 4, RFC 7208");
            }

            if (_authorised.Count > 0)
            {
                _sink.Add(
                    MailCheckId.SpfAuthorisedAddresses,
                    "Authorised senders",
                    MailCheckStatus.Info,
                    $"The record authorises {_authorised.Count} address range(s).",
                    "RFC 7208 5",
                    _authorised.Take(100));
            }
        }

        private static string Trunc(string s) => s.Length > 60 ? s.Substring(0, 60) + "..." : s;

        /// <summary>Counts lookups of a record and everything it includes or redirects to; reports each problem once.</summary>
        private async Task<int> Walk(string domain, SpfRecord record, List<string> stack, List<string> perTerm, bool top)
        {
            var count = 0;
            var alls = record.Terms.Count(t => t.Kind == SpfTermKind.All);
            if (top && alls > 1)
            {
                _sink.Add(
                    MailCheckId.SpfAllPlacement,
                    "SPF 'all' placement",
                    MailCheckStatus.Fail,
                    $"The record of {domain} has {alls} 'all' terms; only the first can ever match.",
                    "RFC 7208 5.1");
            }

            var allIndex = record.Terms.ToList().FindIndex(t => t.Kind == SpfTermKind.All);
            if (top && allIndex >= 0 && record.Terms.Skip(allIndex + 1).Any(t => !t.IsModifier))
            {
                _sink.Add(
                    MailCheckId.SpfAllPlacement,
                    "SPF 'all' placement",
                    MailCheckStatus.Warning,
                    $"Terms after '{record.Terms[allIndex].Text}' in the record of {domain} are never evaluated.",
                    "RFC 7208 5.1");
            }

            if (top && allIndex >= 0 && record.Redirect != null)
            {
                _sink.Add(
                    MailCheckId.SpfRedirectWithAll,
                    "SPF redirect with all",
                    MailCheckStatus.Warning,
                    $"'{record.Redirect.Text}' is ignored because the record of {domain} has '{record.Terms[allIndex].Text}'.",
                    "RFC 7208 6.1");
            }

            if (top && record.Terms.Any(t => t.Kind == SpfTermKind.Ptr))
            {
                _sink.Add(
                    MailCheckId.SpfPtr,
                    "SPF ptr mechanism",
                    MailCheckStatus.Warning,
                    "The record uses 'ptr', which is slow, unreliable and should not be published.",
                    "RFC 7208 5.5");
            }

            foreach (var term in record.Terms)
            {
                if (term.Kind == SpfTermKind.Ip4 || term.Kind == SpfTermKind.Ip6)
                {
                    var prefix = term.Kind == SpfTermKind.Ip4 ? term.Cidr4 ?? 32 : term.Cidr6 ?? 128;
                    _authorised.Add($"{term.Network}/{prefix} ({domain})");
                    if ((term.Kind == SpfTermKind.Ip4 && prefix < 16) || (term.Kind == SpfTermKind.Ip6 && prefix < 32))
                    {
                        _sink.Add(
                            MailCheckId.SpfIpValues,
                            "SPF address ranges",
                            MailCheckStatus.Warning,
                            $"'{term.Text}' in the record of {domain} authorises a very large range.",
                            "RFC 7208 5.6");
                    }
                }
                if (!term.CountsLookup)
                {
                    continue;
                }

                count++;
                var hasMacro = term.DomainSpec != null && term.DomainSpec.IndexOf('%') >= 0;
                if (hasMacro)
                {
                    perTerm.Add($"{domain}: {term.Text} = 1 lookup (macro: not followed)");
                    _sink.Add(
                        MailCheckId.SpfMacroTerms,
                        "SPF macro term",
                        MailCheckStatus.Info,
                        $"'{term.Text}' in the record of {domain} depends on the sender; it counts one lookup and is not followed here.",
                        "RFC 7208 7");
                    continue;
                }
                var target = term.DomainSpec?.TrimEnd('.') ?? domain;
                switch (term.Kind)
                {
                    case SpfTermKind.Include:
                    case SpfTermKind.Redirect:
                        {
                            var what = term.Kind == SpfTermKind.Include ? "include" : "redirect";
                            if (stack.Contains(target.ToLowerInvariant()))
                            {
                                _sink.Add(
                                    MailCheckId.SpfLoops,
                                    "SPF loop",
                                    MailCheckStatus.Fail,
                                    $"'{term.Text}' in the record of {domain} loops back to {target} ({string.Join(" -> ", stack)} -> {target}).",
                                    "RFC 7208 4.6.4");
                                perTerm.Add($"{domain}: {term.Text} = loop");
                                continue;
                            }
                            if (term.Kind == SpfTermKind.Include && !_includedOnce.Add(target))
                            {
                                _sink.Add(
                                    MailCheckId.SpfLoops,
                                    "SPF duplicate include",
                                    MailCheckStatus.Warning,
                                    $"{target} is included more than once; each costs lookups again.",
                                    "RFC 7208 4.6.4");
                            }

                            var t = await _dns.TxtAsync(target, _ct).ConfigureAwait(false);
                            var recs = t.Records.Where(SpfRecord.IsSpf1).ToList();
                            if (t.IsError)
                            {
                                perTerm.Add($"{domain}: {term.Text} = 1 lookup (DNS error: {t.Status})");
                                continue;
                            }
                            if (t.IsVoid)
                            {
                                _voids++;
                            }

                            if (recs.Count != 1)
                            {
                                _sink.Add(MailCheckId.SpfTargetWithoutSpf, $"SPF {what} target", MailCheckStatus.Fail,
                                    recs.Count == 0
                                        ? $"'{term.Text}' in the record of {domain} points to {target}, which has no SPF record: the result is permerror."
                                        : $"'{term.Text}' points to {target}, which has {recs.Count} SPF records: permerror.",
                                    term.Kind == SpfTermKind.Include ? "RFC 7208 5.2" : "RFC 7208 6.1");
                                perTerm.Add($"{domain}: {term.Text} = 1 lookup (no usable SPF record)");
                                continue;
                            }
                            SpfRecord inner;
                            try
                            {
                                inner = SpfRecord.Parse(recs[0]);
                            }
                            catch (SpfSyntaxException e)
                            {
                                _sink.Add(
                                    MailCheckId.SpfTargetWithoutSpf,
                                    $"SPF {what} target",
                                    MailCheckStatus.Fail,
                                    $"'{term.Text}' points to {target}, whose SPF record is invalid: {e.Message}",
                                    "RFC 7208 5.2");
                                continue;
                            }
                            stack.Add(target.ToLowerInvariant());
                            var sub = await Walk(target, inner, stack, perTerm, top: false).ConfigureAwait(false);
                            stack.RemoveAt(stack.Count - 1);
                            count += sub;
                            perTerm.Add($"{domain}: {term.Text} = {1 + sub} lookup(s)");
                            break;
                        }
                    case SpfTermKind.A:
                        {
                            var a = await _dns.AddressAsync(target, false, _ct).ConfigureAwait(false);
                            var aaaa = await _dns.AddressAsync(target, true, _ct).ConfigureAwait(false);
                            if (a.Records.Count == 0 && aaaa.Records.Count == 0 && !a.IsError)
                            {
                                _voids++;
                                _sink.Add(
                                    MailCheckId.SpfEmptyTargets,
                                    "SPF a target",
                                    MailCheckStatus.Warning,
                                    $"'{term.Text}' in the record of {domain}: {target} has no A or AAAA record (a void lookup).",
                                    "RFC 7208 4.6.4");
                            }
                            foreach (var ip in a.Records.Concat(aaaa.Records))
                            {
                                _authorised.Add($"{ip} ({term.Text} in {domain})");
                            }

                            perTerm.Add($"{domain}: {term.Text} = 1 lookup");
                            break;
                        }
                    case SpfTermKind.Mx:
                        {
                            var mx = await _dns.MxAsync(target, _ct).ConfigureAwait(false);
                            if (mx.IsVoid)
                            {
                                _voids++;
                                _sink.Add(
                                    MailCheckId.SpfEmptyTargets,
                                    "SPF mx target",
                                    MailCheckStatus.Warning,
                                    $"'{term.Text}' in the record of {domain}: {target} has no MX record (a void lookup).",
                                    "RFC 7208 4.6.4");
                            }
                            if (mx.Records.Count > 10)
                            {
                                _sink.Add(
                                    MailCheckId.SpfMxFanOut,
                                    "SPF mx fan-out",
                                    MailCheckStatus.Fail,
                                    $"'{term.Text}': {target} has {mx.Records.Count} MX hosts; an mx mechanism may look up at most 10, so it gives permerror.",
                                    "RFC 7208 4.6.4");
                            }

                            foreach (var m in mx.Records.Take(10))
                            {
                                _authorised.Add($"{m.Exchange} ({term.Text} in {domain})");
                            }

                            perTerm.Add($"{domain}: {term.Text} = 1 lookup (+{Math.Min(10, mx.Records.Count)} address lookups)");
                            break;
                        }
                    case SpfTermKind.Exists:
                        {
                            var a = await _dns.AddressAsync(target, false, _ct).ConfigureAwait(false);
                            if (a.IsVoid)
                            {
                                _voids++;
                                _sink.Add(MailCheckId.SpfEmptyTargets, "SPF exists target", MailCheckStatus.Info,
                                    $"'{term.Text}' in the record of {domain}: {target} has no A record (a void lookup).", "RFC 7208 4.6.4, 5.7");
                            }

                            perTerm.Add($"{domain}: {term.Text} = 1 lookup");
                            break;
                        }

                    case SpfTermKind.Ptr:
                        perTerm.Add($"{domain}: {term.Text} = 1 lookup");
                        break;
                }
            }
            if (record.Exp != null && top && record.Exp.DomainSpec.IndexOf('%') < 0)
            {
                var exp = await _dns.TxtAsync(record.Exp.DomainSpec.TrimEnd('.'), _ct).ConfigureAwait(false);
                if (exp.Records.Count != 1)
                {
                    _sink.Add(
                        MailCheckId.SpfExplanation,
                        "SPF exp target",
                        MailCheckStatus.Warning,
                        $"'{record.Exp.Text}' points to {record.Exp.DomainSpec}, which has {exp.Records.Count} TXT records (exactly one is needed), so no "
                        + "explanation is given.",
                        "RFC 7208 6.2");
                }
            }
            return count;
        }

        private async Task<(SpfTerm all, string via)> EffectiveAll(SpfRecord record, string domain, HashSet<string> seen)
        {
            var all = record.Terms.FirstOrDefault(t => t.Kind == SpfTermKind.All);
            if (all != null)
            {
                return (all, "");
            }

            if (record.Redirect == null || record.Redirect.DomainSpec.IndexOf('%') >= 0 || !seen.Add(domain))
            {
                return (null, "");
            }

            var target = record.Redirect.DomainSpec.TrimEnd('.');
            var t = await _dns.TxtAsync(target, _ct).ConfigureAwait(false);
            var recs = t.Records.Where(SpfRecord.IsSpf1).ToList();
            if (recs.Count != 1)
            {
                return (null, "");
            }

            try
            {
                var (a, v) = await EffectiveAll(SpfRecord.Parse(recs[0]), target, seen).ConfigureAwait(false);
                return (a, $" (through redirect to {target}{v})");
            }
            catch (SpfSyntaxException)
            {
                return (null, "");
            }
        }
    }
}
