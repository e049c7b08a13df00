using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;

namespace MailAdmin.Remote
{
    /// <summary>A cursor over a list fetched in one call (APIs without paging).</summary>
    public sealed class ListCursor<T> : IMailCursor<T>
    {
        private readonly Func<CancellationToken, Task<List<T>>> _fetch;
        private List<T> _items; private int _index = -1;
        public ListCursor(Func<CancellationToken, Task<List<T>>> fetch)
        {
            _fetch = fetch;
        }
        public T Current => _items[_index];
        public async Task<bool> MoveNextAsync(CancellationToken ct)
        {
            if (_items == null)
            {
                _items = await _fetch(ct).ConfigureAwait(false);
            }

            return ++_index < _items.Count;
        }
        public void Dispose()
        {
        }
    }
}
