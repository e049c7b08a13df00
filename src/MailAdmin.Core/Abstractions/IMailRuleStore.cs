using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>A mailbox's rules (filed by priority).</summary>
    public interface IMailRuleStore
    {
        /// <summary>The rules of one mailbox, or of every mailbox when mailbox is null, by mailbox then priority.</summary>
        Task<IReadOnlyList<MailRule>> GetRulesAsync(string mailbox, CancellationToken ct);
        Task<MailRule> AddRuleAsync(MailRule rule, CancellationToken ct);
        /// <summary>Replaces the rule of that mailbox and name with this one.</summary>
        Task<MailRule> SetRuleAsync(MailRule rule, CancellationToken ct);
        Task RemoveRuleAsync(string mailbox, string name, CancellationToken ct);
    }
}
