using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    public interface IPermissionStore
    {
        Task GrantAsync(string mailbox, string trustee, MailAccessRight right, CancellationToken ct);
        Task RevokeAsync(string mailbox, string trustee, MailAccessRight right, CancellationToken ct);
        Task SetRoleAsync(string mailbox, MailRole role, CancellationToken ct);
        Task SetSendScopeAsync(string mailbox, MailSendScope scope, CancellationToken ct);
        /// <summary>Rows for one mailbox (null: every mailbox), optionally only one trustee's.</summary>
        IAsyncEnumerable<MailPermission> ListPermissions(string mailbox, string trustee);
    }
}
