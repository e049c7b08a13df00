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
    /// <summary>Counters of one connection (for tests, benchmarks and -Verbose summaries).</summary>
    public sealed class RemoteApiStatistics
    {
        internal long _requests, _retries, _throttled, _tokens, _ambiguous;
        public long Requests => Interlocked.Read(ref _requests);
        public long Retries => Interlocked.Read(ref _retries);
        /// <summary>Answers that said "slow down" (HTTP 429 or the provider's throttle codes).</summary>
        public long Throttled => Interlocked.Read(ref _throttled);
        public long TokensAcquired => Interlocked.Read(ref _tokens);
        public long Ambiguous => Interlocked.Read(ref _ambiguous);
    }
}
