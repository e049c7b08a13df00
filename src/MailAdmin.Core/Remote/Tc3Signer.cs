using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MailAdmin.Remote
{
    /// <summary>
    /// Tencent Cloud API 3.0 request signing, TC3-HMAC-SHA256 (PROVIDERS-ADDENDUM 4.2): a canonical request over the method,
    /// "/", the query, the content-type and host headers and the payload's SHA-256; a string to sign with the timestamp and
    /// the scope date/service/tc3_request; the key derived by HMAC-SHA256 from "TC3"+SecretKey over date, service and
    /// "tc3_request".
    /// </summary>
    public static class Tc3Signer
    {
        public const string Algorithm = "TC3-HMAC-SHA256";

        public static string CanonicalRequest(string method, string query, string contentType, string host, string payload)
            => method.ToUpperInvariant() + "\n/\n" + (query ?? "") + "\n" +
               "content-type:" + contentType.Trim().ToLowerInvariant() + "\n" + "host:" + host.Trim().ToLowerInvariant() + "\n" + "\n" +
               "content-type;host\n" + Hex(Sha256(Encoding.UTF8.GetBytes(payload ?? "")));

        public static string Scope(long timestamp, string service)
            => DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/" + service + "/tc3_request";

        public static string StringToSign(long timestamp, string service, string canonicalRequest)
            => Algorithm + "\n" + timestamp.ToString(CultureInfo.InvariantCulture) + "\n" + Scope(timestamp, service) + "\n"
                + Hex(Sha256(Encoding.UTF8.GetBytes(canonicalRequest)));

        public static string Signature(string secretKey, long timestamp, string service, string stringToSign)
        {
            var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var k = Hmac(Encoding.UTF8.GetBytes("TC3" + secretKey), date);
            k = Hmac(k, service);
            k = Hmac(k, "tc3_request");
            return Hex(Hmac(k, stringToSign));
        }

        /// <summary>The Authorization header value for one request.</summary>
        public static string Authorization(
            string secretId, string secretKey, string service, long timestamp, string method, string query, string contentType, string host, string payload)
        {
            var sts = StringToSign(timestamp, service, CanonicalRequest(method, query, contentType, host, payload));
            return $"{Algorithm} Credential={secretId}/{Scope(timestamp, service)}, SignedHeaders=content-type;host, "
                + $"Signature={Signature(secretKey, timestamp, service, sts)}";
        }

        private static byte[] Hmac(byte[] key, string data)
        {
            using (var h = new HMACSHA256(key))
            {
                return h.ComputeHash(Encoding.UTF8.GetBytes(data));
            }
        }
        private static byte[] Sha256(byte[] data)
        {
            using (var s = SHA256.Create())
            {
                return s.ComputeHash(data);
            }
        }
        internal static string Hex(byte[] bytes)
        {
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes)
            {
                sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }

            return sb.ToString();
        }
    }
}
