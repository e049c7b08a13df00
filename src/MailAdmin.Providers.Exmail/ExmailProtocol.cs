using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.Exmail
{
    /// <summary>
    /// Tencent Exmail's conventions (PROVIDERS.md 1.0-1.1, 1.10): access_token in the query string, one token per
    /// application secret from gettoken, the errcode/errmsg envelope, errcodes mapped to typed errors.
    /// </summary>
    internal sealed class ExmailProtocol : CorpTokenProtocol
    {
        public const string Contacts = "contacts", Settings = "settings", Logs = "logs", Sso = "sso";

        private static readonly Dictionary<string, (string app, string parameter)> Apps = new Dictionary<string, (string, string)>
        {
            [Contacts] = ("通讯录管理 (contacts)", "-Secret"),
            [Settings] = ("功能设置 (feature settings)", "-SettingsSecret"),
            [Logs] = ("日志查询 (logs)", "-LogSecret"),
            [Sso] = ("单点登录 (single sign-on)", "-SsoSecret"),
        };

        private readonly Dictionary<string, SecretText> _secrets;

        public ExmailProtocol(string corpId, Dictionary<string, SecretText> secrets)
            : base(corpId)
        {
            _secrets = secrets;
        }

        public override string ProviderName => "Exmail";

        protected override SecretText SecretFor(string tokenKey)
        {
            if (!_secrets.TryGetValue(tokenKey, out var secret) || secret == null)
            {
                throw new MailAdminException(
                    MailErrorKind.AuthenticationError, "ExmailSecretMissing",
                    $"This needs the secret of Exmail's {Apps[tokenKey].app} application: connect again with {Apps[tokenKey].parameter}.", tokenKey)
                { Provider = ProviderName };
            }

            return secret;
        }

        /// <summary>40001 at gettoken is a bad secret; elsewhere a stale token, so one refresh is tried.</summary>
        protected override RemoteVerdict VerdictFor(RemoteRequest request, long code)
            => code == 40001 && request.TokenKey != null ? RemoteVerdict.RefreshToken : RemoteVerdict.Fail;

        protected override MailAdminException ErrorWithoutBody(RemoteRequest request, int status)
            => status != 404 ? null
                // no such call here: asking again cannot help
                : new MailAdminException(
                    MailErrorKind.NotSupported, "ExmailPathNotFound",
                    $"Exmail: {request.Operation}: the server has no such call (HTTP 404 for {request.Path}).", request.Target) { Provider = ProviderName };

        protected override MailAdminException Error(RemoteRequest r, long code, string msg)
        {
            MailErrorKind kind;
            string id;
            string text;
            switch (code)
            {
                case 40001: kind = MailErrorKind.AuthenticationError; id = "ExmailInvalidCredential"; text = "the CorpID or application secret is wrong "
                    + "(invalid credential)"; break;
                case 40013: kind = MailErrorKind.AuthenticationError; id = "ExmailInvalidCorpId"; text = "the CorpID is not valid"; break;
                case 40014: case 42001: kind = MailErrorKind.AuthenticationError; id = "ExmailTokenRejected"; text = "the access token was rejected even "
                    + "after a refresh"; break;
                case 48002: kind = MailErrorKind.PermissionDenied; id = "ExmailApiNotAllowed"; text = "this application may not call this API (check its "
                    + "permissions in the admin console)"; break;
                case 50002: case 60011: kind = MailErrorKind.PermissionDenied; id = "ExmailOutOfScope"; text = "the member, department or tag is outside the "
                    + "application's permission scope"; break;
                case 60102: kind = MailErrorKind.ResourceExists; id = "MailboxExists"; text = "the address already exists"; break;
                case 60111: kind = MailErrorKind.ObjectNotFound; id = "MailboxNotFound"; text = "there is no such member"; break;
                case 60003: kind = MailErrorKind.ObjectNotFound; id = "DepartmentNotFound"; text = "the department does not exist"; break;
                case 60004: kind = MailErrorKind.ObjectNotFound; id = "ParentDepartmentNotFound"; text = "the parent department does not exist"; break;
                case 60005: case 60006: case 60007: kind = MailErrorKind.InvalidOperation; id = "DepartmentNotEmpty"; text = "the department still has "
                    + "members or subdepartments (or is the root)"; break;
                case 60008: kind = MailErrorKind.ResourceExists; id = "DepartmentExists"; text = "the department already exists"; break;
                case 601002: kind = MailErrorKind.InvalidArgument; id = "ExmailLogRangeTooLong";
                    text = "the date range is longer than the log API allows"; break;
                case -1: case 45009: case 45033: kind = MailErrorKind.ResourceBusy; id = "ExmailBusy";
                    text = "the service is busy or the call limit was hit"; break;
                case 40003:
                case 60103:
                case 60104:
                case 60110:
                case 60112:
                case 60009:
                case 60123:
                case 60124:
                case 60125:
                case 60127:
                case 81001:
                case 81002:
                    kind = MailErrorKind.InvalidArgument; id = "ExmailInvalidValue"; text = "a value was refused"; break;
                default: kind = MailErrorKind.InvalidOperation; id = "ExmailError"; text = "the call failed"; break;
            }
            return Failure(r, code, msg, kind, id, text);
        }
    }
}
