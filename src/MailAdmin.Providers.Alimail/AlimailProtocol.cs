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
        public AlimailProtocol(string clientId, SecretText secret)
        {
            _clientId = clientId;
            _secret = secret;
        }
        public string ProviderName => "Alimail";

        public async Task<(string token, TimeSpan lifetime)> AcquireTokenAsync(RemoteApiClient client, string tokenKey, CancellationToken ct)
        {
            var r = new RemoteRequest(HttpMethod.Post, "oauth2/v2.0/token", "get a token") { Target = _clientId };
            r.Form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = _clientId, ["client_secret"] = _secret.Reveal() };
            var json = await client.SendAsync(r, ct).ConfigureAwait(false);
            var token = Json.Str(json["access_token"]);
            if (string.IsNullOrEmpty(token))
            {
                throw new MailAdminException(
                    MailErrorKind.AuthenticationError, "AlimailTokenMissing", "Alibaba Mail answered the token request without an access_token.",
                    _clientId) { Provider = ProviderName };
            }

            return (token, TimeSpan.FromSeconds(Math.Max(1, Json.Long(json["expires_in"]) ?? 3600)));
        }

        public void Authorize(HttpRequestMessage message, RemoteRequest request, string token)
            => message.Headers.TryAddWithoutValidation("Authorization", "bearer " + token);

        public TimeSpan? RetryAfter(HttpResponseMessage response) => RetryAfterHeader.Read(response);

        public RemoteVerdict Classify(RemoteRequest request, int status, JObject body, out MailAdminException error)
        {
            error = null;
            if (status >= 200 && status < 300)
            {
                return RemoteVerdict.Success;
            }

            var code = Json.Str(body?["detailErrorCode"]) ?? Json.Str(body?["error"]) ?? status.ToString(CultureInfo.InvariantCulture);
            var msg = Json.Str(body?["message"]) ?? Json.Str(body?["error_description"]) ?? "";
            var dev = Json.Str(body?["developerMessage"]);
            if (!string.IsNullOrEmpty(dev) && dev != msg)
            {
                msg = msg.Length == 0 ? dev : msg + " (" + dev + ")";
            }

            MailErrorKind kind;
            string id;
            string text;
            switch (status)
            {
                case 400: kind = request.TokenKey == null ? MailErrorKind.AuthenticationError : MailErrorKind.InvalidArgument; id = request.TokenKey == null
                    ? "AlimailInvalidClient" : "AlimailInvalidValue"; text = request.TokenKey == null ? "the client id or secret was refused"
                    : "a value was refused"; break;
                case 401: kind = MailErrorKind.AuthenticationError; id = request.TokenKey == null ? "AlimailInvalidClient"
                    : "AlimailTokenRejected"; text = request.TokenKey == null ? "the client id or secret was refused"
                    : "the access token was refused even after a refresh"; break;
                case 403: kind = MailErrorKind.PermissionDenied; id = "AlimailPermissionDenied"; text = "the application lacks this permission (tick it in "
                    + "API 开放平台) or the edition has no API access"; break;
                case 404: kind = MailErrorKind.ObjectNotFound; id = "AlimailNotFound"; text = "not found"; break;
                case 409: kind = MailErrorKind.ResourceExists; id = "AlimailExists"; text = "it already exists"; break;
                default: kind = MailErrorKind.InvalidOperation; id = "AlimailError"; text = $"HTTP {status}"; break;
            }
            error = new MailAdminException(kind, id, $"Alimail: {request.Operation}: {text} ({code}{(msg.Length > 0 ? ": " + msg : "")}).", request.Target)
            { Provider = ProviderName, ProviderCode = code, ProviderMessage = msg };
            return status == 401 && request.TokenKey != null ? RemoteVerdict.RefreshToken : RemoteVerdict.Fail;
        }
    }
}
