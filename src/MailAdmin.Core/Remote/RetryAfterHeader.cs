using System;
using System.Net.Http;

namespace MailAdmin.Remote
{
    /// <summary>Reads an HTTP Retry-After header (RFC 9110 10.2.3), as seconds or as a date, for every remote client.</summary>
    public static class RetryAfterHeader
    {
        /// <summary>How long the server asks the client to wait, or null when it does not say.</summary>
        public static TimeSpan? Read(HttpResponseMessage response)
        {
            var ra = response?.Headers.RetryAfter;
            if (ra?.Delta != null)
            {
                return ra.Delta;
            }

            if (ra?.Date != null)
            {
                return ra.Date.Value - DateTimeOffset.UtcNow;
            }

            return null;
        }
    }
}
