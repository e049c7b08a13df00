using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    public interface IMailboxPasswordStore
    {
        /// <summary>Sets the password; with <paramref name="forceChange"/> the user must change it at the next sign-in (providers that cannot say so
        /// fail).</summary>
        Task SetPasswordAsync(string address, SecretText password, bool forceChange, CancellationToken ct);
    }
}
