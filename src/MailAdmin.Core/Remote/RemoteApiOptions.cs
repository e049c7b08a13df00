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
    /// <summary>Settings of one connection's pipeline.</summary>
    public sealed class RemoteApiOptions
    {
        public Uri BaseUri { get; set; }

        /// <summary>
        /// The API base a provider uses: its documented one when none was given; when -ApiBaseUri names only a host
        /// ("http://127.0.0.1:5000" or ".../"), the host with the provider's documented path ("/cgi-bin/"); a URI with a
        /// path is taken as given (a private deployment may mount the API elsewhere).
        /// </summary>
        public static Uri ResolveBase(Uri given, Uri documented)
        {
            if (documented == null)
            {
                throw new ArgumentNullException(nameof(documented));
            }

            if (given == null)
            {
                return documented;
            }

            if (!given.IsAbsoluteUri)
            {
                throw MailAdminException.Invalid(
                    "InvalidApiUri", $"'{given}' is not an absolute URI: give the API host, e.g. https://api.example.com.", given.ToString());
            }

            var path = given.AbsolutePath;
            if (!string.IsNullOrEmpty(path) && path != "/")
            {
                return path.EndsWith("/", StringComparison.Ordinal) ? given : new Uri(given.GetLeftPart(UriPartial.Path) + "/" + given.Query);
            }

            return new Uri(given.GetLeftPart(UriPartial.Authority) + documented.AbsolutePath);
        }
        /// <summary>Client-side limit of requests per second (evenly spaced).</summary>
        public double RequestsPerSecond { get; set; } = 10;
        /// <summary>Attempts per call for retryable failures (throttling, busy, 5xx, timeouts).</summary>
        public int MaxAttempts { get; set; } = 6;
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>First backoff; doubles per attempt with full jitter, capped at <see cref="MaxBackoff"/>.</summary>
        public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMilliseconds(200);
        public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>A server's Retry-After is honoured up to this long (Connect-MailProvider -MaxRetryAfterSec); <see cref="MaxBackoff"/>
        /// caps only the waits the client chooses itself.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = DefaultMaxRetryAfter;
        public static readonly TimeSpan DefaultMaxRetryAfter = TimeSpan.FromMinutes(5);
        /// <summary>A token is refreshed this long before it expires.</summary>
        public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);
    }
}
