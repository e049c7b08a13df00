using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>DKIM key records (checks 71-79) for the given selectors and commonly used ones.</summary>
    internal sealed class DkimCheck : IMailDomainCheck
    {
        public static readonly string[] CommonSelectors = { "default", "dkim", "mail", "selector1", "selector2", "google", "k1", "k2", "s1", "s2" };

        /// <summary>A wider guess (-DkimSelectorGuess Extended): the common ones and those of widely used sending services.</summary>
        public static readonly string[] ExtendedSelectors = CommonSelectors.Concat(new[]
        {
            "k3", "dkim1", "dkim2", "s1024", "s2048", "sig1", "smtp", "mx", "email", "mandrill", "mailjet", "zoho", "pm", "mxvault", "everlytickey1",
        }).ToArray();

        /// <summary>Selectors a provider is known to sign with, by the MX host names it gives its customers.</summary>
        private static readonly (string mxSuffix, string[] selectors)[] ProviderSelectors =
        {
            (".mail.protection.outlook.com", new[] { "selector1", "selector2" }),
            ("smtp.google.com", new[] { "google" }),
            (".aspmx.l.google.com", new[] { "google" }),
            ("aspmx.l.google.com", new[] { "google" }),
        };

        private readonly List<string> _found = new List<string>();

        /// <summary>The selectors under which a key record was found.</summary>
        public IReadOnlyList<string> FoundSelectors => _found;

        /// <summary>The selectors the provider table gives for these MX hosts.</summary>
        public static IEnumerable<string> SelectorsForMx(IEnumerable<string> mxHosts)
        {
            foreach (var host in mxHosts ?? Enumerable.Empty<string>())
            {
                foreach (var (suffix, selectors) in ProviderSelectors)
                {
                    if (host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                    {
                        foreach (var sel in selectors)
                        {
                            yield return sel;
                        }
                    }
                }
            }
        }
        private IDnsResolver _dns;
        private CheckSink _sink;
        private CancellationToken _ct;

        public async Task RunAsync(CheckContext context)
        {
            _dns = context.Dns;
            _sink = context.Sink;
            _ct = context.Ct;
            var mxHosts = context.MxRecords?.Select(m => m.Exchange).ToList() ?? new List<string>();
            await RunAsync(context.Domain, context.Options.DkimSelectors, context.Options.DkimSelectorGuess, mxHosts).ConfigureAwait(false);
            context.DkimSelectorsFound = _found;
        }

        /// <summary>Asks the selectors that are known for the domain (named by the admin or the connected provider, or given
        /// by the provider table for its MX hosts); guesses common ones only when none is known, as <paramref name="guess"/> says.</summary>
        private async Task RunAsync(string domain, IEnumerable<string> selectors, DkimSelectorGuess guess, IEnumerable<string> mxHosts)
        {
            var given = (selectors ?? Enumerable.Empty<string>()).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim().TrimEnd('.')).ToList();
            var known = given.Concat(SelectorsForMx(mxHosts)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            List<string> all;
            if (known.Count > 0)
            {
                all = known;
            }
            else if (guess == DkimSelectorGuess.None)
            {
                _sink.Add(MailCheckId.DkimSelectors, "DKIM keys", MailCheckStatus.Info,
                    $"No DKIM selector is known for {domain} and guessing is off: name the selectors with -DkimSelector.", "RFC 6376 3.6.2");
                return;
            }
            else
            {
                // NXDOMAIN at _domainkey.<domain> means nothing exists below it (RFC 8020), so guessing selectors is pointless.
                var root = await _dns.TxtAsync("_domainkey." + domain, _ct).ConfigureAwait(false);
                if (root.Status == DnsStatus.NxDomain)
                {
                    _sink.Add(MailCheckId.DkimSelectors, "DKIM keys", MailCheckStatus.Warning,
                        $"{domain} publishes no DKIM keys (_domainkey.{domain} does not exist): receivers cannot verify signatures of its mail.",
                        "RFC 6376 3.6.2, RFC 8020");
                    return;
                }

                all = (guess == DkimSelectorGuess.Extended ? ExtendedSelectors : CommonSelectors).ToList();
            }

            var found = 0;
            foreach (var sel in all)
            {
                var name = $"{sel}._domainkey.{domain}";
                var t = await _dns.TxtAsync(name, _ct).ConfigureAwait(false);
                var explicitSel = given.Contains(sel, StringComparer.OrdinalIgnoreCase);
                if (t.IsVoid || t.IsError)
                {
                    if (t.Aliases.Count > 0)
                    {
                        _sink.Add(MailCheckId.DkimRecord, $"DKIM selector {sel}", MailCheckStatus.Fail,
                            $"{name} is an alias of {t.Aliases[t.Aliases.Count - 1]}, which has no key record (a dangling CNAME): mail signed with '{sel}' "
                            + "fails DKIM.",
                            "RFC 6376 3.6.2.2", t.Aliases);
                    }
                    else if (explicitSel)
                        _sink.Add(
                            MailCheckId.DkimSelectors,
                            $"DKIM selector {sel}",
                            MailCheckStatus.Fail,
                            $"No DKIM key at {name}: mail signed with selector '{sel}' fails DKIM.",
                            "RFC 6376 3.6.2.2");
                    continue;
                }
                found++;
                _found.Add(sel);
                if (t.Records.Count > 1)
                {
                    _sink.Add(
                        MailCheckId.DkimRecord,
                        $"DKIM selector {sel}",
                        MailCheckStatus.Fail,
                        $"{name} has {t.Records.Count} TXT records; verifiers cannot tell which key to use.",
                        "RFC 6376 3.6.2.2",
                        t.Records);
                    continue;
                }
                CheckKey(sel, name, t.Records[0], _sink, explicitSel);
            }
            if (found == 0)
                _sink.Add(MailCheckId.DkimSelectors, "DKIM keys", given.Count > 0 ? MailCheckStatus.Fail : MailCheckStatus.Warning,
                    $"No DKIM key found for {domain} under selectors {string.Join(", ", all)}. Selectors cannot be listed from DNS: name yours with "
                    + "-DkimSelector.", "RFC 6376 3.6.2");
        }

        private const string RsaEncryption = "1.2.840.113549.1.1.1";

        /// <summary>The modulus size in bits of a DER SubjectPublicKeyInfo holding an RSA key (RFC 3279 2.3.1), or, as some
        /// signers publish, of a bare PKCS#1 RSAPublicKey; -1 when it is neither. Read with the ASN.1 reader alone: importing
        /// the key into the crypto library cost a tenth of Test-MailDomain's CPU per domain, and the size is all it gave.</summary>
        internal static int RsaKeyBits(byte[] der)
        {
            try
            {
                var top = new AsnReader(der, AsnEncodingRules.DER);
                var outer = top.ReadSequence();
                if (top.HasData)
                {
                    return -1;
                }

                var key = outer;
                if (outer.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
                {
                    var algorithm = outer.ReadSequence();
                    if (algorithm.ReadObjectIdentifier() != RsaEncryption)
                    {
                        return -1;
                    }

                    if (algorithm.HasData)
                    {
                        algorithm.ReadNull();
                    }

                    var bits = outer.ReadBitString(out var unused);
                    if (unused != 0 || algorithm.HasData || outer.HasData)
                    {
                        return -1;
                    }

                    var inner = new AsnReader(bits, AsnEncodingRules.DER);
                    key = inner.ReadSequence();
                    if (inner.HasData)
                    {
                        return -1;
                    }
                }
                var modulus = key.ReadIntegerBytes().Span;
                var exponent = key.ReadIntegerBytes().Span;
                if (key.HasData || (modulus[0] & 0x80) != 0 || (exponent[0] & 0x80) != 0)
                {
                    return -1;
                }

                var first = 0;
                while (first < modulus.Length && modulus[first] == 0)
                {
                    first++;
                }

                if (first == modulus.Length)
                {
                    return -1;
                }

                return ((modulus.Length - first - 1) * 8) + 32 - System.Numerics.BitOperations.LeadingZeroCount(modulus[first]);
            }
            catch (AsnContentException)
            {
                return -1;
            }
        }

        /// <summary>Checks one key record's text (no DNS); never throws.</summary>
        public static void CheckKey(string selector, string name, string record, CheckSink sink, bool named = false)
        {
            var tags = TagList.Parse(record);
            var problems = 0;
            void Add(MailCheckId id, MailCheckStatus s, string summary, string reference)
            {
                if (s >= MailCheckStatus.Warning)
                {
                    problems++;
                }

                sink.Add(id, $"DKIM selector {selector}", s, summary, reference, new[] { record });
            }
            if (tags.Errors.Count > 0)
            {
                Add(MailCheckId.DkimRecord, MailCheckStatus.Fail, $"The key record at {name} has a syntax error: {tags.Errors[0]}.", "RFC 6376 3.6.1");
            }

            var v = tags["v"];
            if (v != null && (tags.Tags[0].Key != "v" || v != "DKIM1"))
            {
                Add(
                    MailCheckId.DkimVersion,
                    MailCheckStatus.Fail,
                    $"v= must come first and be exactly DKIM1 (found '{v}'); verifiers discard the record.",
                    "RFC 6376 3.6.1");
            }

            var k = tags["k"] ?? "rsa";
            if (k != "rsa" && k != "ed25519")
            {
                Add(
                    MailCheckId.DkimKeyType,
                    MailCheckStatus.Fail,
                    $"k={k} is not a key type mail verifiers support (rsa, ed25519).",
                    "RFC 6376 3.6.1, RFC 8463");
            }

            var p = tags["p"];
            if (p == null) Add(MailCheckId.DkimPublicKey, MailCheckStatus.Fail, $"The key record at {name} has no p= tag.", "RFC 6376 3.6.1");
            else if (p.Trim().Length == 0)
            {
                // a revoked key is deliberate when found by guessing; under a selector the admin says is in use, mail fails
                Add(MailCheckId.DkimPublicKey, named ? MailCheckStatus.Fail : MailCheckStatus.Info,
                    $"The key at {name} is revoked (empty p=); mail signed with '{selector}' fails DKIM.", "RFC 6376 3.6.1");
            }
            else
            {
                byte[] der = null;
                try
                {
                    der = Convert.FromBase64String(new string(p.Where(c => !char.IsWhiteSpace(c)).ToArray()));
                }
                catch (FormatException)
                {
                    Add(MailCheckId.DkimPublicKey, MailCheckStatus.Fail, $"p= at {name} is not valid base64.", "RFC 6376 3.6.1");
                }
                if (der != null)
                {
                    if (k == "ed25519")
                    {
                        if (der.Length != 32)
                        {
                            Add(MailCheckId.DkimKeySize, MailCheckStatus.Fail, $"An ed25519 key is 32 bytes; p= at {name} has {der.Length}.", "RFC 8463 4");
                        }
                        else
                        {
                            Add(
                                MailCheckId.DkimKeySize,
                                MailCheckStatus.Info,
                                "The key is Ed25519 (256-bit): not every verifier supports it yet, so also sign with RSA.",
                                "RFC 8463");
                        }
                    }
                    else
                    {
                        int bits = 0;
                        bits = RsaKeyBits(der);
                        if (bits < 0)
                        {
                            Add(MailCheckId.DkimPublicKey, MailCheckStatus.Fail, $"p= at {name} is not an RSA public key.", "RFC 6376 3.6.1");
                        }
                        else if (bits < 1024)
                        {
                            Add(
                                MailCheckId.DkimKeySize,
                                MailCheckStatus.Fail,
                                $"The key is RSA {bits}-bit; verifiers must not accept keys under 1024 bits.",
                                "RFC 8301 3.2");
                        }
                        else if (bits < 2048)
                        {
                            Add(MailCheckId.DkimKeySize, MailCheckStatus.Warning, $"The key is RSA {bits}-bit; use 2048 bits.", "RFC 8301 3.2");
                        }
                        else
                        {
                            Add(MailCheckId.DkimKeySize, MailCheckStatus.Pass, $"The key is RSA {bits}-bit.", "RFC 8301 3.2");
                        }
                    }
                }
            }
            var h = tags["h"];
            if (h != null)
            {
                var algs = h.Split(':').Select(x => x.Trim().ToLowerInvariant()).ToList();
                if (algs.All(a => a == "sha1"))
                {
                    Add(MailCheckId.DkimHashAlgorithms, MailCheckStatus.Fail, "h=sha1 only: rsa-sha1 signatures must not be used.", "RFC 8301 3.1");
                }
                else if (algs.Contains("sha1"))
                {
                    Add(MailCheckId.DkimHashAlgorithms, MailCheckStatus.Warning, "h= still allows sha1.", "RFC 8301 3.1");
                }
            }
            var t = tags["t"];
            if (t != null && t.Split(':').Select(x => x.Trim()).Contains("y"))
            {
                Add(MailCheckId.DkimFlags, MailCheckStatus.Warning, "t=y: the domain is testing DKIM; verifiers treat its mail as unsigned.", "RFC 6376 3.6.1");
            }

            var s = tags["s"];
            if (s != null && !s.Split(':').Select(x => x.Trim()).Any(x => x == "email" || x == "*"))
            {
                Add(MailCheckId.DkimServiceType, MailCheckStatus.Fail, $"s={s} does not include email or *: the key cannot sign mail.", "RFC 6376 3.6.1");
            }

            if (tags["g"] != null)
            {
                Add(MailCheckId.DkimLegacyTags, MailCheckStatus.Warning, "g= is from the obsolete RFC 4871; remove it.", "RFC 6376 C.");
            }

            if (problems == 0 && p != null && p.Trim().Length > 0)
            {
                sink.Add(
                    MailCheckId.DkimPublicKey,
                    $"DKIM selector {selector}",
                    MailCheckStatus.Pass,
                    $"A valid DKIM key is published at {name}.",
                    "RFC 6376 3.6.1",
                    new[] { record });
            }
        }
    }
}
