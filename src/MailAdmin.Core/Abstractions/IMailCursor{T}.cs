using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>
    /// A forward-only cursor over a list a provider pages through; holds one page at a time.
    /// (netstandard2.0 has no IAsyncEnumerable without an extra package that would clash with
    /// PowerShell's own copy across load contexts; this is the same shape.)
    /// </summary>
    public interface IMailCursor<out T> : IDisposable
    {
        Task<bool> MoveNextAsync(CancellationToken cancellationToken);
        T Current { get; }
    }

}
