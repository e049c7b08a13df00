using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.WeCom
{
    /// <summary>
    /// WeCom's conventions (PROVIDERS-ADDENDUM.md 1.0): gettoken per application secret (one token per app, cached by the
    /// shared pipeline and refetched when rejected), access_token in the query string, the errcode/errmsg envelope with
    /// errcodes mapped to typed errors, 60020 (caller's IP is not a trusted IP) named with what to do.
    /// </summary>
    internal sealed class WeComProtocol : CorpTokenProtocol
    {
        public const string MailApp = "mail";
        private readonly SecretText _secret;

        public WeComProtocol(string corpId, SecretText secret)
            : base(corpId)
        {
            _secret = secret;
        }

        public override string ProviderName => "WeCom";

        protected override SecretText SecretFor(string tokenKey)
            => _secret ?? throw new MailAdminException(
                MailErrorKind.AuthenticationError, "WeComSecretMissing",
                "WeCom needs the secret of the application allowed to call the mail API (-Secret).", tokenKey) { Provider = ProviderName };

        protected override MailAdminException Error(RemoteRequest r, long code, string msg)
        {
            MailErrorKind kind;
            string id;
            string text;
            switch (code)
            {
                case 40001: kind = MailErrorKind.AuthenticationError; id = "WeComInvalidCredential"; text = "the CorpID or application secret is wrong "
                    + "(invalid credential)"; break;
                case 40013: kind = MailErrorKind.AuthenticationError; id = "WeComInvalidCorpId"; text = "the CorpID is not valid"; break;
                case 40014: case 42001: kind = MailErrorKind.AuthenticationError; id = "WeComTokenRejected"; text = "the access token was rejected even after "
                    + "a refresh"; break;
                case 60020:
                    kind = MailErrorKind.PermissionDenied; id = "WeComIpNotTrusted";
                    text = "this machine's IP address is not a trusted IP of the application (WeCom admin console: 应用管理 → the application → 企业可信IP; add the "
                        + "egress IP the error names)"; break;
                case 48002: kind = MailErrorKind.PermissionDenied; id = "WeComApiNotAllowed"; text = "this application may not call this API (add it to the "
                    + "mail module's 可调用应用 list, or use the contact-sync secret for members)"; break;
                case 50002: case 60011: kind = MailErrorKind.PermissionDenied; id = "WeComOutOfScope"; text = "the member, department or tag is outside the "
                    + "application's visible range"; break;
                case 60102: kind = MailErrorKind.ResourceExists; id = "MailboxExists"; text = "the UserID or group already exists"; break;
                case 60106: kind = MailErrorKind.ResourceExists; id = "MailboxExists"; text = "the mail address already exists"; break;
                case 60111: kind = MailErrorKind.ObjectNotFound; id = "MailboxNotFound"; text = "there is no such member"; break;
                case 60123: kind = MailErrorKind.ObjectNotFound; id = "MailGroupNotFound"; text = "there is no such group"; break;
                case 60003: kind = MailErrorKind.ObjectNotFound; id = "DepartmentNotFound"; text = "the department does not exist"; break;
                case 60004: kind = MailErrorKind.ObjectNotFound; id = "ParentDepartmentNotFound"; text = "the parent department does not exist"; break;
                case 60008: kind = MailErrorKind.ResourceExists; id = "DepartmentExists"; text = "the department already exists"; break;
                case 81015: kind = MailErrorKind.InvalidArgument; id = "WeComDomainMismatch";
                    text = "the address's domain is not the company's mail domain"; break;
                case -1: case 45009: case 45033: kind = MailErrorKind.ResourceBusy; id = "WeComBusy";
                    text = "the service is busy or the call limit was hit"; break;
                case 40058:
                case 60009:
                case 60104:
                case 60105:
                case 60112:
                case 60129:
                    kind = MailErrorKind.InvalidArgument; id = "WeComInvalidValue"; text = "a value was refused"; break;
                default: kind = MailErrorKind.InvalidOperation; id = "WeComError"; text = "the call failed"; break;
            }
            return Failure(r, code, msg, kind, id, text);
        }
    }
}
