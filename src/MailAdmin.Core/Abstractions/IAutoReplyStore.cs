using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    public interface IAutoReplyStore
    {
        Task<MailAutoReply> GetAutoReplyAsync(string mailbox, CancellationToken ct);
        Task<MailAutoReply> SetAutoReplyAsync(string mailbox, MailAutoReplyUpdate update, CancellationToken ct);
    }
}
