using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MailAdmin.Validation
{
    /// <summary>Why a server certificate is not acceptable, also allowing extra trust anchors (a private or test CA).</summary>
    public static class CertificateTrust
    {
        /// <summary>Null when the certificate is valid for the host; otherwise the reason in words.</summary>
        public static string Problem(string host, X509Certificate cert, SslPolicyErrors errors, X509Certificate2Collection extraRoots)
        {
            if (errors == SslPolicyErrors.None)
            {
                return null;
            }

            if (cert == null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                return "the server sent no certificate";
            }

            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return $"the certificate is not valid for {host}";
            }

            if (extraRoots != null && extraRoots.Count > 0)
            {
                using (var chain = new X509Chain())
                {
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                    chain.ChainPolicy.ExtraStore.AddRange(extraRoots);
                    if (chain.Build(new X509Certificate2(cert)))
                    {
                        var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
                        if (extraRoots.Cast<X509Certificate2>().Any(t => t.Thumbprint == root.Thumbprint)
                            && chain.ChainStatus.All(s => s.Status == X509ChainStatusFlags.NoError || s.Status == X509ChainStatusFlags.UntrustedRoot))
                        {
                            return null;
                        }
                    }
                    var status = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).FirstOrDefault(s => s.Length > 0);
                    return "the certificate does not chain to a trusted root" + (status != null ? $" ({status})" : "");
                }
            }
            return "the certificate does not chain to a trusted root, or is expired";
        }

        /// <summary>The DNS names of a certificate's subjectAltName extension (the names it is valid for).</summary>
        public static string[] DnsNames(X509Certificate2 cert)
        {
            var names = new System.Collections.Generic.List<string>();
            var san = cert.Extensions.OfType<X509Extension>().FirstOrDefault(e => e.Oid?.Value == "2.5.29.17");
            if (san == null)
            {
                return names.ToArray();
            }

            var d = san.RawData;
            // GeneralNames: [2] IA5String dNSName entries (tag 0x82, short or one-byte long length)
            for (var i = 2; i < d.Length - 1; i++)
            {
                if (d[i] != 0x82)
                {
                    continue;
                }

                int len = d[i + 1], start = i + 2;
                if (len == 0x81 && i + 2 < d.Length)
                {
                    len = d[i + 2];
                    start = i + 3;
                }
                if (len > 0x81 || start + len > d.Length || len == 0)
                {
                    continue;
                }

                var text = System.Text.Encoding.ASCII.GetString(d, start, len);
                if (text.All(ch => char.IsLetterOrDigit(ch) || ch == '.' || ch == '-' || ch == '*'))
                {
                    names.Add(text);
                    i = start + len - 1;
                }
            }
            return names.ToArray();
        }
    }
}
