using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>The organisation's own record at a hosted provider.</summary>
    public interface IOrganizationInfo
    {
        Task<MailOrganization> GetOrganizationAsync(CancellationToken ct);
    }
}
