using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>Paid per-mailbox feature seats (WeCom's advanced-feature accounts), given and taken in the provider's batch size.</summary>
    public interface IAdvancedFeatureSeats
    {
        /// <summary>Gives (or takes) a seat to each mailbox; returns the identities the provider refused.</summary>
        Task<IReadOnlyList<string>> SetAdvancedFeaturesAsync(IReadOnlyList<string> identities, bool enabled, CancellationToken ct);
    }
}
