using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailAdmin.Transport
{
    /// <summary>Matches DANE TLSA records (RFC 6698 2.1, RFC 7671) against the certificate chain a server presented.</summary>
    public static class Tlsa
    {
        /// <summary>
        /// The TLSA records ("usage selector matching hex") that match: DANE-EE (3) against the server's own certificate,
        /// DANE-TA (2) against a CA certificate of the presented chain. PKIX usages (0, 1) are ignored, as SMTP senders do (RFC 7672 3.1.3).
        /// </summary>
        public static List<string> Matching(IEnumerable<string> records, IReadOnlyList<X509Certificate2> chain)
        {
            var found = new List<string>();
            if (chain == null || chain.Count == 0)
            {
                return found;
            }

            foreach (var rec in records)
            {
                var f = rec.Split(' ');
                if (f.Length < 4 || !int.TryParse(f[0], out var usage) || !int.TryParse(f[1], out var selector) || !int.TryParse(f[2], out var matching))
                {
                    continue;
                }

                IEnumerable<X509Certificate2> candidates = usage == 3 ? chain.Take(1) : usage == 2 ? chain.Skip(1) : Enumerable.Empty<X509Certificate2>();
                var want = f[3].ToLowerInvariant();
                if (candidates.Any(c => Hex(Digest(Select(c, selector), matching)) == want))
                {
                    found.Add(rec);
                }
            }
            return found;
        }

        /// <summary>Usable for DANE SMTP: usage 2 or 3, selector 0-1, matching 0-2.</summary>
        public static bool Usable(string record)
        {
            var f = record.Split(' ');
            return f.Length >= 4 && (f[0] == "2" || f[0] == "3") && (f[1] == "0" || f[1] == "1") && (f[2] == "0" || f[2] == "1" || f[2] == "2");
        }

        private static byte[] Select(X509Certificate2 cert, int selector)
            => selector == 0 ? cert.RawData : cert.PublicKey.ExportSubjectPublicKeyInfo();

        private static byte[] Digest(byte[] data, int matching)
        {
            switch (matching)
            {
                case 1:
                    using (var h = SHA256.Create())
                    {
                        return h.ComputeHash(data);
                    }

                case 2:
                    using (var h = SHA512.Create())
                    {
                        return h.ComputeHash(data);
                    }

                default: return data;
            }
        }

        private static string Hex(byte[] b) => string.Concat(b.Select(x => x.ToString("x2", CultureInfo.InvariantCulture)));

        /// <summary>"RSA 2048", "EC 256"...: the public key's algorithm and size.</summary>
        public static (string algorithm, int bits) KeyOf(X509Certificate2 cert)
        {
            switch (cert.PublicKey.Oid.Value)
            {
                case "1.2.840.113549.1.1.1":
                    using (var rsa = cert.GetRSAPublicKey())
                    {
                        return ("RSA", rsa.KeySize);
                    }

                case "1.2.840.10045.2.1":
                    using (var ec = cert.GetECDsaPublicKey())
                    {
                        return ("EC", ec.KeySize);
                    }

                case "1.3.101.112":
                    return ("Ed25519", 256);
                default:
                    return (cert.PublicKey.Oid.FriendlyName ?? cert.PublicKey.Oid.Value ?? "unknown", 0);
            }
        }
    }
}
