using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;

namespace MailAdmin.Remote
{
    public static class RemoteCreate
    {
        /// <summary>
        /// A create that must not be duplicated: sent once; when its outcome is unknown (timeout, dropped connection, 5xx),
        /// the object is looked up, and the create is sent again only when it is not there.
        /// </summary>
        public static async Task OnceAsync(Func<Task> create, Func<Task<bool>> exists, CancellationToken ct)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await create().ConfigureAwait(false);
                    return;
                }
                catch (RemoteAmbiguousException) when (attempt < 6)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct).ConfigureAwait(false);
                    if (await exists().ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
        }
    }
}
