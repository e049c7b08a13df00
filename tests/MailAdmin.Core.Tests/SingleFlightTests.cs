using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Remote;
using Xunit;

namespace MailAdmin.Core.Tests;

/// <summary>Department lookups made once for every caller at once, then cached (issue 14, item 5).</summary>
public class SingleFlightTests
{
    [Fact]
    public async Task Callers_arriving_while_a_load_is_in_flight_share_it_and_later_ones_get_the_cache()
    {
        var gate = new TaskCompletionSource<int>();
        var calls = 0;
        var sf = new SingleFlight<int>(() => { Interlocked.Increment(ref calls); return gate.Task; });
        var waiting = Enumerable.Range(0, 50).Select(_ => sf.GetAsync(CancellationToken.None)).ToArray();
        await Task.Delay(50);
        gate.SetResult(7);
        Assert.All(await Task.WhenAll(waiting), v => Assert.Equal(7, v));
        Assert.Equal(7, await sf.GetAsync(CancellationToken.None));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_reload_loads_again_but_joins_a_load_in_flight()
    {
        var calls = 0;
        var gate = new TaskCompletionSource<int>();
        var sf = new SingleFlight<int>(() => Interlocked.Increment(ref calls) == 1 ? Task.FromResult(1) : gate.Task);
        Assert.Equal(1, await sf.GetAsync(CancellationToken.None));
        var r1 = sf.GetAsync(CancellationToken.None, reload: true);
        var r2 = sf.GetAsync(CancellationToken.None, reload: true);
        await Task.Delay(20);
        gate.SetResult(2);
        Assert.Equal(2, await r1);
        Assert.Equal(2, await r2);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_failed_load_is_not_cached()
    {
        var calls = 0;
        var sf = new SingleFlight<int>(() => Interlocked.Increment(ref calls) == 1 ? Task.FromException<int>(new InvalidOperationException("down")) : Task.FromResult(3));
        await Assert.ThrowsAsync<InvalidOperationException>(() => sf.GetAsync(CancellationToken.None));
        Assert.Equal(3, await sf.GetAsync(CancellationToken.None));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting_without_cancelling_the_others()
    {
        var gate = new TaskCompletionSource<int>();
        var sf = new SingleFlight<int>(() => gate.Task);
        using var cts = new CancellationTokenSource();
        var other = sf.GetAsync(CancellationToken.None);
        var mine = sf.GetAsync(cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mine);
        gate.SetResult(5);
        Assert.Equal(5, await other);
    }

    [Fact]
    public async Task A_fresh_read_reuses_a_load_started_after_the_caller_began_and_loads_again_otherwise()
    {
        var calls = 0;
        var sf = new SingleFlight<int>(() => Task.FromResult(Interlocked.Increment(ref calls)));
        var before = DateTime.UtcNow;
        await Task.Delay(20);
        Assert.Equal(1, await sf.GetFreshAsync(before, CancellationToken.None));   // nothing loaded yet: loads
        Assert.Equal(1, await sf.GetFreshAsync(before, CancellationToken.None));   // loaded after 'before': reused
        await Task.Delay(20);
        var later = DateTime.UtcNow;
        Assert.Equal(2, await sf.GetFreshAsync(later, CancellationToken.None));    // loaded before 'later': loads again
        Assert.Equal(2, calls);
    }
}
