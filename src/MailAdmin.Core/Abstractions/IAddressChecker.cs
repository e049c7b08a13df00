using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>What addresses are at the provider (Test-MailAddress).</summary>
    public interface IAddressChecker
    {
        Task<IReadOnlyList<MailAddressCheck>> CheckAddressesAsync(IReadOnlyList<string> addresses, CancellationToken ct);
    }
}
