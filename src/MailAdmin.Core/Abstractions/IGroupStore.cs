using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    public interface IGroupStore
    {
        Task<MailGroup> CreateGroupAsync(MailGroup group, CancellationToken ct);
        Task<MailGroup> GetGroupAsync(string address, CancellationToken ct);
        IAsyncEnumerable<MailGroup> ListGroups(string pattern);
        Task<MailGroup> UpdateGroupAsync(string address, MailGroupUpdate update, CancellationToken ct);
        Task RemoveGroupAsync(string address, CancellationToken ct);
        Task<MailGroup> AddMembersAsync(string address, IReadOnlyList<string> members, CancellationToken ct);
        Task<MailGroup> RemoveMembersAsync(string address, IReadOnlyList<string> members, CancellationToken ct);
        Task<IReadOnlyList<MailGroupMember>> GetMembersAsync(string address, CancellationToken ct);
    }
}
