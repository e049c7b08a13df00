using System;
using System.Security.Cryptography;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>Keyset paging: fetches one page after the last key seen, so a list of any size holds one page in memory.</summary>
    internal sealed class PagedCursor<T> : IMailCursor<T>
    {
        private readonly Func<string, int, List<T>> _fetch;
        private readonly Func<T, string> _key;
        private readonly int _pageSize;
        private List<T> _page;
        private int _index;
        private string _last = "";
        private bool _done;

        public PagedCursor(Func<string, int, List<T>> fetch, Func<T, string> key, int pageSize)
        {
            _fetch = fetch;
            _key = key;
            _pageSize = pageSize < 1 ? 1000 : pageSize;
        }

        public T Current { get; private set; }

        public Task<bool> MoveNextAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_page == null || _index >= _page.Count)
            {
                if (_done)
                {
                    return Task.FromResult(false);
                }

                _page = _fetch(_last, _pageSize);
                _index = 0;
                if (_page.Count < _pageSize)
                {
                    _done = true;
                }

                if (_page.Count == 0)
                {
                    return Task.FromResult(false);
                }

                _last = _key(_page[_page.Count - 1]);
            }
            Current = _page[_index++];
            return Task.FromResult(true);
        }

        public void Dispose()
        {
            _page = null;
        }
    }
}
