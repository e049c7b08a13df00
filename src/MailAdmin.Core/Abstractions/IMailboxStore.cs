using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    public interface IMailboxStore
    {
        Task<Mailbox> CreateMailboxAsync(MailboxCreateRequest request, CancellationToken ct);
        Task<Mailbox> GetMailboxAsync(string address, CancellationToken ct);
        /// <summary>Streams the mailboxes a page at a time; the cancellation goes to GetAsyncEnumerator (or WithCancellation).</summary>
        IAsyncEnumerable<Mailbox> ListMailboxes(MailboxQuery query);
        Task<Mailbox> UpdateMailboxAsync(string address, MailboxUpdate update, CancellationToken ct);
        Task RemoveMailboxAsync(string address, CancellationToken ct);
        Task<Mailbox> SetMailboxEnabledAsync(string address, bool enabled, CancellationToken ct);
    }
}
