using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using MailAdmin.Validation;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.Exmail
{
    /// <summary>
    /// Tencent Exmail's open API (PROVIDERS.md section 1) behind the common capabilities. Departments are paths
    /// ("Sales/East") resolved to 64-bit ids; creates are never repeated blindly after an ambiguous failure (the
    /// member is looked up first).
    /// </summary>
    public sealed partial class ExmailProvider : IMailProvider, IMailboxStore, IMailboxPasswordStore, IGroupStore, IMailboxSettingsStore,
        IDomainDnsRecordSource, IMailLogSource, IMailboxLoginUrlSource, IAddressChecker, IRemoteProvider
    {
        public const string DefaultBaseUri = "https://api.exmail.qq.com/cgi-bin/";
        public const MailCapability Supported = MailCapability.Mailboxes | MailCapability.MailboxPasswords | MailCapability.Groups
            | MailCapability.MailboxSettings | MailCapability.DomainDnsRecords | MailCapability.Logs | MailCapability.LoginUrls | MailCapability.AddressCheck
            | MailCapability.SecurityReport | MailCapability.SecurityPolicy;

        private readonly RemoteApiClient _api;
        private readonly string _corpId;

        public ExmailProvider(
            string corpId, SecretText contactsSecret, SecretText settingsSecret, SecretText logSecret, SecretText ssoSecret, RemoteApiOptions options)
        {
            if (string.IsNullOrWhiteSpace(corpId))
            {
                throw MailAdminException.Invalid("ExmailCorpIdMissing", "Exmail needs -CorpId (工具箱 → 应用中心 in the admin console).", corpId);
            }

            _corpId = corpId.Trim();
            var secrets = new Dictionary<string, SecretText>
            {
                [ExmailProtocol.Contacts] = contactsSecret,
                [ExmailProtocol.Settings] = settingsSecret,
                [ExmailProtocol.Logs] = logSecret,
                [ExmailProtocol.Sso] = ssoSecret,
            };
            options.BaseUri = RemoteApiOptions.ResolveBase(options.BaseUri, new Uri(DefaultBaseUri));
            _api = new RemoteApiClient(new ExmailProtocol(_corpId, secrets), options);
        }

        public string Name => "Exmail";
        public MailCapability Capabilities => Supported;
        public string Target => $"{_api.Options.BaseUri} (corp {_corpId})";
        public RemoteApiClient Api => _api;
        public void Dispose() => _api.Dispose();

        private Task<JObject> Get(string path, string op, object target, string app, params (string k, string v)[] query)
        {
            var r = new RemoteRequest(HttpMethod.Get, path, op) { TokenKey = app, Target = target?.ToString() };
            foreach (var (k, v) in query) r.Query[k] = v;
            return _api.SendAsync(r, CancellationToken.None);
        }

        private async Task<JObject> Call(
            HttpMethod method, string path, string op, object target, string app, JObject body, CancellationToken ct, bool idempotent = true,
            params (string k, string v)[] query)
        {
            var r = new RemoteRequest(method, path, op) { TokenKey = app, Target = target?.ToString(), Body = body, Idempotent = idempotent };
            foreach (var (k, v) in query) r.Query[k] = v;
            return await _api.SendAsync(r, ct).ConfigureAwait(false);
        }

        private Task<JObject> Post(
            string path, string op, object target, JObject body, CancellationToken ct, string app = ExmailProtocol.Contacts, bool idempotent = true)
            => Call(HttpMethod.Post, path, op, target, app, body, ct, idempotent);

        private Task<JObject> GetJ(string path, string op, object target, CancellationToken ct, string app, params (string k, string v)[] query)
            => Call(HttpMethod.Get, path, op, target, app, null, ct, true, query);

        private static Task CreateOnce(Func<Task> create, Func<Task<bool>> exists, CancellationToken ct) => RemoteCreate.OnceAsync(create, exists, ct);

        // ---------------------------------------------------------------- DNS records

        public Task<IReadOnlyList<MailDnsRecord>> GetDnsRecordsAsync(string domain, CancellationToken ct)
        {
            var d = MailNames.NormalizeDomain(domain);
            IReadOnlyList<MailDnsRecord> records = ProviderProfiles.For("Exmail", d).Select(r =>
            {
                r.Note = r.Note ?? (r.Type == "MX" ? "Exmail's inbound mail servers (admin console: 域名管理)." : null);
                return r;
            }).ToList();
            return Task.FromResult(records);
        }

        // ---------------------------------------------------------------- address check

        private static MailAddressStatus StatusOf(long? type)
        {
            switch (type)
            {
                case 0: return MailAddressStatus.Available;
                case 1: return MailAddressStatus.Mailbox;
                case 2: return MailAddressStatus.Alias;
                case 3: return MailAddressStatus.Group;
                default: return MailAddressStatus.Invalid;
            }
        }

        public async Task<IReadOnlyList<MailAddressCheck>> CheckAddressesAsync(IReadOnlyList<string> addresses, CancellationToken ct)
        {
            var result = new List<MailAddressCheck>();
            var list = addresses.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).ToList();
            for (var i = 0; i < list.Count; i += 20) // at most 20 per call (#10020)
            {
                var chunk = list.Skip(i).Take(20).ToList();
                var body = new JObject { ["userlist"] = new JArray(chunk.Select(a => MailNames.TryNormalizeAddress(a, out var n) ? n : a)) };
                var json = await Post("user/batchcheck", $"check {chunk.Count} address(es)", chunk[0], body, ct).ConfigureAwait(false);
                var answers = (json["list"] as JArray ?? new JArray()).OfType<JObject>()
                    .ToDictionary(o => (Json.Str(o["user"]) ?? "").ToLowerInvariant(), o => Json.Long(o["type"]));
                foreach (var a in chunk)
                {
                    var key = (MailNames.TryNormalizeAddress(a, out var n) ? n : a).ToLowerInvariant();
                    result.Add(new MailAddressCheck
                    {
                        Address = a, Status = answers.TryGetValue(key, out var t) ? StatusOf(t) : MailAddressStatus.Invalid, Provider = Name,
                    });
                }
            }
            return result;
        }

        // ---------------------------------------------------------------- SSO

        public async Task<MailboxLoginUrl> GetLoginUrlAsync(string address, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            var json = await GetJ("service/get_login_url", $"get a sign-in link for {a}", a, ct, ExmailProtocol.Sso, ("userid", a)).ConfigureAwait(false);
            return new MailboxLoginUrl
            {
                Identity = a,
                Url = Json.Str(json["login_url"]),
                ExpiresAt = DateTime.UtcNow.AddSeconds(Json.Long(json["expires_in"]) ?? 300),
                Provider = Name,
            };
        }
    }
}

namespace MailAdmin.Providers.Exmail
{
    public sealed partial class ExmailProvider
    {
        /// <summary>How Connect-MailProvider opens it: CorpId, Secret (contacts app), SettingsSecret, LogSecret, SsoSecret, ApiBaseUri,
        /// RequestsPerSecond.</summary>
        public static ProviderDescriptor Descriptor { get; } = new ProviderDescriptor("Exmail",
            "Tencent Exmail (腾讯企业邮) open API: mailboxes, departments, groups, protocol switches, logs, sign-in links, address checks.",
            Supported, o =>
                new ExmailProvider(
                o.GetString("CorpId"), o["Secret"] as SecretText, o["SettingsSecret"] as SecretText, o["LogSecret"] as SecretText, o["SsoSecret"] as SecretText,
                new RemoteApiOptions
                {
                    BaseUri = o["ApiBaseUri"] as Uri,
                    RequestsPerSecond = o["RequestsPerSecond"] is double r && r > 0 ? r : 10,
                    MaxRetryAfter = o["MaxRetryAfterSec"] is int m && m > 0 ? TimeSpan.FromSeconds(m) : RemoteApiOptions.DefaultMaxRetryAfter,
                }));
    }
}
