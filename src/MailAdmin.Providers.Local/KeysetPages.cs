using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Providers.Local
{
    /// <summary>Keyset paging: fetches one page after the last key seen, so a list of any size holds one page in memory.</summary>
    internal static class KeysetPages
    {
        public static IAsyncEnumerable<T> Stream<T>(Func<string, int, List<T>> fetch, Func<T, string> key, int pageSize)
            => Stream(fetch, key, row => row, pageSize);

        /// <summary>Pages of rows (fetch: the key to start after, the page size), each row keyed and mapped to what is streamed.</summary>
        public static async IAsyncEnumerable<T> Stream<TRow, T>(Func<string, int, List<TRow>> fetch, Func<TRow, string> key, Func<TRow, T> map,
            int pageSize, [EnumeratorCancellation] CancellationToken ct = default)
        {
            var size = pageSize < 1 ? 1000 : pageSize;
            var last = "";
            var more = true;
            while (more)
            {
                ct.ThrowIfCancellationRequested();
                var page = fetch(last, size);
                // a short page is the last; the key is read before the rows go out (a consumer may change what it is given)
                more = page.Count == size;
                if (more)
                {
                    last = key(page[page.Count - 1]);
                }

                foreach (var row in page)
                {
                    ct.ThrowIfCancellationRequested();
                    yield return map(row);
                }
            }
        }
    }
}
