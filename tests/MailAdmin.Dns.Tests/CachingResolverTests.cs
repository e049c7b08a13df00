using System.Net;
using MailAdmin.Dns;
using Xunit;

namespace MailAdmin.Dns.Tests;

/// <summary>The run's cache: one question per name and type however many ask at once, and bounded memory over a long run.</summary>
public class CachingResolverTests
{
    /// <summary>Answers every TXT question with the name, after a short wait, and counts the questions.</summary>
    private sealed class Counting : IDnsResolver
    {
        public int Asked;
        public int DelayMs = 20;

        public async Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct)
        {
            Interlocked.Increment(ref Asked);
            await Task.Delay(DelayMs, ct);
            return new DnsAnswer<string>(DnsStatus.NoError, new List<string> { "for " + name });
        }

        public Task<DnsAnswer<IPAddress>> AddressAsync(string name, bool ipv6, CancellationToken ct) => throw new NotSupportedException();
        public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct) => throw new NotSupportedException();
        public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct) => throw new NotSupportedException();
        public Task<DnsAnswer<string>> CnameAsync(string name, CancellationToken ct) => throw new NotSupportedException();
        public Task<DnsAnswer<string>> TlsaAsync(string name, CancellationToken ct) => throw new NotSupportedException();
        public Task<DnsAnswer<string>> QueryAsync(string name, string type, CancellationToken ct) => throw new NotSupportedException();
        public Task<DnsAnswer<string>> SoaAsync(string name, CancellationToken ct) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Asks_a_question_once_however_many_ask_it_at_once()
    {
        var inner = new Counting();
        var cache = new CachingResolver(inner);
        var asks = Enumerable.Range(0, 64).Select(_ => Task.Run(() => cache.TxtAsync("_spf.Shared.test.", CancellationToken.None))).ToArray();
        var answers = await Task.WhenAll(asks);
        Assert.Equal(1, inner.Asked);
        Assert.Equal(1, cache.Queries);
        Assert.All(answers, a => Assert.Equal("for _spf.Shared.test.", Assert.Single(a.Records)));
        // names are case-insensitive and the trailing dot does not matter
        await cache.TxtAsync("_spf.shared.test", CancellationToken.None);
        Assert.Equal(1, inner.Asked);
    }

    [Fact]
    public async Task Holds_at_most_its_capacity_dropping_the_oldest_answers_first()
    {
        var inner = new Counting { DelayMs = 0 };
        var cache = new CachingResolver(inner, capacity: 100);
        for (var i = 0; i < 1000; i++)
        {
            await cache.TxtAsync($"d{i}.test", CancellationToken.None);
            Assert.True(cache.Count <= 100, $"{cache.Count} answers held after {i + 1} names");
        }
        Assert.Equal(1000, inner.Asked);
        // the newest are still there; the oldest are asked again
        await cache.TxtAsync("d999.test", CancellationToken.None);
        Assert.Equal(1000, inner.Asked);
        var again = await cache.TxtAsync("d0.test", CancellationToken.None);
        Assert.Equal(1001, inner.Asked);
        Assert.Equal("for d0.test", Assert.Single(again.Records));
    }
}
