using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>DMARC (checks 53-70): discovery with organisational-domain fallback, tags, policy, report addresses and their authorisation.</summary>
    internal sealed class DmarcCheck : IMailDomainCheck
    {
        private static readonly string[] KnownTags = { "v", "p", "sp", "np", "pct", "adkim", "aspf", "fo", "rf", "ri", "rua", "ruf", "psd", "t" };
        private IDnsResolver _dns;
        private CheckSink _sink;
        private CancellationToken _ct;

        public async Task RunAsync(CheckContext context)
        {
            _dns = context.Dns;
            _sink = context.Sink;
            _ct = context.Ct;
            await RunAsync(context.Domain).ConfigureAwait(false);
            context.DmarcPolicy = EffectivePolicy;
            context.DmarcTags = Tags;
        }

        /// <summary>The effective policy (p, or sp when found at the organisational domain), for BIMI and parked-domain checks.</summary>
        public string EffectivePolicy { get; private set; }
        public TagList Tags { get; private set; }

        /// <summary>Checks a DMARC record's text on its own (no DNS); every problem becomes a check. Never throws.</summary>
        public static TagList Validate(string record, CheckSink sink, bool fromOrgDomain = false)
        {
            var tags = TagList.Parse(record);
            if (tags.Tags.Count == 0 || !string.Equals(tags.Tags[0].Key, "v", StringComparison.Ordinal) || tags.Tags[0].Value != "DMARC1")
            {
                sink.Add(MailCheckId.DmarcGrammar, "DMARC syntax", MailCheckStatus.Fail, "The record must begin with exactly 'v=DMARC1'.", "RFC 7489 6.4");
            }

            foreach (var e in tags.Errors)
            {
                sink.Add(MailCheckId.DmarcGrammar, "DMARC syntax", MailCheckStatus.Fail, $"The DMARC record has a syntax error: {e}.", "RFC 7489 6.4");
            }

            foreach (var d in tags.Duplicates.Distinct())
            {
                sink.Add(MailCheckId.DmarcUnknownTags, "DMARC duplicate tag", MailCheckStatus.Fail, $"The tag '{d}' appears more than once.", "RFC 7489 6.4");
            }

            foreach (var t in tags.Tags.Where(t => !KnownTags.Contains(t.Key.ToLowerInvariant())).Select(t => t.Key).Distinct())
            {
                sink.Add(
                    MailCheckId.DmarcUnknownTags,
                    "DMARC unknown tag",
                    MailCheckStatus.Warning,
                    $"The tag '{t}' is not a DMARC tag; receivers ignore it.",
                    "RFC 7489 6.3");
            }

            string Policy(string v) => v == null ? null : v.ToLowerInvariant();
            bool ValidPolicy(string v) => v == "none" || v == "quarantine" || v == "reject";
            var p = Policy(tags["p"]);
            if (p == null)
                sink.Add(
                    MailCheckId.DmarcPolicy,
                    "DMARC policy",
                    MailCheckStatus.Fail,
                    "The record has no p= tag: under RFC 7489 it is invalid (RFC 9989 reads it as p=none).",
                    "RFC 7489 6.3");
            else if (!ValidPolicy(p))
                sink.Add(MailCheckId.DmarcPolicy, "DMARC policy", MailCheckStatus.Fail, $"p={tags["p"]} is not none, quarantine or reject.", "RFC 7489 6.3");
            else
            {
                if (tags.Tags.Count > 1 && !string.Equals(tags.Tags[1].Key, "p", StringComparison.OrdinalIgnoreCase))
                {
                    sink.Add(
                        MailCheckId.DmarcPolicy,
                        "DMARC tag order",
                        MailCheckStatus.Warning,
                        "p= should follow v=DMARC1 directly (RFC 7489 requires it; RFC 9989 relaxes it).",
                        "RFC 7489 6.3");
                }
            }
            foreach (var tag in new[] { "sp", "np" })
            {
                var v = Policy(tags[tag]);
                if (v != null && !ValidPolicy(v))
                {
                    sink.Add(
                        MailCheckId.DmarcSubdomainPolicy,
                        $"DMARC {tag}",
                        MailCheckStatus.Fail,
                        $"{tag}={tags[tag]} is not none, quarantine or reject.",
                        "RFC 7489 6.3, RFC 9091");
                }
                else if (v == "none" && (p == "quarantine" || p == "reject"))
                {
                    sink.Add(
                        MailCheckId.DmarcSubdomainPolicy,
                        $"DMARC {tag}",
                        MailCheckStatus.Warning,
                        $"{tag}=none leaves subdomains unprotected although p={p}.",
                        "RFC 7489 6.3");
                }
            }
            var effective = fromOrgDomain && tags["sp"] != null ? Policy(tags["sp"]) : p;
            if (ValidPolicy(effective ?? ""))
            {
                var testing = string.Equals(tags["t"], "y", StringComparison.OrdinalIgnoreCase);
                if (effective == "none")
                {
                    sink.Add(
                        MailCheckId.DmarcPolicyStrength,
                        "DMARC enforcement",
                        MailCheckStatus.Warning,
                        "The policy is none: failing mail is still delivered. Move to quarantine, then reject, once reports look clean.",
                        "RFC 7489 6.3");
                }
                else if (effective == "quarantine")
                {
                    sink.Add(
                        MailCheckId.DmarcPolicyStrength,
                        "DMARC enforcement",
                        MailCheckStatus.Info,
                        $"The policy is quarantine{(testing ? " in test mode (t=y)" : "")}; reject gives full protection.",
                        "RFC 7489 6.3");
                }
                else
                {
                    sink.Add(
                        MailCheckId.DmarcPolicyStrength,
                        "DMARC enforcement",
                        testing ? MailCheckStatus.Info : MailCheckStatus.Pass,
                        testing ? "The policy is reject but in test mode (t=y), applied one step weaker." : "The policy is reject.",
                        "RFC 7489 6.3");
                }
            }
            var pct = tags["pct"];
            if (pct != null)
            {
                if (!int.TryParse(pct, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100)
                {
                    sink.Add(MailCheckId.DmarcPct, "DMARC pct", MailCheckStatus.Fail, $"pct={pct} is not a whole number from 0 to 100.", "RFC 7489 6.3");
                }
                else if (n < 100)
                {
                    sink.Add(
                        MailCheckId.DmarcPct,
                        "DMARC pct",
                        MailCheckStatus.Warning,
                        $"pct={n}: the policy applies to only {n}% of failing mail.",
                        "RFC 7489 6.3");
                }
            }
            foreach (var tag in new[] { "adkim", "aspf" })
            {
                var v = tags[tag];
                if (v != null && v != "r" && v != "s")
                {
                    sink.Add(MailCheckId.DmarcAlignment, $"DMARC {tag}", MailCheckStatus.Fail, $"{tag}={v} is not r or s.", "RFC 7489 6.3");
                }
            }
            var fo = tags["fo"];
            if (fo != null)
            {
                var parts = fo.Split(':').Select(x => x.Trim()).ToList();
                if (parts.Any(x => x != "0" && x != "1" && x != "d" && x != "s"))
                {
                    sink.Add(
                        MailCheckId.DmarcFailureOptions,
                        "DMARC fo",
                        MailCheckStatus.Fail,
                        $"fo={fo} may only list 0, 1, d and s, separated by ':'.",
                        "RFC 7489 6.3");
                }
                else if (tags["ruf"] == null)
                {
                    sink.Add(MailCheckId.DmarcFailureOptions, "DMARC fo", MailCheckStatus.Info, "fo= has no effect without ruf=.", "RFC 7489 6.3");
                }
            }
            var rf = tags["rf"];
            if (rf != null && !string.Equals(rf, "afrf", StringComparison.OrdinalIgnoreCase))
            {
                sink.Add(
                    MailCheckId.DmarcReportFormatInterval,
                    "DMARC rf",
                    MailCheckStatus.Warning,
                    $"rf={rf}: the only report format is afrf.",
                    "RFC 7489 6.3");
            }

            var ri = tags["ri"];
            if (ri != null && !uint.TryParse(ri, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                sink.Add(MailCheckId.DmarcReportFormatInterval, "DMARC ri", MailCheckStatus.Warning, $"ri={ri} is not a number of seconds.", "RFC 7489 6.3");
            }

            var psd = tags["psd"];
            if (psd != null && psd != "y" && psd != "n" && psd != "u")
            {
                sink.Add(MailCheckId.DmarcPsd, "DMARC psd", MailCheckStatus.Fail, $"psd={psd} is not y, n or u.", "RFC 9989");
            }

            foreach (var tag in new[] { "rua", "ruf" })
            {
                var v = tags[tag];
                if (v == null)
                {
                    continue;
                }

                var uris = v.Split(',').Select(x => x.Trim()).Where(x => x.Length > 0).ToList();
                if (uris.Count > 2)
                {
                    sink.Add(
                        MailCheckId.DmarcReportUris,
                        $"DMARC {tag}",
                        MailCheckStatus.Warning,
                        $"{tag} lists {uris.Count} addresses; some reporters send to the first two only.",
                        "RFC 7489 6.2");
                }

                foreach (var u in uris)
                {
                    var colon = u.IndexOf(':');
                    if (colon <= 0) sink.Add(
                        MailCheckId.DmarcReportUris,
                        $"DMARC {tag}",
                        MailCheckStatus.Fail,
                        $"'{u}' in {tag} has no URI scheme (use mailto:address).",
                        "RFC 7489 6.2");
                    else if (u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
                    {
                        var addr = u.Substring(7).Split('!')[0];
                        if (addr.IndexOf('@') <= 0)
                        {
                            sink.Add(
                                MailCheckId.DmarcReportUris,
                                $"DMARC {tag}",
                                MailCheckStatus.Fail,
                                $"'{u}' in {tag} is not a mail address.",
                                "RFC 7489 6.2");
                        }
                    }
                    else if (u.StartsWith("http:", StringComparison.OrdinalIgnoreCase)) sink.Add(
                        MailCheckId.DmarcReportUris,
                        $"DMARC {tag}",
                        MailCheckStatus.Warning,
                        $"'{u}' in {tag} is plain http.",
                        "RFC 7489 6.2");
                }
            }
            if (tags["rua"] == null)
            {
                sink.Add(
                    MailCheckId.DmarcReportUris,
                    "DMARC reports",
                    MailCheckStatus.Warning,
                    "No rua= address: you get no aggregate reports and cannot see who sends as your domain.",
                    "RFC 7489 6.3");
            }

            return tags;
        }

        private async Task RunAsync(string domain)
        {
            var (records, at, other) = await Find(domain).ConfigureAwait(false);
            var apex = (await _dns.TxtAsync(domain, _ct).ConfigureAwait(false)).Records.Where(r => r.StartsWith("v=DMARC1", StringComparison.Ordinal)).ToList();
            if (apex.Count > 0)
            {
                _sink.Add(
                    MailCheckId.DmarcUnrelatedTxt,
                    "DMARC location",
                    MailCheckStatus.Fail,
                    $"A DMARC record is published at {domain} itself, where it has no effect: it belongs at _dmarc.{domain}.",
                    "RFC 7489 6.1",
                    apex);
            }

            if (other.Count > 0)
            {
                _sink.Add(
                    MailCheckId.DmarcUnrelatedTxt,
                    "DMARC unrelated TXT",
                    MailCheckStatus.Warning,
                    $"_dmarc.{domain} also has TXT records that are not DMARC; some receivers fail on them.",
                    "RFC 7489 6.6.3",
                    other);
            }

            if (records.Count == 0)
            {
                _sink.Add(
                    MailCheckId.DmarcRecord,
                    "DMARC record",
                    MailCheckStatus.Fail,
                    $"No DMARC record at _dmarc.{domain}{(at != domain ? $" or _dmarc.{at}" : "")}: receivers apply no policy to mail forging this domain. "
                    + $"Publish e.g. \"v=DMARC1; p=quarantine; rua=mailto:postmaster@{domain}\".",
                    "RFC 7489 6.6.3");
                return;
            }
            if (records.Count > 1)
            {
                _sink.Add(
                    MailCheckId.DmarcMultiple,
                    "Single DMARC record",
                    MailCheckStatus.Fail,
                    $"_dmarc.{at} has {records.Count} DMARC records; receivers then apply none.",
                    "RFC 7489 6.6.3",
                    records);
                return;
            }
            var fromOrg = !string.Equals(at, domain, StringComparison.OrdinalIgnoreCase);
            _sink.Add(
                MailCheckId.DmarcRecord,
                "DMARC record",
                MailCheckStatus.Pass,
                fromOrg
                    ? $"No record at _dmarc.{domain}; the organisational domain's record at _dmarc.{at} applies."
                    : $"DMARC record found at _dmarc.{domain}.",
                "RFC 7489 6.6.3",
                records);
            var leading = records[0].Length > 0 && char.IsWhiteSpace(records[0][0]);
            if (leading)
            {
                _sink.Add(
                    MailCheckId.DmarcLeadingWhitespace,
                    "DMARC leading space",
                    MailCheckStatus.Fail,
                    "The record starts with white space; it must start with 'v=DMARC1'.",
                    "RFC 7489 6.4");
            }

            Tags = Validate(records[0].Trim(), _sink, fromOrg);
            var p = Tags["p"]?.ToLowerInvariant();
            EffectivePolicy = fromOrg && Tags["sp"] != null ? Tags["sp"].ToLowerInvariant() : p;
            await ReportDestinations(at, Tags).ConfigureAwait(false);
        }

        /// <summary>_dmarc.domain, then (RFC 7489 6.6.3) _dmarc.organisational-domain.</summary>
        private async Task<(List<string> records, string at, List<string> other)> Find(string domain)
        {
            var t = await _dns.TxtAsync("_dmarc." + domain, _ct).ConfigureAwait(false);
            var recs = t.Records.Where(r => r.TrimStart().StartsWith("v=DMARC1", StringComparison.Ordinal)).ToList();
            var other = t.Records.Where(r => !r.TrimStart().StartsWith("v=DMARC1", StringComparison.Ordinal)).ToList();
            if (recs.Count > 0)
            {
                return (recs, domain, other);
            }

            var org = PublicSuffixList.Default.OrganizationalDomain(domain);
            if (string.Equals(org, domain, StringComparison.OrdinalIgnoreCase))
            {
                return (recs, domain, other);
            }

            var o = await _dns.TxtAsync("_dmarc." + org, _ct).ConfigureAwait(false);
            return (o.Records.Where(r => r.TrimStart().StartsWith("v=DMARC1", StringComparison.Ordinal)).ToList(), org, other);
        }

        private async Task ReportDestinations(string policyDomain, TagList tags)
        {
            var orgPolicy = PublicSuffixList.Default.OrganizationalDomain(policyDomain);
            foreach (var tag in new[] { "rua", "ruf" })
            {
                var v = tags[tag];
                if (v == null)
                {
                    continue;
                }

                foreach (var u in v.Split(',').Select(x => x.Trim()).Where(x => x.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)))
                {
                    var addr = u.Substring(7).Split('!')[0];
                    var at = addr.LastIndexOf('@');
                    if (at <= 0)
                    {
                        continue;
                    }

                    var host = addr.Substring(at + 1).TrimEnd('.').ToLowerInvariant();
                    var mx = await _dns.MxAsync(host, _ct).ConfigureAwait(false);
                    if (mx.Records.Count == 0 && !mx.IsError)
                    {
                        _sink.Add(
                            MailCheckId.DmarcReportMailboxMx,
                            "DMARC report mailbox",
                            MailCheckStatus.Warning,
                            $"{host} ({tag}) has no MX record; reports to {addr} may not arrive.",
                            "RFC 7489 7.1");
                    }

                    if (string.Equals(PublicSuffixList.Default.OrganizationalDomain(host), orgPolicy, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var authName = $"{policyDomain}._report._dmarc.{host}";
                    var auth = await _dns.TxtAsync(authName, _ct).ConfigureAwait(false);
                    var ok = auth.Records.Count(r => r.StartsWith("v=DMARC1", StringComparison.Ordinal)) == 1;
                    if (!ok)
                    {
                        var wild = await _dns.TxtAsync($"*._report._dmarc.{host}", _ct).ConfigureAwait(false);
                        ok = wild.Records.Count(r => r.StartsWith("v=DMARC1", StringComparison.Ordinal)) == 1;
                    }
                    _sink.Add(MailCheckId.DmarcExternalReports, "DMARC external reports", ok ? MailCheckStatus.Pass : MailCheckStatus.Warning,
                        ok
                            ? $"{host} has authorised reports for {policyDomain} ({authName})."
                            : $"Reports go to {addr} outside the domain, but {host} has not authorised them: publish TXT \"v=DMARC1\" at {authName}, or "
                              + "receivers drop that address.",
                        "RFC 7489 7.1");
                }
            }
        }
    }
}
