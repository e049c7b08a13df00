using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.Alimail
{
    /// <summary>DingTalk's open platform (PROVIDERS.md 2.8): token from /v1.0/oauth2/accessToken, header x-acs-dingtalk-access-token.</summary>
    internal sealed class DingTalkProtocol : IRemoteProtocol
    {
        private readonly string _appKey; private readonly SecretText _secret;
        public DingTalkProtocol(string appKey, SecretText secret)
        {
            _appKey = appKey;
            _secret = secret;
        }
        public string ProviderName => "DingTalk";

        public async Task<(string token, TimeSpan lifetime)> AcquireTokenAsync(RemoteApiClient client, string tokenKey, CancellationToken ct)
        {
            var r = new RemoteRequest(
                HttpMethod.Post, "v1.0/oauth2/accessToken",
                "get a token") { Target = _appKey, Body = new JObject { ["appKey"] = _appKey, ["appSecret"] = _secret.Reveal() } };
            var json = await client.SendAsync(r, ct).ConfigureAwait(false);
            var token = Json.Str(json["accessToken"]);
            if (string.IsNullOrEmpty(token))
            {
                throw new MailAdminException(
                    MailErrorKind.AuthenticationError, "DingTalkTokenMissing", "DingTalk answered the token request without an accessToken.",
                    _appKey) { Provider = ProviderName };
            }

            return (token, TimeSpan.FromSeconds(Math.Max(1, Json.Long(json["expireIn"]) ?? 7200)));
        }

        public void Authorize(HttpRequestMessage message, RemoteRequest request, string token)
            => message.Headers.TryAddWithoutValidation("x-acs-dingtalk-access-token", token);

        public TimeSpan? RetryAfter(HttpResponseMessage response) => RetryAfterHeader.Read(response);

        public RemoteVerdict Classify(RemoteRequest request, int status, JObject body, out MailAdminException error)
        {
            error = null;
            if (status >= 200 && status < 300)
            {
                return RemoteVerdict.Success;
            }

            var code = Json.Str(body?["code"]) ?? status.ToString(CultureInfo.InvariantCulture);
            var msg = Json.Str(body?["message"]) ?? "";
            var kind = status == 401 || (request.TokenKey == null && status == 400) ? MailErrorKind.AuthenticationError : status == 403
                ? MailErrorKind.PermissionDenied
                : status == 404 ? MailErrorKind.ObjectNotFound : status == 409 || code.IndexOf("exist", StringComparison.OrdinalIgnoreCase) >= 0
                    ? MailErrorKind.ResourceExists
                : status == 400 ? MailErrorKind.InvalidArgument : MailErrorKind.InvalidOperation;
            error = new MailAdminException(
                kind, "DingTalk" + kind, $"DingTalk: {request.Operation}: {code}{(msg.Length > 0 ? ": " + msg : "")} (HTTP {status}).", request.Target)
            { Provider = ProviderName, ProviderCode = code, ProviderMessage = msg };
            return status == 401 && request.TokenKey != null ? RemoteVerdict.RefreshToken : RemoteVerdict.Fail;
        }
    }
}
