using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using MailAdmin.Models;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Remote
{
    /// <summary>
    /// The conventions Tencent's mail APIs share (Exmail, and WeCom after the upgrade; PROVIDERS.md 1.0-1.1,
    /// PROVIDERS-ADDENDUM.md 1.0): a token per application secret from gettoken?corpid=...&amp;corpsecret=..., the token as
    /// access_token in the query string, and the errcode/errmsg envelope, where 0 is success, 40014 and 42001 a stale token
    /// and -1, 45009 and 45033 a busy service or a hit limit. Each provider adds where its secrets come from and its table of
    /// errcodes.
    /// </summary>
    public abstract class CorpTokenProtocol : IRemoteProtocol
    {
        protected CorpTokenProtocol(string corpId)
        {
            CorpId = corpId;
        }

        public abstract string ProviderName { get; }

        protected string CorpId { get; }

        /// <summary>The secret of the application behind <paramref name="tokenKey"/>; a typed error that says what to connect
        /// with when there is none.</summary>
        protected abstract SecretText SecretFor(string tokenKey);

        /// <summary>The typed error for a non-zero errcode (see <see cref="Failure"/>).</summary>
        protected abstract MailAdminException Error(RemoteRequest request, long code, string message);

        /// <summary>What to do with an errcode other than the shared ones; fail by default.</summary>
        protected virtual RemoteVerdict VerdictFor(RemoteRequest request, long code) => RemoteVerdict.Fail;

        /// <summary>A typed error for an answer without a JSON body that the provider recognises, or null.</summary>
        protected virtual MailAdminException ErrorWithoutBody(RemoteRequest request, int status) => null;

        public async Task<(string token, TimeSpan lifetime)> AcquireTokenAsync(RemoteApiClient client, string tokenKey, CancellationToken ct)
        {
            var secret = SecretFor(tokenKey);
            var r = new RemoteRequest(HttpMethod.Get, "gettoken", $"get a token for the {tokenKey} application") { Target = CorpId };
            r.Query["corpid"] = CorpId;
            r.Query["corpsecret"] = secret.Reveal();
            var json = await client.SendAsync(r, ct).ConfigureAwait(false);
            var token = Json.Str(json["access_token"]);
            if (string.IsNullOrEmpty(token))
            {
                throw new MailAdminException(
                    MailErrorKind.AuthenticationError, ProviderName + "TokenMissing", $"{ProviderName}'s gettoken answered without an access_token.",
                    CorpId) { Provider = ProviderName };
            }

            var seconds = Json.Long(json["expires_in"]) ?? 7200;
            return (token, TimeSpan.FromSeconds(Math.Max(1, seconds)));
        }

        public void Authorize(HttpRequestMessage message, RemoteRequest request, string token)
        {
            var uri = message.RequestUri.ToString();
            message.RequestUri = new Uri(uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "access_token=" + Uri.EscapeDataString(token));
        }

        public TimeSpan? RetryAfter(HttpResponseMessage response) => RetryAfterHeader.Read(response);

        public RemoteVerdict Classify(RemoteRequest request, int status, JObject body, out MailAdminException error)
        {
            var ok = status >= 200 && status < 300;
            if (body == null)
            {
                error = ErrorWithoutBody(request, status);
                if (error != null)
                {
                    return RemoteVerdict.Fail;
                }

                error = new MailAdminException(
                    MailErrorKind.InvalidOperation, ProviderName + "BadAnswer", $"{ProviderName}: {request.Operation}: the answer (HTTP {status}) is not JSON.",
                    request.Target) { Provider = ProviderName };
                return ok ? RemoteVerdict.Fail : RemoteVerdict.Retry;
            }
            error = null;
            var code = Json.Long(body["errcode"]) ?? (ok ? 0 : -1);
            if (code == 0)
            {
                return RemoteVerdict.Success;
            }

            error = Error(request, code, Json.Str(body["errmsg"]) ?? "");
            switch (code)
            {
                case 40014: case 42001: return RemoteVerdict.RefreshToken;
                case -1: case 45009: case 45033: return RemoteVerdict.Retry;
                default: return VerdictFor(request, code);
            }
        }

        /// <summary>The error for an errcode, worded the same way for every provider: "Provider: operation: text (errcode N: errmsg)."</summary>
        protected MailAdminException Failure(RemoteRequest request, long code, string message, MailErrorKind kind, string id, string text)
            => new MailAdminException(kind, id, $"{ProviderName}: {request.Operation}: {text} (errcode {code}: {message}).", request.Target)
            {
                Provider = ProviderName,
                ProviderCode = code.ToString(CultureInfo.InvariantCulture),
                ProviderMessage = message,
            };
    }
}
