using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>Domain aliases: other names that receive the same mail.</summary>
    public interface IDomainAliasStore
    {
        Task<MailDomain> AddDomainAliasAsync(string domain, string alias, CancellationToken ct);
        Task<MailDomain> RemoveDomainAliasAsync(string domain, string alias, CancellationToken ct);
    }
}
