using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    public interface IMailboxSettingsStore
    {
        Task<MailboxSettings> GetSettingsAsync(string mailbox, CancellationToken ct);
        Task<MailboxSettings> SetSettingsAsync(string mailbox, MailboxSettingsUpdate update, CancellationToken ct);
    }
}
