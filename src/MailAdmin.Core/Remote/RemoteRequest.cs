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
    /// <summary>One call to a remote provider's API.</summary>
    public sealed class RemoteRequest
    {
        public RemoteRequest(HttpMethod method, string path, string operation)
        {
            Method = method;
            Path = path;
            Operation = operation;
        }
        public HttpMethod Method { get; }
        /// <summary>The path below the API base (e.g. "user/create").</summary>
        public string Path { get; }
        /// <summary>What it does, for logs and errors ("create mailbox a@b.com").</summary>
        public string Operation { get; }
        public IDictionary<string, string> Query { get; } = new Dictionary<string, string>();
        /// <summary>A JSON body (POST/PATCH/PUT/DELETE), or null.</summary>
        public JToken Body { get; set; }
        /// <summary>A form body (application/x-www-form-urlencoded, e.g. an OAuth2 token request), or null.</summary>
        public IDictionary<string, string> Form { get; set; }
        /// <summary>Which token (application secret) authorises it; null: none (the token call itself).</summary>
        public string TokenKey { get; set; }
        /// <summary>
        /// False for creates: after an ambiguous failure (timeout, dropped connection, 5xx) the request may have been
        /// applied, so it is not sent again; the caller gets a <see cref="RemoteAmbiguousException"/> and checks first.
        /// </summary>
        public bool Idempotent { get; set; } = true;
        public string Target { get; set; }
    }
}
