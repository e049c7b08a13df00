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
    /// <summary>
    /// Alibaba Mail's open API (PROVIDERS.md 2.0): OAuth2 client_credentials at /oauth2/v2.0/token, "Authorization: bearer",
    /// REST with string ids, success = HTTP 2xx with the resource, failures = non-2xx with {detailErrorCode, message, developerMessage}.
    /// </summary>
    internal sealed class AlimailProtocol : IRemoteProtocol
    {
        private readonly string _clientId; private readonly SecretText _secret;
        public AlimailProtocol(string clientId, SecretText secret) { _clientId = clientId; _secret = secret; }
        public string ProviderName => "Alimail";

        public async Task<(string token, TimeSpan lifetime)> AcquireTokenAsync(RemoteApiClient client, string tokenKey, CancellationToken ct)
        {
            var r = new RemoteRequest(HttpMethod.Post, "oauth2/v2.0/token", "get a token") { Target = _clientId };
            r.Form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = _clientId, ["client_secret"] = _secret.Reveal() };
            var json = await client.SendAsync(r, ct).ConfigureAwait(false);
            var token = Json.Str(json["access_token"]);
            if (string.IsNullOrEmpty(token)) throw new MailAdminException(MailErrorKind.AuthenticationError, "AlimailTokenMissing", "Alibaba Mail answered the token request without an access_token.", _clientId) { Provider = ProviderName };
            return (token, TimeSpan.FromSeconds(Math.Max(1, Json.Long(json["expires_in"]) ?? 3600)));
        }

        public void Authorize(HttpRequestMessage message, RemoteRequest request, string token)
            => message.Headers.TryAddWithoutValidation("Authorization", "bearer " + token);

        public TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var ra = response.Headers.RetryAfter;
            if (ra?.Delta != null) return ra.Delta;
            if (ra?.Date != null) return ra.Date.Value - DateTimeOffset.UtcNow;
            return null;
        }

        public RemoteVerdict Classify(RemoteRequest request, int status, JObject body, out MailAdminException error)
        {
            error = null;
            if (status >= 200 && status < 300) return RemoteVerdict.Success;
            var code = Json.Str(body?["detailErrorCode"]) ?? Json.Str(body?["error"]) ?? status.ToString(CultureInfo.InvariantCulture);
            var msg = Json.Str(body?["message"]) ?? Json.Str(body?["error_description"]) ?? "";
            var dev = Json.Str(body?["developerMessage"]);
            if (!string.IsNullOrEmpty(dev) && dev != msg) msg = msg.Length == 0 ? dev : msg + " (" + dev + ")";
            MailErrorKind kind; string id; string text;
            switch (status)
            {
                case 400: kind = request.TokenKey == null ? MailErrorKind.AuthenticationError : MailErrorKind.InvalidArgument; id = request.TokenKey == null ? "AlimailInvalidClient" : "AlimailInvalidValue"; text = request.TokenKey == null ? "the client id or secret was refused" : "a value was refused"; break;
                case 401: kind = MailErrorKind.AuthenticationError; id = request.TokenKey == null ? "AlimailInvalidClient" : "AlimailTokenRejected"; text = request.TokenKey == null ? "the client id or secret was refused" : "the access token was refused even after a refresh"; break;
                case 403: kind = MailErrorKind.PermissionDenied; id = "AlimailPermissionDenied"; text = "the application lacks this permission (tick it in API 开放平台) or the edition has no API access"; break;
                case 404: kind = MailErrorKind.ObjectNotFound; id = "AlimailNotFound"; text = "not found"; break;
                case 409: kind = MailErrorKind.ResourceExists; id = "AlimailExists"; text = "it already exists"; break;
                default: kind = MailErrorKind.InvalidOperation; id = "AlimailError"; text = $"HTTP {status}"; break;
            }
            error = new MailAdminException(kind, id, $"Alimail: {request.Operation}: {text} ({code}{(msg.Length > 0 ? ": " + msg : "")}).", request.Target)
            { Provider = ProviderName, ProviderCode = code, ProviderMessage = msg };
            return status == 401 && request.TokenKey != null ? RemoteVerdict.RefreshToken : RemoteVerdict.Fail;
        }
    }

    /// <summary>DingTalk's open platform (PROVIDERS.md 2.8): token from /v1.0/oauth2/accessToken, header x-acs-dingtalk-access-token.</summary>
    internal sealed class DingTalkProtocol : IRemoteProtocol
    {
        private readonly string _appKey; private readonly SecretText _secret;
        public DingTalkProtocol(string appKey, SecretText secret) { _appKey = appKey; _secret = secret; }
        public string ProviderName => "DingTalk";

        public async Task<(string token, TimeSpan lifetime)> AcquireTokenAsync(RemoteApiClient client, string tokenKey, CancellationToken ct)
        {
            var r = new RemoteRequest(HttpMethod.Post, "v1.0/oauth2/accessToken", "get a token") { Target = _appKey, Body = new JObject { ["appKey"] = _appKey, ["appSecret"] = _secret.Reveal() } };
            var json = await client.SendAsync(r, ct).ConfigureAwait(false);
            var token = Json.Str(json["accessToken"]);
            if (string.IsNullOrEmpty(token)) throw new MailAdminException(MailErrorKind.AuthenticationError, "DingTalkTokenMissing", "DingTalk answered the token request without an accessToken.", _appKey) { Provider = ProviderName };
            return (token, TimeSpan.FromSeconds(Math.Max(1, Json.Long(json["expireIn"]) ?? 7200)));
        }

        public void Authorize(HttpRequestMessage message, RemoteRequest request, string token)
            => message.Headers.TryAddWithoutValidation("x-acs-dingtalk-access-token", token);

        public TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter?.Delta;

        public RemoteVerdict Classify(RemoteRequest request, int status, JObject body, out MailAdminException error)
        {
            error = null;
            if (status >= 200 && status < 300) return RemoteVerdict.Success;
            var code = Json.Str(body?["code"]) ?? status.ToString(CultureInfo.InvariantCulture);
            var msg = Json.Str(body?["message"]) ?? "";
            var kind = status == 401 || (request.TokenKey == null && status == 400) ? MailErrorKind.AuthenticationError : status == 403 ? MailErrorKind.PermissionDenied
                : status == 404 ? MailErrorKind.ObjectNotFound : status == 409 || code.IndexOf("exist", StringComparison.OrdinalIgnoreCase) >= 0 ? MailErrorKind.ResourceExists
                : status == 400 ? MailErrorKind.InvalidArgument : MailErrorKind.InvalidOperation;
            error = new MailAdminException(kind, "DingTalk" + kind, $"DingTalk: {request.Operation}: {code}{(msg.Length > 0 ? ": " + msg : "")} (HTTP {status}).", request.Target)
            { Provider = ProviderName, ProviderCode = code, ProviderMessage = msg };
            return status == 401 && request.TokenKey != null ? RemoteVerdict.RefreshToken : RemoteVerdict.Fail;
        }
    }
}
