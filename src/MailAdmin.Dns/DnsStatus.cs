using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Dns
{
    /// <summary>How a DNS question ended. NoError with no records is "no data".</summary>
    public enum DnsStatus
    {
        NoError, NxDomain, ServerFailure, Timeout
    }
}
