using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.DnsHosting
{
    /// <summary>Secrets and settings for opening a DNS host.</summary>
    public sealed class DnsHostOptions
    {
        public Uri ApiBaseUri { get; set; }
        /// <summary>Named secrets: ApiKey, ApiToken, SecretId/SecretKey, AccessKeyId/AccessKeySecret.</summary>
        public IDictionary<string, SecretText> Secrets { get; } = new Dictionary<string, SecretText>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Named settings that are not secret (PowerDNS server id).</summary>
        public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Client-side requests per second (0: the host's documented default).</summary>
        public double RequestsPerSecond { get; set; }

        public SecretText Secret(string name, string host)
        {
            if (Secrets.TryGetValue(name, out var s) && s != null && s.Length > 0)
            {
                return s;
            }

            throw MailAdminException.Invalid("DnsHostSecretMissing", $"{host} needs -{name}.", name);
        }
    }
}
