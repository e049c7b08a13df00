using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using MailAdmin.Validation;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.Alimail
{
    /// <summary>
    /// DingTalk's open platform (PROVIDERS.md 2.8). Its one mail-administration call creates a mailbox user
    /// (POST /v1.0/mail/users); everything else fails with an error that names the Alibaba Mail API, which offers it.
    /// </summary>
    public sealed class DingTalkProvider : IMailProvider, IMailboxStore, IRemoteProvider
    {
        public const string DefaultBaseUri = "https://api.dingtalk.com/";
        private readonly RemoteApiClient _api;
        private readonly string _appKey;

        public DingTalkProvider(string appKey, SecretText appSecret, RemoteApiOptions options)
        {
            if (string.IsNullOrWhiteSpace(appKey) || appSecret == null)
            {
                throw MailAdminException.Invalid(
                    "DingTalkCredentialsMissing", "DingTalk needs -AppKey and -AppSecret (DingTalk developer console: the app's credentials).", appKey);
            }

            _appKey = appKey.Trim();
            options.BaseUri = RemoteApiOptions.ResolveBase(options.BaseUri, new Uri(DefaultBaseUri));
            _api = new RemoteApiClient(new DingTalkProtocol(_appKey, appSecret), options);
        }

        public static ProviderDescriptor Descriptor { get; } = new ProviderDescriptor("DingTalk",
            "DingTalk (钉钉) open platform: creates enterprise mailbox users only; for everything else connect to Alimail.",
            MailCapability.Mailboxes, o => new DingTalkProvider(o.GetString("AppKey"), o["AppSecret"] as SecretText,
                new RemoteApiOptions
                {
                    BaseUri = o["ApiBaseUri"] as Uri,
                    RequestsPerSecond = o["RequestsPerSecond"] is double r && r > 0 ? r : 20,
                    MaxRetryAfter = o["MaxRetryAfterSec"] is int m && m > 0 ? TimeSpan.FromSeconds(m) : RemoteApiOptions.DefaultMaxRetryAfter
                }));

        public string Name => "DingTalk";
        public MailCapability Capabilities => MailCapability.Mailboxes;
        public string Target => $"{_api.Options.BaseUri} (app {_appKey})";
        public RemoteApiClient Api => _api;
        public void Dispose() => _api.Dispose();

        private MailAdminException Unsupported(string what, object target)
            => new MailAdminException(MailErrorKind.NotSupported, "DingTalkNotSupported",
                $"DingTalk's open platform does not offer {what}: it only creates mailbox users. The Alibaba Mail API does: Connect-MailProvider -Provider "
                    + $"Alimail -ClientId <App ID> -ClientSecret <Secret> (admin console: 高级应用 → API 开放平台).", target)
            { Provider = Name };

        public async Task<Mailbox> CreateMailboxAsync(MailboxCreateRequest request, CancellationToken ct)
        {
            var email = MailNames.NormalizeAddress(request.Address);
            if (string.IsNullOrWhiteSpace(request.DisplayName))
            {
                throw MailAdminException.Invalid("DisplayNameRequired", $"DingTalk requires a name (-DisplayName) for '{request.Address}'.", request.Address);
            }

            if (request.Password == null)
            {
                throw MailAdminException.Invalid("PasswordRequired", $"DingTalk requires an initial password for '{request.Address}'.", request.Address);
            }

            if (!string.IsNullOrEmpty(request.Department) || !string.IsNullOrEmpty(request.JobTitle) || !string.IsNullOrEmpty(request.Mobile)
                || request.ForcePasswordChange || (request.Aliases?.Length ?? 0) > 0 || request.QuotaMB.HasValue || !request.Enabled
                    || request.Role != MailRole.User)
            {
                throw Unsupported("department, job title, mobile, aliases, quota, role, disabled creation or a forced password change", request.Address);
            }

            var body = new JObject
            {
                ["email"] = email, ["name"] = request.DisplayName.Trim(), ["password"] = request.Password.Reveal(), ["employeeType"] = "EMPLOYEE",
            };
            var r = new RemoteRequest(
                HttpMethod.Post, "v1.0/mail/users", $"create mailbox {email}") { TokenKey = "app", Body = body, Idempotent = false, Target = email };
            var ambiguous = false;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await _api.SendAsync(r, ct).ConfigureAwait(false);
                    break;
                }
                catch (RemoteAmbiguousException) when (attempt < 6)
                {
                    // DingTalk has no call to read a mailbox back: send again, and take "already exists" as the earlier send having landed
                    ambiguous = true;
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct).ConfigureAwait(false);
                }
                catch (MailAdminException e) when (ambiguous && e.Kind == MailErrorKind.ResourceExists)
                {
                    break;
                }
            }
            return new Mailbox
            {
                Address = email, DisplayName = request.DisplayName.Trim(), Enabled = true, HasPassword = true, Domain = MailNames.DomainOf(email),
                CreatedAt = DateTime.UtcNow, Provider = Name,
            };
        }

        public Task<Mailbox> GetMailboxAsync(string address, CancellationToken ct) => throw Unsupported("reading mailboxes", address);
        public IAsyncEnumerable<Mailbox> ListMailboxes(MailboxQuery query) => throw Unsupported("listing mailboxes", null);
        public Task<Mailbox> UpdateMailboxAsync(string address, MailboxUpdate update, CancellationToken ct) => throw Unsupported("changing mailboxes", address);
        public Task RemoveMailboxAsync(string address, CancellationToken ct) => throw Unsupported("removing mailboxes", address);
        public Task<Mailbox> SetMailboxEnabledAsync(string address, bool enabled, CancellationToken ct) =>
            throw Unsupported("enabling or disabling mailboxes", address);
    }
}
