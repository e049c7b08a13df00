using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace MailAdmin.Remote
{
    /// <summary>
    /// Alibaba Cloud's V3 request signature, ACS3-HMAC-SHA256 (PROVIDERS-ADDENDUM 4.1): a canonical request over the method,
    /// the path, the sorted RFC 3986-encoded query, the sorted lower-case signed headers (host, x-acs-*, content-type), the
    /// signed-header list and the payload's SHA-256; the string to sign is the algorithm and the canonical request's hash;
    /// the signature is the hex HMAC-SHA256 of it keyed by the AccessKey secret.
    /// </summary>
    public static class Acs3Signer
    {
        public const string Algorithm = "ACS3-HMAC-SHA256";
        public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

        /// <summary>RFC 3986 percent-encoding: only A-Z a-z 0-9 - _ . ~ stay as they are (space is %20, * is %2A).</summary>
        public static string Encode(string s)
        {
            var sb = new StringBuilder();
            foreach (var b in Encoding.UTF8.GetBytes(s ?? ""))
            {
                var c = (char)b;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
                {
                    sb.Append(c);
                }
                else
                {
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
            return sb.ToString();
        }

        public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query)
            => string.Join(
                "&", query.Select(kv => (k: Encode(kv.Key), v: Encode(kv.Value))).OrderBy(x => x.k, StringComparer.Ordinal).Select(x => x.k + "=" + x.v));

        public static string CanonicalRequest(
            string method, string path, IEnumerable<KeyValuePair<string, string>> query, IDictionary<string, string> signedHeaders, string payloadHash)
        {
            var headers = signedHeaders.Select(kv => (k: kv.Key.ToLowerInvariant(), v: (kv.Value ?? "").Trim())).OrderBy(
                x => x.k, StringComparer.Ordinal).ToList();
            return method.ToUpperInvariant() + "\n" + (string.IsNullOrEmpty(path) ? "/" : path) + "\n" + CanonicalQuery(query) + "\n" +
                   string.Concat(headers.Select(h => h.k + ":" + h.v + "\n")) + "\n" + string.Join(";", headers.Select(h => h.k)) + "\n" + payloadHash;
        }

        public static string Signature(string secret, string canonicalRequest)
        {
            var sts = Algorithm + "\n" + Hex(Sha256(Encoding.UTF8.GetBytes(canonicalRequest)));
            using (var h = new HMACSHA256(Encoding.UTF8.GetBytes(secret)))
            {
                return Hex(h.ComputeHash(Encoding.UTF8.GetBytes(sts)));
            }
        }

        public static string Authorization(
            string accessKeyId, string secret, string method, string path, IEnumerable<KeyValuePair<string, string>> query, IDictionary<string,
            string> signedHeaders, string payloadHash)
        {
            var list = string.Join(";", signedHeaders.Keys.Select(k => k.ToLowerInvariant()).OrderBy(k => k, StringComparer.Ordinal));
            return $"{Algorithm} "
                + $"Credential={accessKeyId},SignedHeaders={list},"
                + $"Signature={Signature(secret, CanonicalRequest(method, path, query, signedHeaders, payloadHash))}";
        }

        public static string PayloadHash(byte[] payload) => Hex(Sha256(payload ?? new byte[0]));

        private static byte[] Sha256(byte[] data)
        {
            using (var s = SHA256.Create())
            {
                return s.ComputeHash(data);
            }
        }
        private static string Hex(byte[] bytes) => Tc3Signer.Hex(bytes);
    }
}
