using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;
using System.Data.Common;

namespace MailAdmin.Providers.Local
{
    using static LocalLookups;
    using static LocalMailboxStore;
    using static LocalDomainStore;

    internal static class CursorExtensions
    {
        public static IMailCursor<TOut> Select<TIn, TOut>(this IMailCursor<TIn> inner, Func<TIn, TOut> map) => new MappedCursor<TIn, TOut>(inner, map);

        private sealed class MappedCursor<TIn, TOut> : IMailCursor<TOut>
        {
            private readonly IMailCursor<TIn> _inner; private readonly Func<TIn, TOut> _map;
            public MappedCursor(IMailCursor<TIn> inner, Func<TIn, TOut> map)
            {
                _inner = inner;
                _map = map;
            }
            public TOut Current { get; private set; }
            public async Task<bool> MoveNextAsync(CancellationToken ct)
            {
                if (!await _inner.MoveNextAsync(ct).ConfigureAwait(false))
                {
                    return false;
                }

                Current = _map(_inner.Current);
                return true;
            }
            public void Dispose() => _inner.Dispose();
        }
    }
}
