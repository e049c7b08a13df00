using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>What each check is: its area, title, the rule it applies and the fix to suggest.</summary>
    public static class MailCheckCatalogue
    {
        private static readonly Dictionary<MailCheckId, MailCheckDefinition> Entries = Build();

        /// <summary>Every check, in catalogue order.</summary>
        public static IReadOnlyCollection<MailCheckDefinition> All => Entries.Values;

        /// <summary>The definition of one check.</summary>
        public static MailCheckDefinition Get(MailCheckId id)
        {
            if (Entries.TryGetValue(id, out var d))
            {
                return d;
            }

            throw new KeyNotFoundException($"No check {id} in the catalogue.");
        }

        private static Dictionary<MailCheckId, MailCheckDefinition> Build()
        {
            var list = new[]
            {
                new MailCheckDefinition(
                    MailCheckId.DomainExists,
                    "Zone",
                    "Domain exists",
                    "RFC 1035",
                    "Register the domain or correct its spelling; if it exists, make its name servers answer for it."),
                new MailCheckDefinition(
                    MailCheckId.NameServers,
                    "Zone",
                    "Name server count and form",
                    "RFC 1034 4.1, RFC 2181 10.3",
                    "Publish at least two NS records naming host names (not addresses or aliases) that each have an address."),
                new MailCheckDefinition(
                    MailCheckId.NameServerDiversity,
                    "Zone",
                    "Name server diversity",
                    "RFC 2182 3.1",
                    "Put name servers in at least two different networks (/24 for IPv4, /48 for IPv6)."),
                new MailCheckDefinition(
                    MailCheckId.DelegationConsistency,
                    "Zone",
                    "Delegation consistency",
                    "RFC 1034 4.2.2, RFC 2181 5",
                    "Make the parent's NS set and glue match the zone's own, and make every name server answer with the same serial."),
                new MailCheckDefinition(
                    MailCheckId.OpenRecursionOrTransfer,
                    "Zone",
                    "Open recursion or zone transfer",
                    "RFC 5358",
                    "Turn off recursion and unrestricted zone transfer (AXFR) on the authoritative name servers."),
                new MailCheckDefinition(
                    MailCheckId.SoaFields,
                    "Zone",
                    "SOA fields",
                    "RFC 1912 2.2, RFC 2308 4",
                    "Set refresh 1200-43200 s, retry below refresh, expire 2-4 weeks and a negative TTL of at most one day."),
                new MailCheckDefinition(
                    MailCheckId.Dnssec,
                    "Zone",
                    "DNSSEC of the mail domain",
                    "RFC 4033, RFC 4035 5",
                    "Sign the zone and publish its DS record at the parent; fix a bogus chain (DS or expired signatures) at once."),
                new MailCheckDefinition(
                    MailCheckId.MxDnssec,
                    "MX",
                    "DNSSEC of the MX host zones",
                    "RFC 7672 2.2",
                    "Sign the zones of the MX hosts so that senders can use DANE."),
                new MailCheckDefinition(
                    MailCheckId.AuthenticatedAnswers,
                    "Zone",
                    "Authenticated answers",
                    "RFC 4035 3.2.3",
                    "Nothing to fix: shows which mail records came back DNSSEC-authenticated."),
                new MailCheckDefinition(
                    MailCheckId.TtlSanity,
                    "Zone",
                    "TTL sanity",
                    "RFC 1912 2.2",
                    "Use TTLs between 300 and 86400 s for A, AAAA, MX, NS and SOA."),
                new MailCheckDefinition(
                    MailCheckId.Caa,
                    "Zone",
                    "CAA for MX names",
                    "RFC 8659",
                    "Publish a CAA record naming the certificate authorities allowed to issue for the MX names."),
                new MailCheckDefinition(
                    MailCheckId.WildcardLeakage,
                    "Zone",
                    "Wildcard leakage",
                    "RFC 4592",
                    "Remove the wildcard TXT/MX records, or publish explicit records at _dmarc, _mta-sts, _smtp._tls and _bimi."),
                new MailCheckDefinition(
                    MailCheckId.EdnsAndTcp,
                    "Zone",
                    "EDNS and TCP",
                    "RFC 6891, RFC 7766",
                    "Make every name server answer EDNS(0) queries and queries over TCP."),
                new MailCheckDefinition(
                    MailCheckId.MxLookup,
                    "MX",
                    "MX records",
                    "RFC 5321 5.1",
                    "Publish MX records for the domain, or a null MX (0 .) if it takes no mail."),
                new MailCheckDefinition(
                    MailCheckId.NullMx,
                    "MX",
                    "Null MX",
                    "RFC 7505 3",
                    "A domain that takes no mail publishes exactly one MX: 0 . and nothing else."),
                new MailCheckDefinition(
                    MailCheckId.MxNotIpLiteral,
                    "MX",
                    "MX target is a name",
                    "RFC 5321 5.1",
                    "Point the MX at a host name that has A/AAAA records, never at an address."),
                new MailCheckDefinition(
                    MailCheckId.MxNotCname,
                    "MX",
                    "MX target is not an alias",
                    "RFC 2181 10.3, RFC 5321 5.1",
                    "Point the MX at the canonical host name, not at a CNAME."),
                new MailCheckDefinition(
                    MailCheckId.MxResolves,
                    "MX",
                    "MX target resolves",
                    "RFC 5321 5.1",
                    "Give every MX host an A or AAAA record, or remove the MX record."),
                new MailCheckDefinition(
                    MailCheckId.MxAddressesRoutable,
                    "MX",
                    "MX addresses are public",
                    "RFC 6890",
                    "Give the MX hosts public addresses; private, loopback and mapped addresses cannot be reached from the Internet."),
                new MailCheckDefinition(
                    MailCheckId.DuplicateMx,
                    "MX",
                    "Duplicate MX",
                    "RFC 5321 5.1",
                    "Remove the MX records that name the same host twice."),
                new MailCheckDefinition(
                    MailCheckId.MxRedundancy,
                    "MX",
                    "MX redundancy",
                    "RFC 5321 5.1",
                    "Add a second MX host (a backup or a second node) so that mail still arrives when one is down."),
                new MailCheckDefinition(
                    MailCheckId.ApprovedHosts,
                    "Zone",
                    "Approved MX and NS hosts",
                    "organisation policy",
                    "Point MX and NS at the organisation's approved hosts, or add the host to the approved list."),
                new MailCheckDefinition(
                    MailCheckId.ProviderRecords,
                    "Provider",
                    "Provider records",
                    "provider documentation",
                    "Publish the records the mail provider requires exactly as Get-MailDomainDnsRecord shows them (Publish-MailDnsRecord does it)."),
                new MailCheckDefinition(
                    MailCheckId.MxIpv6,
                    "MX",
                    "MX over IPv6",
                    "RFC 3596",
                    "Give the MX hosts AAAA records so that IPv6-only senders can deliver."),
                new MailCheckDefinition(
                    MailCheckId.TooManyMx,
                    "MX",
                    "More than 10 MX names",
                    "RFC 7208 4.6.4",
                    "Keep at most 10 MX names, or SPF mx terms for the domain fail with permerror."),
                new MailCheckDefinition(
                    MailCheckId.SpfRecord,
                    "SPF",
                    "SPF record",
                    "RFC 7208 4.5",
                    "Publish one TXT record starting v=spf1 that lists the servers sending for the domain and ends in -all or ~all."),
                new MailCheckDefinition(
                    MailCheckId.SpfMultiple,
                    "SPF",
                    "One SPF record",
                    "RFC 7208 4.5",
                    "Merge the SPF records into one; two or more make every SPF check a permerror."),
                new MailCheckDefinition(
                    MailCheckId.SpfVersionSpace,
                    "SPF",
                    "Space after v=spf1",
                    "RFC 7208 4.5",
                    "Put a space between v=spf1 and the first term."),
                new MailCheckDefinition(
                    MailCheckId.SpfType99,
                    "SPF",
                    "SPF resource record type",
                    "RFC 7208 3.1, 14.1",
                    "Remove the obsolete type-99 SPF record; keep the TXT record only."),
                new MailCheckDefinition(
                    MailCheckId.SenderId,
                    "SPF",
                    "Sender ID record",
                    "RFC 7208 appendix",
                    "Remove the spf2.0 (Sender ID) record; nothing reads it."),
                new MailCheckDefinition(
                    MailCheckId.SpfUndecodable,
                    "SPF",
                    "Readable SPF text",
                    "RFC 7208 3",
                    "Publish the SPF record as plain ASCII."),
                new MailCheckDefinition(
                    MailCheckId.SpfSize,
                    "SPF",
                    "SPF string and record size",
                    "RFC 7208 3.3, 3.4",
                    "Keep each string within 255 octets and the whole record under 450 bytes (use includes)."),
                new MailCheckDefinition(
                    MailCheckId.SpfGrammar,
                    "SPF",
                    "SPF grammar",
                    "RFC 7208 4.6, 12",
                    "Correct the term named; unknown mechanisms make the record a permerror."),
                new MailCheckDefinition(
                    MailCheckId.SpfAllGlued,
                    "SPF",
                    "all as its own term",
                    "RFC 7208 5.1",
                    "Put a space before all (ip4:192.0.2.1 -all, not ip4:192.0.2.1-all)."),
                new MailCheckDefinition(
                    MailCheckId.SpfIpValues,
                    "SPF",
                    "ip4 and ip6 values",
                    "RFC 7208 5.6",
                    "Give ip4 an IPv4 address and ip6 an IPv6 address, each with a prefix no longer than 32 or 128."),
                new MailCheckDefinition(
                    MailCheckId.SpfLookupLimit,
                    "SPF",
                    "10 DNS-lookup limit",
                    "RFC 7208 4.6.4",
                    "Cut the terms that query DNS (include, a, mx, ptr, exists, redirect) to 10 at most: replace includes by ip4/ip6 ranges or drop unused "
                        + "senders."),
                new MailCheckDefinition(
                    MailCheckId.SpfMxFanOut,
                    "SPF",
                    "mx term fan-out",
                    "RFC 7208 4.6.4",
                    "An mx term must not name a domain with more than 10 MX hosts; use ip4/ip6 instead."),
                new MailCheckDefinition(
                    MailCheckId.SpfVoidLookups,
                    "SPF",
                    "Void lookups",
                    "RFC 7208 4.6.4",
                    "Remove the terms whose names do not exist or have no records; more than two make the record a permerror."),
                new MailCheckDefinition(
                    MailCheckId.SpfTargetWithoutSpf,
                    "SPF",
                    "include/redirect target has SPF",
                    "RFC 7208 5.2, 6.1",
                    "Include or redirect only to domains that publish an SPF record."),
                new MailCheckDefinition(
                    MailCheckId.SpfLoops,
                    "SPF",
                    "Include loops and repeats",
                    "RFC 7208 4.6.4",
                    "Remove the include or redirect that leads back to a record already evaluated, and repeated includes."),
                new MailCheckDefinition(
                    MailCheckId.SpfEmptyTargets,
                    "SPF",
                    "a/mx targets resolve",
                    "RFC 7208 5.3, 5.4",
                    "Point a: and mx: terms at names that have addresses or MX records, or remove them."),
                new MailCheckDefinition(
                    MailCheckId.SpfPtr,
                    "SPF",
                    "ptr mechanism",
                    "RFC 7208 5.5",
                    "Replace ptr with ip4/ip6 or a terms; ptr SHOULD NOT be published."),
                new MailCheckDefinition(
                    MailCheckId.SpfAllPlacement,
                    "SPF",
                    "all placement",
                    "RFC 7208 5.1",
                    "Keep one all, as the last term; terms after it are never evaluated."),
                new MailCheckDefinition(
                    MailCheckId.SpfRedirectWithAll,
                    "SPF",
                    "redirect beside all",
                    "RFC 7208 6.1",
                    "Remove redirect= (ignored when all is present) or remove all."),
                new MailCheckDefinition(
                    MailCheckId.SpfModifierRepeated,
                    "SPF",
                    "Modifier repeated",
                    "RFC 7208 6",
                    "Keep each of redirect= and exp= at most once; a repeat makes the record a permerror."),
                new MailCheckDefinition(
                    MailCheckId.SpfExplanation,
                    "SPF",
                    "exp modifier",
                    "RFC 7208 6.2",
                    "Point exp= at a name holding exactly one TXT record."),
                new MailCheckDefinition(
                    MailCheckId.SpfPolicyStrength,
                    "SPF",
                    "SPF policy",
                    "RFC 7208 4.7, 8",
                    "End the record in -all (or ~all while testing); +all and ?all let anyone pass."),
                new MailCheckDefinition(
                    MailCheckId.SpfParkedDomain,
                    "SPF",
                    "SPF of a domain that sends no mail",
                    "RFC 7208 8.4",
                    "A domain that sends no mail publishes v=spf1 -all."),
                new MailCheckDefinition(
                    MailCheckId.SpfMacroTerms,
                    "SPF",
                    "Terms with macros",
                    "RFC 7208 7",
                    "Nothing to fix: terms with macros are counted but cannot be followed without a sender."),
                new MailCheckDefinition(
                    MailCheckId.SpfAuthorisedAddresses,
                    "SPF",
                    "Addresses authorised",
                    "RFC 7208 5",
                    "Review the list: every address in it may send mail as the domain."),
                new MailCheckDefinition(
                    MailCheckId.DmarcRecord,
                    "DMARC",
                    "DMARC record",
                    "RFC 7489 6.6.3",
                    "Publish a TXT record at _dmarc.<domain> starting v=DMARC1; p=."),
                new MailCheckDefinition(
                    MailCheckId.DmarcMultiple,
                    "DMARC",
                    "One DMARC record",
                    "RFC 7489 6.6.3",
                    "Keep one DMARC record; with two, receivers apply none."),
                new MailCheckDefinition(
                    MailCheckId.DmarcLeadingWhitespace,
                    "DMARC",
                    "No leading whitespace",
                    "RFC 7489 6.4",
                    "Remove the spaces before v=DMARC1."),
                new MailCheckDefinition(
                    MailCheckId.DmarcUnrelatedTxt,
                    "DMARC",
                    "Other TXT at _dmarc",
                    "RFC 7489 6.1",
                    "Remove other TXT records from _dmarc, and DMARC records from the apex."),
                new MailCheckDefinition(
                    MailCheckId.DmarcGrammar,
                    "DMARC",
                    "DMARC grammar",
                    "RFC 7489 6.4",
                    "Write tag=value pairs separated by semicolons, v=DMARC1 first."),
                new MailCheckDefinition(
                    MailCheckId.DmarcPolicy,
                    "DMARC",
                    "p tag",
                    "RFC 7489 6.3",
                    "Set p=none, quarantine or reject, right after v=DMARC1."),
                new MailCheckDefinition(
                    MailCheckId.DmarcSubdomainPolicy,
                    "DMARC",
                    "sp and np tags",
                    "RFC 7489 6.3, RFC 9091",
                    "Use none, quarantine or reject; do not weaken subdomains with sp=none while p enforces."),
                new MailCheckDefinition(
                    MailCheckId.DmarcPolicyStrength,
                    "DMARC",
                    "DMARC policy strength",
                    "RFC 7489 6.3",
                    "Move to p=quarantine and then p=reject once reports show every sender aligned."),
                new MailCheckDefinition(
                    MailCheckId.DmarcPct,
                    "DMARC",
                    "pct tag",
                    "RFC 7489 6.3",
                    "Use pct=100 (or leave it out); it is gone from RFC 9989."),
                new MailCheckDefinition(
                    MailCheckId.DmarcAlignment,
                    "DMARC",
                    "adkim and aspf",
                    "RFC 7489 6.3",
                    "Use r or s."),
                new MailCheckDefinition(
                    MailCheckId.DmarcFailureOptions,
                    "DMARC",
                    "fo tag",
                    "RFC 7489 6.3",
                    "Use a colon list of 0, 1, d and s, with ruf= beside it."),
                new MailCheckDefinition(
                    MailCheckId.DmarcReportFormatInterval,
                    "DMARC",
                    "rf and ri tags",
                    "RFC 7489 6.3",
                    "Use rf=afrf and a whole number of seconds for ri, or leave both out."),
                new MailCheckDefinition(
                    MailCheckId.DmarcUnknownTags,
                    "DMARC",
                    "Unknown or repeated tags",
                    "RFC 7489 6.3",
                    "Remove unknown tags and repeats."),
                new MailCheckDefinition(
                    MailCheckId.DmarcReportUris,
                    "DMARC",
                    "rua and ruf",
                    "RFC 7489 6.2",
                    "Give rua= one or two mailto: addresses that take aggregate reports."),
                new MailCheckDefinition(
                    MailCheckId.DmarcReportMailboxMx,
                    "DMARC",
                    "Report mailbox takes mail",
                    "RFC 7489 7.1",
                    "Make the report addresses' domains receive mail (MX records)."),
                new MailCheckDefinition(
                    MailCheckId.DmarcExternalReports,
                    "DMARC",
                    "External report authorisation",
                    "RFC 7489 7.1",
                    "Ask the report domain to publish <domain>._report._dmarc.<report domain> TXT v=DMARC1."),
                new MailCheckDefinition(
                    MailCheckId.DmarcPsd,
                    "DMARC",
                    "psd tag",
                    "RFC 9989",
                    "Use psd=y, n or u."),
                new MailCheckDefinition(
                    MailCheckId.DkimSelectors,
                    "DKIM",
                    "DKIM selectors",
                    "RFC 6376 3.6.2",
                    "Publish the signing key at <selector>._domainkey.<domain> and name the selector with -DkimSelector."),
                new MailCheckDefinition(
                    MailCheckId.DkimRecord,
                    "DKIM",
                    "DKIM key record",
                    "RFC 6376 3.6.2.2",
                    "Publish exactly one TXT record per selector; an alias (CNAME) must lead to one."),
                new MailCheckDefinition(
                    MailCheckId.DkimVersion,
                    "DKIM",
                    "DKIM v= tag",
                    "RFC 6376 3.6.1",
                    "Start the key record with v=DKIM1, or leave v= out."),
                new MailCheckDefinition(
                    MailCheckId.DkimPublicKey,
                    "DKIM",
                    "DKIM public key",
                    "RFC 6376 3.6.1",
                    "Publish the signer's public key as base64 in p=; an empty p= revokes the key."),
                new MailCheckDefinition(
                    MailCheckId.DkimKeySize,
                    "DKIM",
                    "DKIM key size and type",
                    "RFC 8301 3.2, RFC 8463",
                    "Use an RSA key of 2048 bits (beside an Ed25519 key if you like)."),
                new MailCheckDefinition(
                    MailCheckId.DkimKeyType,
                    "DKIM",
                    "DKIM k= tag",
                    "RFC 6376 3.6.1, RFC 8463",
                    "Use k=rsa or k=ed25519."),
                new MailCheckDefinition(
                    MailCheckId.DkimHashAlgorithms,
                    "DKIM",
                    "DKIM h= tag",
                    "RFC 8301 3.1",
                    "Allow sha256 (h=sha256) or leave h= out."),
                new MailCheckDefinition(
                    MailCheckId.DkimFlags,
                    "DKIM",
                    "DKIM t= flags",
                    "RFC 6376 3.6.1",
                    "Remove t=y once signing works."),
                new MailCheckDefinition(
                    MailCheckId.DkimServiceType,
                    "DKIM",
                    "DKIM s= tag",
                    "RFC 6376 3.6.1",
                    "Use s=email or s=*, or leave s= out."),
                new MailCheckDefinition(
                    MailCheckId.DkimLegacyTags,
                    "DKIM",
                    "Legacy DKIM tags",
                    "RFC 6376 appendix C",
                    "Remove g= and the _adsp record."),
                new MailCheckDefinition(
                    MailCheckId.MtaStsRecord,
                    "MTA-STS",
                    "MTA-STS record",
                    "RFC 8461 3.1",
                    "Publish one TXT record at _mta-sts.<domain>: v=STSv1; id=<1-32 letters or digits>."),
                new MailCheckDefinition(
                    MailCheckId.MtaStsRecordSyntax,
                    "MTA-STS",
                    "MTA-STS record syntax",
                    "RFC 8461 3.1",
                    "Start with v=STSv1; give id= 1-32 letters or digits, once."),
                new MailCheckDefinition(
                    MailCheckId.MtaStsPolicyFetch,
                    "MTA-STS",
                    "MTA-STS policy fetch",
                    "RFC 8461 3.3",
                    "Serve https://mta-sts.<domain>/.well-known/mta-sts.txt with status 200, text/plain, and a valid certificate for that name."),
                new MailCheckDefinition(
                    MailCheckId.MtaStsPolicySyntax,
                    "MTA-STS",
                    "MTA-STS policy syntax",
                    "RFC 8461 3.2",
                    "Write version: STSv1, mode:, max_age: and one mx: line per MX pattern."),
                new MailCheckDefinition(
                    MailCheckId.MtaStsMaxAge,
                    "MTA-STS",
                    "MTA-STS max_age",
                    "RFC 8461 3.2",
                    "Use a max_age of at least one week (604800) once the policy is stable."),
                new MailCheckDefinition(
                    MailCheckId.MtaStsMode,
                    "MTA-STS",
                    "MTA-STS mode",
                    "RFC 8461 5",
                    "Move from mode: testing to mode: enforce once TLS reports are clean."),
                new MailCheckDefinition(
                    MailCheckId.MtaStsMxCoverage,
                    "MTA-STS",
                    "MX covered by the policy",
                    "RFC 8461 4.1",
                    "Add an mx: line that matches every MX host."),
                new MailCheckDefinition(
                    MailCheckId.MtaStsMxTls,
                    "MTA-STS",
                    "MX TLS under enforce",
                    "RFC 8461 4.2",
                    "Give every MX STARTTLS with a publicly trusted certificate for its name before enforcing."),
                new MailCheckDefinition(
                    MailCheckId.TlsRptCompanion,
                    "TLS-RPT",
                    "TLS-RPT beside MTA-STS or DANE",
                    "RFC 8460 3",
                    "Publish a TLS-RPT record so that senders report TLS failures."),
                new MailCheckDefinition(
                    MailCheckId.TlsRptRecord,
                    "TLS-RPT",
                    "TLS-RPT record",
                    "RFC 8460 3",
                    "Publish one TXT record at _smtp._tls.<domain>: v=TLSRPTv1; rua=mailto:..."),
                new MailCheckDefinition(
                    MailCheckId.TlsRptRua,
                    "TLS-RPT",
                    "TLS-RPT rua",
                    "RFC 8460 3",
                    "Give rua= mailto: or https: addresses."),
                new MailCheckDefinition(
                    MailCheckId.DaneTlsa,
                    "DANE",
                    "TLSA records",
                    "RFC 7672 2.2",
                    "Publish TLSA 3 1 1 records at _25._tcp.<mx> in a DNSSEC-signed zone."),
                new MailCheckDefinition(
                    MailCheckId.DaneDenialOfExistence,
                    "DANE",
                    "Denial of TLSA",
                    "RFC 7672 2.2",
                    "Make the signed zone answer TLSA queries (NXDOMAIN or NODATA with proof), never SERVFAIL."),
                new MailCheckDefinition(
                    MailCheckId.DaneFields,
                    "DANE",
                    "TLSA fields",
                    "RFC 6698 2.1",
                    "Use usage 0-3, selector 0-1, matching 0-2 and a digest of the right length."),
                new MailCheckDefinition(
                    MailCheckId.DaneUsage,
                    "DANE",
                    "TLSA usage",
                    "RFC 7672 3.1.3, RFC 7671 5.2",
                    "Publish 3 1 1 (or 2 1 1) records."),
                new MailCheckDefinition(
                    MailCheckId.DaneMatchesCertificate,
                    "DANE",
                    "TLSA matches the certificate",
                    "RFC 7672 3",
                    "Update the TLSA records to the certificate the MX serves (publish the next key before rolling)."),
                new MailCheckDefinition(
                    MailCheckId.DaneRollover,
                    "DANE",
                    "TLSA rollover",
                    "RFC 7671 8",
                    "Publish a second TLSA record (the next key or a 2 1 1 record) before a key change."),
                new MailCheckDefinition(
                    MailCheckId.BimiRecord,
                    "BIMI",
                    "BIMI record",
                    "draft-brand-indicators-for-message-identification",
                    "Publish default._bimi.<domain> TXT v=BIMI1; l=https://...svg."),
                new MailCheckDefinition(
                    MailCheckId.BimiDmarcPrerequisite,
                    "BIMI",
                    "DMARC for BIMI",
                    "draft-brand-indicators-for-message-identification 7.1",
                    "Enforce DMARC (p=quarantine or reject, pct=100) before publishing BIMI."),
                new MailCheckDefinition(
                    MailCheckId.BimiSvg,
                    "BIMI",
                    "BIMI logo",
                    "draft-svg-tiny-ps-abrotman",
                    "Serve an SVG Tiny PS logo (version 1.2, baseProfile tiny-ps, with a title) of at most 32 KB."),
                new MailCheckDefinition(
                    MailCheckId.BimiMarkCertificate,
                    "BIMI",
                    "BIMI mark certificate",
                    "draft-fetch-validation-vmc-wchuang",
                    "Serve a current mark certificate whose logo hash matches the l= logo."),
                new MailCheckDefinition(
                    MailCheckId.SmtpReachable,
                    "SMTP",
                    "Port 25 reachable",
                    "RFC 5321 2.1",
                    "Open TCP port 25 on every MX address."),
                new MailCheckDefinition(
                    MailCheckId.SmtpGreeting,
                    "SMTP",
                    "SMTP greeting",
                    "RFC 5321 4.2",
                    "Greet with 220 and the host name that the address's PTR gives."),
                new MailCheckDefinition(
                    MailCheckId.SmtpTiming,
                    "SMTP",
                    "SMTP timing",
                    "RFC 5321 4.5.3.2",
                    "Answer within a few seconds (a deliberate greet pause is fine)."),
                new MailCheckDefinition(
                    MailCheckId.SmtpEhlo,
                    "SMTP",
                    "EHLO",
                    "RFC 5321 4.1.1.1",
                    "Accept EHLO and answer a well-formed 250 list."),
                new MailCheckDefinition(
                    MailCheckId.SmtpStartTls,
                    "SMTP",
                    "STARTTLS",
                    "RFC 3207",
                    "Offer STARTTLS with a working certificate."),
                new MailCheckDefinition(
                    MailCheckId.TlsVersions,
                    "SMTP",
                    "TLS versions",
                    "RFC 8996",
                    "Offer TLS 1.2 and 1.3 only."),
                new MailCheckDefinition(
                    MailCheckId.TlsCipherSuites,
                    "SMTP",
                    "Cipher suites",
                    "RFC 7525 4.2",
                    "Offer only ECDHE with AEAD ciphers (and TLS 1.3 suites)."),
                new MailCheckDefinition(
                    MailCheckId.TlsKeyExchange,
                    "SMTP",
                    "Key exchange",
                    "RFC 7919, RFC 8422",
                    "Use X25519 or P-256/P-384, or ffdhe3072 and larger."),
                new MailCheckDefinition(
                    MailCheckId.TlsCertificate,
                    "SMTP",
                    "Certificate",
                    "RFC 6125, RFC 5280",
                    "Serve a current certificate for the host name, RSA 2048+ or ECDSA, chained to a public root."),
                new MailCheckDefinition(
                    MailCheckId.TlsHygiene,
                    "SMTP",
                    "TLS hygiene",
                    "RFC 5746, RFC 7627",
                    "Turn off compression and client renegotiation; turn on secure renegotiation and Extended Master Secret."),
                new MailCheckDefinition(
                    MailCheckId.OpenRelay,
                    "SMTP",
                    "Open relay",
                    "RFC 5321 7.1",
                    "Refuse RCPT for outside domains from unauthenticated clients."),
                new MailCheckDefinition(
                    MailCheckId.RoleMailboxes,
                    "SMTP",
                    "postmaster and abuse",
                    "RFC 5321 4.5.1, RFC 2142",
                    "Accept mail for postmaster@ and abuse@."),
                new MailCheckDefinition(
                    MailCheckId.SmtpAuthBeforeTls,
                    "SMTP",
                    "AUTH before STARTTLS",
                    "RFC 4954 4",
                    "Offer AUTH only after STARTTLS."),
                new MailCheckDefinition(
                    MailCheckId.MxPtr,
                    "MX",
                    "Reverse DNS of MX addresses",
                    "RFC 1912 2.1",
                    "Give every MX address a PTR record naming a valid host."),
                new MailCheckDefinition(
                    MailCheckId.MxForwardConfirmedPtr,
                    "MX",
                    "Forward-confirmed reverse DNS",
                    "RFC 8601 3",
                    "Make the PTR name resolve back to the same address."),
                new MailCheckDefinition(
                    MailCheckId.ClientPorts,
                    "Client",
                    "Client ports",
                    "RFC 8314 3",
                    "Offer submission on 465 (implicit TLS) or 587 with STARTTLS, IMAP on 993 and POP3 on 995."),
                new MailCheckDefinition(
                    MailCheckId.Autodiscover,
                    "Client",
                    "Autodiscover and autoconfig",
                    "MS-OXDSCLI, Thunderbird autoconfig",
                    "Publish autodiscover/autoconfig names as the provider documents."),
                new MailCheckDefinition(
                    MailCheckId.ClientSrv,
                    "Client",
                    "Client SRV records",
                    "RFC 6186, RFC 8314",
                    "Publish _submissions._tcp, _imaps._tcp (and _pop3s._tcp) SRV records."),
                new MailCheckDefinition(
                    MailCheckId.DanglingCname,
                    "Client",
                    "Dangling aliases",
                    "RFC 1034 3.6.2",
                    "Remove aliases that point to names that no longer exist."),
                new MailCheckDefinition(
                    MailCheckId.Propagation,
                    "Zone",
                    "Propagation",
                    "RFC 1034 4.3.5",
                    "Wait for the changed records to reach every name server (Wait-MailDnsPropagation), or fix the server that differs."),
                new MailCheckDefinition(
                    MailCheckId.SpfSenderEvaluation,
                    "SPF",
                    "SPF for a sender",
                    "RFC 7208 4",
                    "Authorise the sending address in SPF, or send through a server the record lists."),
                new MailCheckDefinition(
                    MailCheckId.DmarcParkedDomain,
                    "DMARC",
                    "DMARC of a domain that takes no mail",
                    "RFC 7505, RFC 7489 6.3",
                    "A domain with a null MX that sends no mail publishes p=reject."),
                new MailCheckDefinition(
                    MailCheckId.TlsCertificateTrust,
                    "SMTP",
                    "Certificate trust",
                    "RFC 6125, RFC 8461 4.2",
                    "Serve a certificate for the MX name that chains to a publicly trusted root (MTA-STS enforce and DANE-TA senders require it)."),
            };
            var map = new Dictionary<MailCheckId, MailCheckDefinition>();
            foreach (var d in list)
            {
                map.Add(d.Id, d);
            }

            return map;
        }
    }
}
