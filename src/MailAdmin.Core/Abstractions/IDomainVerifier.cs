using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>Asks the provider to check the domain's ownership record now (Confirm-MailDomain).</summary>
    public interface IDomainVerifier
    {
        Task<MailDomain> VerifyDomainAsync(string name, CancellationToken ct);
    }
}
