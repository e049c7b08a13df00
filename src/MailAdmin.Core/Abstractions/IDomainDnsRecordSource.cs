using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    public interface IDomainDnsRecordSource
    {
        Task<IReadOnlyList<MailDnsRecord>> GetDnsRecordsAsync(string domain, CancellationToken ct);
    }
}
