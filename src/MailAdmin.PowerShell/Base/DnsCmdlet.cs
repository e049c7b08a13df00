using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell
{
    /// <summary>Adds -Server and -TimeoutSec and builds the run's resolver (Test-MailDomain, Test-MailBlocklist).</summary>
    public abstract class DnsCmdlet : MailAdminCmdlet
    {
        /// <summary>DNS servers to ask (host, host:port, [IPv6]:port); default: the system resolver.</summary>
        [Parameter]
        public string[] Server { get; set; }

        /// <summary>Seconds to wait for each DNS answer (default 3); each question is tried 3 times.</summary>
        [Parameter]
        [ValidateRange(1, 60)]
        public int TimeoutSec { get; set; } = 3;

        /// <summary>A caching resolver over the given servers; a bad server is a terminating error naming it.</summary>
        protected MailAdmin.Dns.CachingResolver NewResolver(string[] servers, out MailAdmin.Dns.DnsResolver inner)
        {
            inner = CreateResolver(servers, TimeoutSec);
            return new MailAdmin.Dns.CachingResolver(inner);
        }
    }
}
