using System;
using System.Collections.Generic;
using System.Linq;
using MailAdmin.DnsHosting;
using MailAdmin.Errors;

namespace MailAdmin.DnsHosts
{
    /// <summary>The DNS hosts this build can drive, each with the secrets it takes.</summary>
    public static class DnsHostCatalog
    {
        private static readonly Dictionary<string, (string[] secrets, Func<DnsHostOptions, IDnsHost> open)> Hosts =
            new Dictionary<string, (string[], Func<DnsHostOptions, IDnsHost>)>(StringComparer.OrdinalIgnoreCase)
            {
                [PowerDnsHost.HostName] = (new[] { "ApiKey" }, o => new PowerDnsHost(o)),
                [CloudflareHost.HostName] = (new[] { "ApiToken" }, o => new CloudflareHost(o)),
                [DnsPodHost.HostName] = (new[] { "SecretId", "SecretKey" }, o => new DnsPodHost(o)),
                [AliDnsHost.HostName] = (new[] { "AccessKeyId", "AccessKeySecret" }, o => new AliDnsHost(o)),
            };

        public static IReadOnlyList<string> Names => Hosts.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

        /// <summary>The secrets a host needs (parameter names of Connect-MailDnsHost).</summary>
        public static IReadOnlyList<string> SecretsOf(string host) => Hosts.TryGetValue(host, out var h) ? h.secrets : new string[0];

        public static IDnsHost Open(string host, DnsHostOptions options)
        {
            if (!Hosts.TryGetValue(host ?? "", out var h))
            {
                throw new MailAdminException(
                    MailErrorKind.NotSupported, "DnsHostUnknown", $"'{host}' is not a DNS host this build knows; it knows {string.Join(", ", Names)}.", host);
            }

            return h.open(options);
        }
    }
}
