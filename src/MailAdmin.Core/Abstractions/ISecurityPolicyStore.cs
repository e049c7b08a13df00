using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>The security policy of the whole store (mailbox null) or one mailbox's overrides.</summary>
    public interface ISecurityPolicyStore
    {
        /// <summary>The store's policy, or with a mailbox the policy in effect for it (its overrides over the store's).</summary>
        Task<MailSecurityPolicy> GetSecurityPolicyAsync(string mailbox, CancellationToken ct);
        Task<MailSecurityPolicy> SetSecurityPolicyAsync(string mailbox, MailSecurityPolicyUpdate update, CancellationToken ct);
    }
}
