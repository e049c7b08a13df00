using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Remote
{
    /// <summary>Streams a list a remote API returns in pages (or in one call), fetching each page when the previous one is used up.</summary>
    public static class RemotePages
    {
        /// <summary>A list fetched in one call (APIs without paging); the call is made when the first item is asked for.</summary>
        public static IAsyncEnumerable<T> Stream<T>(Func<CancellationToken, Task<List<T>>> fetch) => Stream(1, (_, ct) => fetch(ct));

        /// <summary>Pages 0 to count-1 (one call each, e.g. one per date range), in order; one page is held at a time.</summary>
        public static async IAsyncEnumerable<T> Stream<T>(int count, Func<int, CancellationToken, Task<List<T>>> fetch,
            [EnumeratorCancellation] CancellationToken ct = default)
        {
            for (var i = 0; i < count; i++)
            {
                ct.ThrowIfCancellationRequested();
                foreach (var item in await fetch(i, ct).ConfigureAwait(false))
                {
                    yield return item;
                }
            }
        }
    }
}
