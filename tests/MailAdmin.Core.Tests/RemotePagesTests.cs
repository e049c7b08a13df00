using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Remote;
using Xunit;

namespace MailAdmin.Core.Tests;

/// <summary>A remote list streamed page by page (issue 13: IAsyncEnumerable in place of the old cursors).</summary>
public class RemotePagesTests
{
    [Fact]
    public async Task Each_page_is_fetched_when_the_one_before_is_used_up()
    {
        var fetched = new List<int>();
        var items = RemotePages.Stream(3, (i, ct) =>
        {
            fetched.Add(i);
            return Task.FromResult(i == 1 ? new List<string>() : new List<string> { $"{i}a", $"{i}b" });
        });
        Assert.Empty(fetched);
        var e = items.GetAsyncEnumerator();
        Assert.True(await e.MoveNextAsync());
        Assert.Equal("0a", e.Current);
        Assert.Equal(new[] { 0 }, fetched);
        var rest = new List<string>();
        while (await e.MoveNextAsync()) rest.Add(e.Current);
        await e.DisposeAsync();
        Assert.Equal(new[] { "0b", "2a", "2b" }, rest);
        Assert.Equal(new[] { 0, 1, 2 }, fetched);
    }

    [Fact]
    public async Task The_token_given_to_the_enumerator_reaches_the_fetch_and_stops_the_stream()
    {
        using var cts = new CancellationTokenSource();
        CancellationToken seen = default;
        var items = RemotePages.Stream(ct =>
        {
            seen = ct;
            return Task.FromResult(new List<int> { 1, 2 });
        });
        var e = items.GetAsyncEnumerator(cts.Token);
        Assert.True(await e.MoveNextAsync());
        Assert.True(seen.CanBeCanceled);
        cts.Cancel();
        Assert.True(seen.IsCancellationRequested);
        await e.DisposeAsync();
        var again = RemotePages.Stream(2, (i, ct) => Task.FromResult(new List<int> { i })).GetAsyncEnumerator(cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await again.MoveNextAsync());
    }
}
