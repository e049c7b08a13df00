using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using MailAdmin.Dns.Propagation;
using MailAdmin.Dns.Spf;
using MailAdmin.DnsHosting;
using MailAdmin.DnsHosts;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Connects to the account that hosts the domains' DNS zones and makes it the session's DNS host.</summary>
    /// <remarks>
    /// A DNS host connection is separate from the mail provider's (Connect-MailProvider): mail can be at Alimail while the
    /// zone is at PowerDNS. PowerDns takes -ApiBaseUri (its webserver, e.g. http://127.0.0.1:8081; /api/v1 is added) and
    /// -ApiKey (its api-key setting); -ServerId picks the server (default localhost). Cloudflare takes -ApiToken (an API
    /// token with DNS Write; the client keeps to 4 requests per second, Cloudflare's 1,200 per 5 minutes); -ApiBaseUri
    /// replaces https://api.cloudflare.com/client/v4 (an emulator, a proxy). DnsPod (Tencent Cloud DNSPod API 3.0) takes
    /// -SecretId and -SecretKey; every request is signed with TC3-HMAC-SHA256 (the key never travels), 20 requests/s on the
    /// client; -ApiBaseUri replaces https://dnspod.tencentcloudapi.com (e.g. the international dnspod.intl endpoint). AliDns
    /// (Alibaba Cloud DNS) takes -AccessKeyId and -AccessKeySecret; every request is signed with ACS3-HMAC-SHA256, 50
    /// requests/s on the client; -ApiBaseUri replaces https://alidns.aliyuncs.com (e.g. a regional endpoint). Secrets are SecureStrings kept in
    /// memory only, never shown, and not written to -Debug (which shows every request and answer). -ApiBaseUri must be
    /// https, or plain http to a loopback address.
    /// </remarks>
    /// <example>
    /// <code>Connect-MailDnsHost -Provider PowerDns -ApiBaseUri https://dns.contoso.com:8081 -ApiKey (Read-Host -AsSecureString 'PowerDNS API key')</code>
    /// <para>Connects to a PowerDNS Authoritative server's HTTP API and makes it the default DNS host of the session.</para>
    /// </example>
    /// <example>
    /// <code>$lab = Connect-MailDnsHost -Provider PowerDns -ApiBaseUri http://127.0.0.1:8081 -ApiKey $key -PassThru
    /// Get-MailDnsRecord contoso.com -DnsHost $lab</code>
    /// <para>Keeps the connection in a variable and reads a zone through it.</para>
    /// </example>
    /// <example>
    /// <code>Connect-MailDnsHost -Provider Cloudflare -ApiToken (Get-Secret CloudflareDnsToken)</code>
    /// <para>Connects to Cloudflare with an API token kept in a secret vault.</para>
    /// </example>
    /// <example>
    /// <code>Connect-MailDnsHost -Provider DnsPod -SecretId AKIDxxxxxxxx -SecretKey (Read-Host -AsSecureString 'SecretKey')</code>
    /// <para>Connects to Tencent Cloud DNSPod with a CAM API key.</para>
    /// </example>
    /// <example>
    /// <code>Connect-MailDnsHost -Provider AliDns -AccessKeyId LTAIxxxxxxxx -AccessKeySecret (Get-Credential AliDns)</code>
    /// <para>Connects to Alibaba Cloud DNS with a RAM user's AccessKey pair (the credential's password is the secret).</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Connect, "MailDnsHost")]
    [OutputType(typeof(MailDnsHostConnection))]
    public sealed class ConnectMailDnsHostCommand : MailAdminCmdlet
    {
        /// <summary>The DNS host: PowerDns, Cloudflare, DnsPod or AliDns.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet("PowerDns", "Cloudflare", "DnsPod", "AliDns")]
        public string Provider { get; set; }

        /// <summary>The API's address (PowerDns: its webserver, e.g. http://127.0.0.1:8081).</summary>
        [Parameter]
        public Uri ApiBaseUri { get; set; }

        /// <summary>PowerDns: the API key (its api-key setting). A SecureString, a PSCredential (its password) or text.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString ApiKey { get; set; }

        /// <summary>Cloudflare: an API token with DNS Write on the zones (sent as a Bearer token). A SecureString, a PSCredential (its password) or
        /// text.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString ApiToken { get; set; }

        /// <summary>DnsPod: the SecretId of a Tencent Cloud API key (CAM).</summary>
        [Parameter]
        public string SecretId { get; set; }

        /// <summary>DnsPod: the SecretKey of that API key. A SecureString, a PSCredential (its password) or text.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString SecretKey { get; set; }

        /// <summary>AliDns: the AccessKey ID of a RAM user allowed to manage DNS records.</summary>
        [Parameter]
        public string AccessKeyId { get; set; }

        /// <summary>AliDns: the AccessKey secret. A SecureString, a PSCredential (its password) or text.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString AccessKeySecret { get; set; }

        /// <summary>PowerDns: the server id in the API's paths (default localhost).</summary>
        [Parameter]
        public string ServerId { get; set; }

        /// <summary>Client-side limit of requests per second (default: the host's documented limit; PowerDns: none).</summary>
        [Parameter]
        [ValidateRange(0, 10000)]
        public double RequestsPerSecond { get; set; }

        /// <summary>Writes the connection object.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var options = new DnsHostOptions { ApiBaseUri = ApiBaseUri, RequestsPerSecond = RequestsPerSecond };
            if (ApiKey != null)
            {
                options.Secrets["ApiKey"] = ToSecret(ApiKey);
            }

            if (ApiToken != null)
            {
                options.Secrets["ApiToken"] = ToSecret(ApiToken);
            }

            if (!string.IsNullOrEmpty(SecretId))
            {
                options.Secrets["SecretId"] = new SecretText(SecretId);
            }

            if (SecretKey != null)
            {
                options.Secrets["SecretKey"] = ToSecret(SecretKey);
            }

            if (!string.IsNullOrEmpty(AccessKeyId))
            {
                options.Secrets["AccessKeyId"] = new SecretText(AccessKeyId);
            }

            if (AccessKeySecret != null)
            {
                options.Secrets["AccessKeySecret"] = ToSecret(AccessKeySecret);
            }

            if (!string.IsNullOrEmpty(ServerId))
            {
                options.Settings["ServerId"] = ServerId;
            }

            IDnsHost host;
            try
            {
                host = DnsHostCatalog.Open(Provider, options);
            }
            catch (MailAdminException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, Provider));
                return;
            }
            var conn = DnsHostSession.Open(host);
            WriteVerbose($"DNS host {conn} is the session's default.");
            if (PassThru)
            {
                WriteObject(conn);
            }
        }
    }
}
