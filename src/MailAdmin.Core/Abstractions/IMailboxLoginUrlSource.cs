using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>One-time sign-in links (Get-MailboxLoginUrl).</summary>
    public interface IMailboxLoginUrlSource
    {
        Task<MailboxLoginUrl> GetLoginUrlAsync(string address, CancellationToken ct);
    }
}
