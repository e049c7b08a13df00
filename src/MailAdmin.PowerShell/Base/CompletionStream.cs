using System;
using System.Collections.Generic;
using System.Management.Automation;
using MailAdmin.Errors;

namespace MailAdmin.PowerShell
{
    /// <summary>Reads the first items of a provider's stream for tab completion, on the calling thread.</summary>
    internal static class CompletionStream
    {
        public const int Most = 100;

        /// <summary>At most <see cref="Most"/> results; a store that refuses (not connected, no rights) leaves what was read before.</summary>
        public static List<CompletionResult> First<T>(Func<IAsyncEnumerable<T>> items, Func<T, CompletionResult> toResult)
        {
            var list = new List<CompletionResult>();
            try
            {
                var e = items().GetAsyncEnumerator();
                try
                {
                    while (list.Count < Most && e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                    {
                        list.Add(toResult(e.Current));
                    }
                }
                finally
                {
                    e.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
            catch (MailAdminException)
            {
                // completion must not fail the command line: offer what was read before the store refused
                return list;
            }

            return list;
        }
    }
}
