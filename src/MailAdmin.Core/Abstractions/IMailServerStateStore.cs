using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>A provider whose mail servers hold state beside the directory (Sieve scripts, folder ACLs, the mail itself):
    /// removal takes that state too, and reconciling makes the servers match the directory. The Local provider applies it on
    /// the mail host it runs on; a later multi-host shape can apply it through Dovecot's doveadm HTTP API behind the same calls.</summary>
    public interface IMailServerStateStore
    {
        /// <summary>Removes a mailbox and everything the mail servers hold for it; its mail is kept aside or purged.</summary>
        Task RemoveMailboxAsync(string identity, MailRemovalOptions options, CancellationToken ct);
        /// <summary>Removes a domain (with <paramref name="force"/>, its mailboxes and groups) and what the servers hold for them.</summary>
        Task RemoveDomainAsync(string name, bool force, MailRemovalOptions options, CancellationToken ct);
        /// <summary>Finds where the mail servers differ from the store and, when <paramref name="apply"/>, mends it.</summary>
        IReadOnlyList<MailServerStateChange> Reconcile(bool apply, IProgress<string> progress, CancellationToken ct);
    }
}
