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
    /// <summary>The provider-specific parts of the pipeline: tokens, where they go, and how answers are read.</summary>
    public interface IRemoteProtocol
    {
        string ProviderName { get; }
        /// <summary>Fetches a token for one application key; returns it and its lifetime.</summary>
        Task<(string token, TimeSpan lifetime)> AcquireTokenAsync(RemoteApiClient client, string tokenKey, CancellationToken ct);
        /// <summary>Puts the token on the request (query string or header).</summary>
        void Authorize(HttpRequestMessage message, RemoteRequest request, string token);
        /// <summary>Reads one answer: success, retry after backoff, refresh the token and retry, or a typed failure.</summary>
        RemoteVerdict Classify(RemoteRequest request, int status, JObject body, out MailAdminException error);
        /// <summary>How long the server asks us to wait (Retry-After), if it says.</summary>
        TimeSpan? RetryAfter(HttpResponseMessage response);
    }
}
