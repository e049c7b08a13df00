using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>When each mailbox last signed in, where the provider records it.</summary>
    public interface ILastLoginSource
    {
        /// <summary>Last sign-in (UTC) by mailbox address; null when sign-ins are not recorded.</summary>
        Task<IReadOnlyDictionary<string, DateTime>> GetLastLoginsAsync(CancellationToken ct);
    }
}
