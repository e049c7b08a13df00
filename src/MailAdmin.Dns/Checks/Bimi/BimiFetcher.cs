using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>
    /// Fetches what a BIMI record points to and checks it: the SVG Tiny PS logo (100) and the mark certificate (101),
    /// over HTTPS with the run's resolver, certificate checked, no redirects followed.
    /// </summary>
    public sealed class BimiFetcher
    {
        private const string Area = "BIMI";
        private const string LogotypeOid = "1.3.6.1.5.5.7.1.12";
        private const string BimiEkuOid = "1.3.6.1.5.5.7.3.31";
        private readonly IDnsResolver _dns;
        public BimiFetcher(IDnsResolver dns)
        {
            _dns = dns;
        }
        public X509Certificate2Collection TrustedRoots { get; set; }
        public bool AllowPrivateAddresses { get; set; }

        private async Task<(HttpsFetchResult r, string problem)> Get(string url, CancellationToken ct)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme != "https")
            {
                return (null, $"'{url}' is not an https URL");
            }

            if (!MailAdmin.Validation.MailNames.IsHostName(u.IdnHost))
            {
                return (null, $"'{url}' does not name a valid host");
            }

            var fetcher = new MtaStsFetcher(_dns)
            {
                Port = u.Port,
                TrustedRoots = TrustedRoots,
                MaxBytes = 256 * 1024,
                AllowPrivateAddresses = AllowPrivateAddresses
            };
            var r = await fetcher.GetAsync(u.IdnHost, u.PathAndQuery, ct).ConfigureAwait(false);
            if (r.Error != null)
            {
                return (r, $"{url} cannot be fetched: {r.Error}");
            }

            if (r.Status != 200)
            {
                return (r, $"{url} answers '{r.StatusLine}', not 200 (redirects are not followed)");
            }

            return (r, null);
        }

        public async Task CheckAsync(string domain, string logoUrl, string certUrl, CheckSink sink, CancellationToken ct)
        {
            string svg = null;
            if (!string.IsNullOrEmpty(logoUrl))
            {
                var (r, problem) = await Get(logoUrl, ct).ConfigureAwait(false);
                if (problem != null) sink.Add(
                    MailCheckId.BimiSvg,
                    "BIMI logo",
                    MailCheckStatus.Fail,
                    problem + "; receivers show no logo.",
                    "draft-brand-indicators 5.2");
                else
                {
                    if (r.CertificateProblem != null)
                    {
                        sink.Add(MailCheckId.BimiSvg, "BIMI logo", MailCheckStatus.Fail, $"{logoUrl}: {r.CertificateProblem}.", "draft-brand-indicators 5.2");
                    }

                    svg = r.Body;
                    CheckSvg(logoUrl, svg, sink);
                }
            }
            if (!string.IsNullOrEmpty(certUrl))
            {
                var (r, problem) = await Get(certUrl, ct).ConfigureAwait(false);
                if (problem != null)
                {
                    sink.Add(
                        MailCheckId.BimiMarkCertificate,
                        "BIMI mark certificate",
                        MailCheckStatus.Warning,
                        problem + "; most mailbox providers show no logo without a valid mark certificate.",
                        "draft-brand-indicators 5.3");
                    return;
                }
                CheckCertificate(domain, certUrl, r.Body, svg, sink);
            }
            else if (!string.IsNullOrEmpty(logoUrl))
                sink.Add(
                    MailCheckId.BimiMarkCertificate,
                    "BIMI mark certificate",
                    MailCheckStatus.Warning,
                    "The record has no a= mark certificate (VMC or CMC): most mailbox providers (Gmail, Apple, Yahoo) show no logo without one.",
                    "draft-brand-indicators 4.2");
        }

        /// <summary>SVG Tiny Portable/Secure profile rules a receiver enforces (100).</summary>
        public static void CheckSvg(string url, string svg, CheckSink sink)
        {
            var problems = new List<string>();
            var warnings = new List<string>();
            var bytes = Encoding.UTF8.GetByteCount(svg ?? "");
            if (bytes > 32 * 1024)
            {
                problems.Add($"it is {bytes / 1024} KB (at most 32 KB)");
            }

            XmlElement root = null;
            try
            {
                var doc = new XmlDocument { XmlResolver = null };
                using (var reader = XmlReader.Create(new StringReader(svg ?? ""),
                    new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, MaxCharactersInDocument = 1 << 20 }))
                {
                    doc.Load(reader);
                }

                root = doc.DocumentElement;
            }
            catch (XmlException e)
            {
                problems.Add($"it is not well-formed XML ({e.Message})");
            }
            if (root != null)
            {
                if (root.LocalName != "svg")
                {
                    problems.Add($"the root element is <{root.LocalName}>, not <svg>");
                }

                if (root.GetAttribute("version") != "1.2")
                {
                    problems.Add($"version is '{root.GetAttribute("version")}', not \"1.2\"");
                }

                if (root.GetAttribute("baseProfile") != "tiny-ps")
                {
                    problems.Add($"baseProfile is '{root.GetAttribute("baseProfile")}', not \"tiny-ps\"");
                }

                if (root.HasAttribute("x") || root.HasAttribute("y"))
                {
                    problems.Add("the root <svg> has x= or y= attributes, which SVG Tiny PS forbids");
                }

                var title = root.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == "title");
                if (title == null)
                {
                    problems.Add("there is no <title> (the brand name) under the root");
                }
                else if (string.IsNullOrWhiteSpace(title.InnerText)
                    || Regex.IsMatch(title.InnerText.Trim(), "^(untitled|title|logo|svg|image)$", RegexOptions.IgnoreCase))
                {
                    warnings.Add($"the <title> '{title.InnerText.Trim()}' is a placeholder: give the brand's name");
                }

                var all = root.GetElementsByTagName("*").OfType<XmlElement>().ToList();
                if (all.Any(e => e.LocalName == "script"))
                {
                    problems.Add("it contains <script>, which SVG Tiny PS forbids");
                }

                if (all.Any(e => e.LocalName == "image" || e.LocalName == "foreignObject"))
                {
                    problems.Add("it contains <image> or <foreignObject> (external or embedded content is forbidden)");
                }

                if (all.Any(e => e.Attributes.OfType<XmlAttribute>().Any(a => a.LocalName == "href" && !a.Value.StartsWith("#", StringComparison.Ordinal))))
                {
                    problems.Add("it links to external resources (href not starting with '#')");
                }

                var vb = root.GetAttribute("viewBox").Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries);
                if (vb.Length == 4 && double.TryParse(vb[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var w)
                    && double.TryParse(vb[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && Math.Abs(w - h) > 0.5)
                {
                    warnings.Add($"the viewBox is {vb[2]}x{vb[3]}: receivers show the logo in a square or circle, so a square image is recommended");
                }
            }
            if (problems.Count > 0)
            {
                sink.Add(
                    MailCheckId.BimiSvg,
                    "BIMI logo",
                    MailCheckStatus.Fail,
                    $"The logo at {url} is not SVG Tiny PS: " + string.Join("; ", problems) + ".",
                    "draft-svg-tiny-ps-abrotman, draft-brand-indicators 5.2");
            }
            else if (warnings.Count > 0)
            {
                sink.Add(
                    MailCheckId.BimiSvg,
                    "BIMI logo",
                    MailCheckStatus.Warning,
                    $"The logo at {url}: " + string.Join("; ", warnings) + ".",
                    "draft-svg-tiny-ps-abrotman");
            }
            else
            {
                sink.Add(
                    MailCheckId.BimiSvg,
                    "BIMI logo",
                    MailCheckStatus.Pass,
                    $"The logo at {url} is SVG Tiny PS ({bytes:N0} bytes) with a title.",
                    "draft-svg-tiny-ps-abrotman");
            }
        }

        /// <summary>The mark certificate (VMC/CMC) PEM: validity, names, BIMI key usage, logotype carrying the same SVG, chain (101).</summary>
        public void CheckCertificate(string domain, string url, string pem, string svg, CheckSink sink)
        {
            var certs = new List<X509Certificate2>();
            var unreadable = new List<string>();
            foreach (Match m in Regex.Matches(pem ?? "", "-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", RegexOptions.Singleline))
            {
                try
                {
                    certs.Add(new X509Certificate2(Convert.FromBase64String(Regex.Replace(m.Groups[1].Value, "\\s", ""))));
                }
                catch (Exception e) when (e is FormatException || e is System.Security.Cryptography.CryptographicException)
                {
                    unreadable.Add(e.Message);
                }
            }

            if (unreadable.Count > 0)
            {
                sink.Add(
                    MailCheckId.BimiMarkCertificate,
                    "BIMI mark certificate",
                    MailCheckStatus.Warning,
                    $"{unreadable.Count} certificate block(s) at {url} cannot be read: {unreadable[0]}",
                    "RFC 7468");
            }

            if (certs.Count == 0)
            {
                sink.Add(
                    MailCheckId.BimiMarkCertificate,
                    "BIMI mark certificate",
                    MailCheckStatus.Fail,
                    $"{url} holds no PEM certificate.",
                    "draft-brand-indicators 5.3");
                return;
            }
            var leaf = certs[0];
            var problems = new List<string>();
            var warnings = new List<string>();
            var days = (leaf.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays;
            if (days < 0)
            {
                problems.Add($"it expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}");
            }
            else if (days <= 14)
            {
                warnings.Add($"it expires in {days:0} days");
            }

            if (leaf.NotBefore.ToUniversalTime() > DateTime.UtcNow)
            {
                problems.Add("it is not valid yet");
            }

            var names = MailAdmin.Validation.CertificateTrust.DnsNames(leaf);
            if (!names.Any(n => string.Equals(n, domain, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"its names ({string.Join(", ", names)}) do not include {domain}");
            }

            var eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
            if (eku == null || !eku.EnhancedKeyUsages.OfType<System.Security.Cryptography.Oid>().Any(o => o.Value == BimiEkuOid))
            {
                problems.Add("it lacks the BIMI extended key usage (1.3.6.1.5.5.7.3.31)");
            }

            var logotype = leaf.Extensions.OfType<X509Extension>().FirstOrDefault(e => e.Oid?.Value == LogotypeOid);
            if (logotype == null) problems.Add("it has no logotype extension carrying the logo");
            else if (svg != null)
            {
                var embedded = EmbeddedSvg(logotype.RawData);
                if (embedded == null)
                {
                    problems.Add("its logotype extension holds no data:image/svg+xml image");
                }
                else if (!string.Equals(embedded.Trim(), svg.Trim(), StringComparison.Ordinal))
                {
                    problems.Add("the logo in its logotype extension differs from the SVG at l=");
                }
            }
            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                foreach (var c in certs.Skip(1))
                {
                    chain.ChainPolicy.ExtraStore.Add(c);
                }

                if (TrustedRoots != null)
                {
                    chain.ChainPolicy.ExtraStore.AddRange(TrustedRoots);
                }

                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority | X509VerificationFlags.IgnoreWrongUsage;
                var built = chain.Build(leaf);
                var root = chain.ChainElements.Count > 0 ? chain.ChainElements[chain.ChainElements.Count - 1].Certificate : null;
                var anchored = built && root != null && (TrustedRoots?.OfType<X509Certificate2>().Any(t => t.Thumbprint == root.Thumbprint) == true
                    || chain.ChainStatus.All(s => s.Status == X509ChainStatusFlags.NoError));
                if (!anchored)
                {
                    warnings.Add(
                        "it does not chain to a root trusted here (Mark Verifying Authority roots are not in system stores: pass the MVA root with "
                        + "-TrustedCertificate)");
                }
            }
            var records = new[]
            {
                $"subject {leaf.Subject}", $"issuer {leaf.Issuer}", $"valid until {leaf.NotAfter.ToUniversalTime():u}",
                "names " + string.Join(", ", names)
            };
            if (problems.Count > 0)
            {
                sink.Add(
                    MailCheckId.BimiMarkCertificate,
                    "BIMI mark certificate",
                    MailCheckStatus.Fail,
                    $"The mark certificate at {url}: " + string.Join("; ", problems.Concat(warnings)) + ".",
                    "draft-brand-indicators 5.3, draft-fetch-validation-vmc-wchuang",
                    records);
            }
            else if (warnings.Count > 0)
            {
                sink.Add(
                    MailCheckId.BimiMarkCertificate,
                    "BIMI mark certificate",
                    MailCheckStatus.Warning,
                    $"The mark certificate at {url}: " + string.Join("; ", warnings) + ".",
                    "draft-fetch-validation-vmc-wchuang",
                    records);
            }
            else
            {
                sink.Add(
                    MailCheckId.BimiMarkCertificate,
                    "BIMI mark certificate",
                    MailCheckStatus.Pass,
                    $"The mark certificate at {url} is valid for {domain} and carries the same logo.",
                    "draft-fetch-validation-vmc-wchuang",
                    records);
            }
        }

        /// <summary>The SVG in a logotype extension's data: URI (base64, usually gzip-compressed), or null.</summary>
        internal static string EmbeddedSvg(byte[] ext)
        {
            var text = Encoding.ASCII.GetString(ext);
            var m = Regex.Match(text, "data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)");
            if (!m.Success)
            {
                return null;
            }

            try
            {
                var data = Convert.FromBase64String(m.Groups[1].Value);
                if (data.Length > 2 && data[0] == 0x1f && data[1] == 0x8b)
                    using (var gz = new GZipStream(new MemoryStream(data), CompressionMode.Decompress))
                    using (var outp = new MemoryStream())
                    {
                        var buf = new byte[8192];
                        int n;
                        long total = 0;
                        while ((n = gz.Read(buf, 0, buf.Length)) > 0)
                        {
                            outp.Write(buf, 0, n);
                            if ((total += n) > 1 << 20)
                            {
                                return null;
                            }
                        }
                        data = outp.ToArray();
                    }
                return Encoding.UTF8.GetString(data);
            }
            catch (Exception e) when (e is FormatException || e is InvalidDataException)
            {
                return null;
            }
        }
    }
}
