using System;
using System.Collections.Generic;

namespace MailAdmin.Dns.Checks
{
    /// <summary>The answer to an HTTPS GET, as MTA-STS needs it: no redirects followed, certificate problems recorded.</summary>
    public sealed class HttpsFetchResult
    {
        public int Status { get; set; }
        public string StatusLine { get; set; }
        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public string Body { get; set; }
        public bool Truncated { get; set; }
        /// <summary>Why the certificate is not valid for the host (null when it is).</summary>
        public string CertificateProblem { get; set; }
        /// <summary>Why there is no answer (DNS, connection, TLS); null when there is one.</summary>
        public string Error { get; set; }
    }
}
