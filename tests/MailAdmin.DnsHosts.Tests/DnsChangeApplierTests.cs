using MailAdmin.DnsHosting;
using MailAdmin.DnsHosts;
using MailAdmin.Errors;
using MailAdmin.Models;
using Xunit;

namespace MailAdmin.DnsHosts.Tests;

/// <summary>How the per-record hosts (Cloudflare, DNSPod, AliDns) apply a plan, against a zone kept in memory.</summary>
public class DnsChangeApplierTests
{
    private sealed class FakeHost
    {
        public readonly List<DnsHostRecord> Zone = new();
        public readonly List<string> Calls = new();
        public Func<DnsPlanItem, Exception> FailCreate = _ => null;
        public Func<DnsPlanItem, Exception> FailRemove = _ => null;
        private int _next;

        public DnsHostRecord Have(string name, string type, string value, int? prio = null)
        {
            var r = new DnsHostRecord { Zone = "contoso.cn", Name = name, Type = type, Value = value, Priority = prio, Ttl = 600, Id = "r" + ++_next };
            Zone.Add(r);
            return r;
        }

        public Task Apply(IReadOnlyList<DnsPlanItem> changes) => DnsChangeApplier.ApplyEachAsync(changes,
            c =>
            {
                Calls.Add($"update {c.Name} {c.Type} {c.Value}");
                c.Existing.Value = c.Value;
                return Task.CompletedTask;
            },
            c =>
            {
                Calls.Add($"create {c.Name} {c.Type} {c.Value}");
                var e = FailCreate(c);
                if (e != null) throw e;
                Have(c.Name, c.Type, c.Value, c.Priority);
                return Task.CompletedTask;
            },
            c =>
            {
                Calls.Add($"delete {c.Name} {c.Type} {c.Value}");
                var e = FailRemove(c);
                if (e != null) throw e;
                Zone.RemoveAll(h => h.Id == c.Existing.Id);
                return Task.CompletedTask;
            },
            () => Task.FromResult<IReadOnlyList<DnsHostRecord>>(Zone.ToList()), CancellationToken.None);
    }

    private static MailDnsRecord Req(string name, string type, string value, int? prio = null)
        => new() { Zone = "contoso.cn", Name = name, Type = type, Value = value, Priority = prio, Ttl = 600 };

    [Fact]
    public async Task Adds_and_updates_go_first_then_the_removals()
    {
        var host = new FakeHost();
        host.Have("contoso.cn", "MX", "mxbiz1.qq.com", 5);
        host.Have("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=none");
        host.Have("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=reject");
        var required = new[] { Req("contoso.cn", "MX", "mx1.contoso.cn", 10), Req("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=quarantine") };
        var plan = DnsPublishPlanner.Plan("contoso.cn", required, host.Zone.ToList());
        await host.Apply(plan);
        Assert.Equal(new[]
        {
            "create contoso.cn MX mx1.contoso.cn", "update _dmarc.contoso.cn TXT v=DMARC1; p=quarantine",
            "delete contoso.cn MX mxbiz1.qq.com", "delete _dmarc.contoso.cn TXT v=DMARC1; p=reject",
        }, host.Calls);
        Assert.All(plan, p => Assert.Equal("Applied", p.Status));
    }

    [Fact]
    public async Task A_failed_add_keeps_the_record_it_was_to_replace()
    {
        var host = new FakeHost();
        host.Have("contoso.cn", "MX", "mxbiz1.qq.com", 5);
        host.FailCreate = c => MailAdminException.Invalid("DnsRecordRefused", $"{c.Name} {c.Type}: refused", c);
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "MX", "mx1.contoso.cn", 10) }, host.Zone.ToList());
        await host.Apply(plan);
        Assert.Equal(new[] { "Failed", "Skipped" }, plan.Select(p => p.Status));
        Assert.StartsWith("kept", plan[1].Reason);
        Assert.Equal("mxbiz1.qq.com", Assert.Single(host.Zone).Value);
    }

    [Fact]
    public async Task A_delete_answered_not_found_is_done_when_the_record_is_gone_and_failed_when_it_is_not()
    {
        var host = new FakeHost();
        var old = host.Have("contoso.cn", "MX", "mxbiz1.qq.com", 5);
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "MX", "mx1.contoso.cn", 10) }, host.Zone.ToList());
        // the first DELETE was applied but its answer lost; the retry finds nothing
        host.FailRemove = c =>
        {
            host.Zone.Remove(old);
            return new MailAdminException(MailErrorKind.ObjectNotFound, "DnsRecordNotFound", "Record does not exist.", c);
        };
        await host.Apply(plan);
        Assert.Equal(new[] { "Applied", "Applied" }, plan.Select(p => p.Status));

        var host2 = new FakeHost();
        host2.Have("contoso.cn", "MX", "mxbiz1.qq.com", 5);
        var plan2 = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "MX", "mx1.contoso.cn", 10) }, host2.Zone.ToList());
        host2.FailRemove = c => new MailAdminException(MailErrorKind.PermissionDenied, "DnsRecordLocked", "locked", c);
        await host2.Apply(plan2);
        Assert.Equal("Failed", plan2[1].Status);
        Assert.Equal("DnsRecordLocked", plan2[1].Error.ErrorId);
    }

    [Fact]
    public async Task An_exists_answer_counts_as_done_only_when_the_record_is_really_there()
    {
        // DNSPod answers InvalidParameter.DomainRecordExist for a CNAME clash too: "exists" alone must not read as success
        var host = new FakeHost();
        host.FailCreate = c => new MailAdminException(MailErrorKind.ResourceExists, "DnsRecordExists", "记录已经存在，无需再次添加。(CNAME)", c);
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=none") }, host.Zone.ToList());
        await host.Apply(plan);
        var item = Assert.Single(plan);
        Assert.Equal("Failed", item.Status);
        Assert.Equal("DnsRecordExists", item.Error.ErrorId);

        var there = new FakeHost();
        there.FailCreate = c =>
        {
            there.Have(c.Name, c.Type, c.Value);   // the create landed before its answer was lost; the retry hears "exists"
            return new MailAdminException(MailErrorKind.ResourceExists, "DnsRecordExists", "An identical record already exists.", c);
        };
        var plan2 = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=none") }, there.Zone.ToList());
        await there.Apply(plan2);
        Assert.Equal("Applied", Assert.Single(plan2).Status);
    }
}
