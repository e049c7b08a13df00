using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Remote
{
    /// <summary>Removes secrets from log lines: secret and token query parameters, password-like JSON fields, SSO keys.</summary>
    public static class Redactor
    {
        private static readonly Regex Query = new Regex(
            @"(?i)\b(corpsecret|access_token|client_secret|appsecret|password|authkey|secret|token)=([^&\s""]+)", RegexOptions.Compiled);
        private static readonly Regex JsonField = new Regex(
            @"(?i)""(password|access_token|accessToken|corpsecret|client_secret|appSecret|secret|login_url|newPassword|token|old|new|auth_code)"""
            + @"\s*:\s*""(?:[^""\\]|\\.)*""",
            RegexOptions.Compiled);
        private static readonly Regex Bearer = new Regex(@"(?i)\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*", RegexOptions.Compiled);

        public static string Redact(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            text = Query.Replace(text, m => m.Groups[1].Value + "=***");
            text = JsonField.Replace(text, m => "\"" + m.Groups[1].Value + "\":\"***\"");
            return Bearer.Replace(text, "$1 ***");
        }
    }
}
