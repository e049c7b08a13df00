using MailAdmin.Dns;
using MailAdmin.Dns.Propagation;
using MailAdmin.Dns.Spf;
using Xunit;

namespace MailAdmin.Dns.Tests;

public class SpfLookupCounterTests
{
    private static ZoneResolver Zone()
    {
        var z = new ZoneResolver();
        z["_spf.vendor.example"].Txt.Add("v=spf1 include:_a.vendor.example include:_b.vendor.example ~all");
        z["_a.vendor.example"].Txt.Add("v=spf1 a mx ip4:192.0.2.0/24 ~all");
        z["_b.vendor.example"].Txt.Add("v=spf1 include:_c.vendor.example -all");
        z["_c.vendor.example"].Txt.Add("v=spf1 exists:%{i}.x.vendor.example ptr -all");
        z["redir.example"].Txt.Add("v=spf1 redirect=_spf.vendor.example");
        z["loop.example"].Txt.Add("v=spf1 include:loop.example -all");
        return z;
    }

    [Fact]
    public async Task Follows_includes_and_counts_every_lookup_on_the_way()
    {
        var (count, detail) = await new SpfLookupCounter(Zone()).CountAsync("contoso.cn", "v=spf1 mx include:_spf.vendor.example -all", CancellationToken.None);
        // mx 1; include 1 + (_a: 1 + a + mx = 3) + (_b: 1 + (_c: 1 + exists + ptr = 3) = 4) = 1 + 3 + 4 = 8
        Assert.Equal(9, count);
        Assert.Contains("contoso.cn: include:_spf.vendor.example = 8", detail);
        Assert.Contains("_c.vendor.example: ptr = 1", detail);
    }

    [Fact]
    public async Task Follows_redirect_only_when_the_record_has_no_all()
    {
        var z = Zone();
        Assert.Equal(9, (await new SpfLookupCounter(z).CountAsync("contoso.cn", "v=spf1 a redirect=_spf.vendor.example", CancellationToken.None)).Count);
        Assert.Equal(1, (await new SpfLookupCounter(z).CountAsync("contoso.cn", "v=spf1 a redirect=_spf.vendor.example -all", CancellationToken.None)).Count);
        Assert.Equal(9, (await new SpfLookupCounter(z).CountAsync("contoso.cn", "v=spf1 include:redir.example -all", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Counts_one_for_a_target_it_cannot_follow_and_says_why()
    {
        var z = Zone();
        z["down.example"].Timeout = true;
        var (count, detail) = await new SpfLookupCounter(z).CountAsync("contoso.cn",
            "v=spf1 include:nospf.example include:down.example include:loop.example include:%{d}.m.example -all", CancellationToken.None);
        Assert.Equal(5, count);   // loop.example: its include, and its own include of itself (a loop) counted once
        Assert.Contains("include:nospf.example = 1 (0 SPF records, not followed)", detail);
        Assert.Contains("include:down.example = 1 (DNS Timeout, not followed)", detail);
        Assert.Contains("(loop)", detail);
        Assert.Contains("(macro, not followed)", detail);
    }

    [Fact]
    public void A_removed_record_is_settled_only_by_a_clean_answer_without_it()
    {
        var gone = new PropagationRecord { Name = "contoso.cn", Type = "MX", Value = "old.example.net", Priority = 10, Absent = true };
        Assert.True(PropagationWatcher.Settled(gone, (false, new[] { "10 mx.contoso.cn" }, DnsStatus.NoError)));
        Assert.True(PropagationWatcher.Settled(gone, (false, new[] { "NxDomain" }, DnsStatus.NxDomain)));
        Assert.False(PropagationWatcher.Settled(gone, (false, new[] { "Timeout" }, DnsStatus.Timeout)));
        Assert.False(PropagationWatcher.Settled(gone, (true, new[] { "10 old.example.net" }, DnsStatus.NoError)));
        var added = new PropagationRecord { Name = "contoso.cn", Type = "MX", Value = "mx.contoso.cn", Priority = 10 };
        Assert.True(PropagationWatcher.Settled(added, (true, new[] { "10 mx.contoso.cn" }, DnsStatus.NoError)));
        Assert.False(PropagationWatcher.Settled(added, (false, new string[0], DnsStatus.NoError)));
    }
}
