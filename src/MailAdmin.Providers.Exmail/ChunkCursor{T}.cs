using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using MailAdmin.Validation;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.Exmail
{
    /// <summary>A cursor over several calls (one per date chunk), each fetched when the previous one is used up.</summary>
    internal sealed class ChunkCursor<T> : IMailCursor<T>
    {
        private readonly int _count; private readonly Func<int, CancellationToken, Task<List<T>>> _fetch;
        private int _chunk = -1; private List<T> _items = new List<T>(); private int _index = -1;
        public ChunkCursor(int count, Func<int, CancellationToken, Task<List<T>>> fetch)
        {
            _count = count;
            _fetch = fetch;
        }
        public T Current => _items[_index];
        public async Task<bool> MoveNextAsync(CancellationToken ct)
        {
            while (++_index >= _items.Count)
            {
                if (++_chunk >= _count)
                {
                    return false;
                }

                _items = await _fetch(_chunk, ct).ConfigureAwait(false);
                _index = -1;
            }
            return true;
        }
        public void Dispose()
        {
        }
    }
}
