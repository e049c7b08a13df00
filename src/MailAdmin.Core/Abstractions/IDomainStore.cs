using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    public interface IDomainStore
    {
        Task<MailDomain> AddDomainAsync(string name, string mailHost, CancellationToken ct);
        Task<MailDomain> GetDomainAsync(string name, CancellationToken ct);
        IAsyncEnumerable<MailDomain> ListDomains(string pattern);
        Task RemoveDomainAsync(string name, bool force, CancellationToken ct);
    }
}
