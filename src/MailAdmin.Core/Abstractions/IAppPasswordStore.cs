using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>App passwords: extra, revocable passwords for mail clients (the only ones that work under ForceSecureLogin).</summary>
    public interface IAppPasswordStore
    {
        /// <summary>Creates one; the secret is returned once and stored only as a hash.</summary>
        Task<(MailAppPassword info, SecretText secret)> CreateAppPasswordAsync(string mailbox, string name, CancellationToken ct);
        Task<IReadOnlyList<MailAppPassword>> GetAppPasswordsAsync(string mailbox, CancellationToken ct);
        Task RemoveAppPasswordAsync(string mailbox, string name, CancellationToken ct);
    }
}
