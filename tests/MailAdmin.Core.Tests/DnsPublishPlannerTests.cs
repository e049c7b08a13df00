using MailAdmin.DnsHosting;
using MailAdmin.Models;
using Xunit;

namespace MailAdmin.Core.Tests;

public class DnsPublishPlannerTests
{
    private static MailDnsRecord Req(string name, string type, string value, int? prio = null, MailDnsPurpose purpose = MailDnsPurpose.Mx)
        => new() { Zone = "contoso.cn", Name = name, Type = type, Value = value, Priority = prio, Purpose = purpose, Ttl = 600 };
    private static DnsHostRecord Have(string name, string type, string value, int? prio = null)
        => new() { Zone = "contoso.cn", Name = name, Type = type, Value = value, Priority = prio, Ttl = 600, Id = name + type + value };

    private static readonly string Dkim = "v=DKIM1; k=rsa; p=" + new string('A', 392);

    [Fact]
    public void Empty_zone_adds_everything()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] {
            Req("contoso.cn", "MX", "mx.contoso.cn", 10), Req("contoso.cn", "TXT", "v=spf1 mx -all"),
            Req("s1._domainkey.contoso.cn", "TXT", Dkim), Req("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=quarantine") }, new DnsHostRecord[0]);
        Assert.Equal(4, plan.Count);
        Assert.All(plan, p => Assert.Equal(DnsChangeAction.Add, p.Action));
        Assert.All(plan, p => Assert.Equal("Planned", p.Status));
    }

    [Fact]
    public void Matching_records_are_unchanged_whatever_the_case_spacing_or_trailing_dot()
    {
        var have = new[] { Have("Contoso.CN.", "MX", "MX.contoso.cn.", 10), Have("contoso.cn", "TXT", "v=spf1  MX -all"),
                    Have("_dmarc.contoso.cn", "TXT", "v=DMARC1;p=quarantine;  rua=mailto:a@contoso.cn;") };
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] {
            Req("contoso.cn", "MX", "mx.contoso.cn", 10), Req("contoso.cn", "TXT", "v=spf1 mx -all"),
            Req("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=quarantine; rua=mailto:a@contoso.cn") }, have);
        Assert.All(plan, p => Assert.Equal(DnsChangeAction.Unchanged, p.Action));
        Assert.All(plan, p => Assert.NotNull(p.Existing));
    }

    [Fact]
    public void A_ttl_only_difference_is_a_change()
    {
        var have = new[] { Have("contoso.cn", "MX", "mx.contoso.cn", 10), Have("contoso.cn", "TXT", "v=spf1 mx -all"),
                    Have("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=quarantine") };
        foreach (var h in have) h.Ttl = 300;
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] {
            Req("contoso.cn", "MX", "mx.contoso.cn", 10), Req("contoso.cn", "TXT", "v=spf1 mx -all"),
            Req("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=quarantine") }, have);
        Assert.Equal(3, plan.Count);
        Assert.All(plan, p => Assert.Equal(DnsChangeAction.Update, p.Action));
        Assert.All(plan, p => Assert.Equal(600, p.Ttl));
        Assert.All(plan, p => Assert.Equal(300, p.Existing.Ttl));
        Assert.All(plan, p => Assert.Contains("TTL 300 -> 600", p.Reason));
        Assert.Equal("v=spf1 mx -all", plan[1].Value);
    }

    [Fact]
    public void The_ttl_compared_is_the_one_the_host_keeps()
    {
        // a host with a 600 s minimum stores 600 for a required 300: a re-run must not see a change
        var have = Have("contoso.cn", "MX", "mx.contoso.cn", 10); have.Ttl = 600;
        var req = Req("contoso.cn", "MX", "mx.contoso.cn", 10); req.Ttl = 300;
        var options = new DnsPlanOptions { EffectiveTtl = t => Math.Max(t, 600) };
        var item = Assert.Single(DnsPublishPlanner.Plan("contoso.cn", new[] { req }, new[] { have }, null, options));
        Assert.Equal(DnsChangeAction.Unchanged, item.Action);
        Assert.Equal(600, item.Ttl);
    }

    [Fact]
    public void Mx_with_another_priority_is_updated_and_any_other_mx_at_the_name_removed()
    {
        var other = Have("contoso.cn", "MX", "backup.example.net", 50);
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "MX", "mx.contoso.cn", 10) },
            new[] { Have("contoso.cn", "MX", "mx.contoso.cn", 20), other });
        Assert.Equal(2, plan.Count);
        Assert.Equal(DnsChangeAction.Update, plan[0].Action);
        Assert.Equal(20, plan[0].Existing.Priority);
        Assert.Equal(10, plan[0].Priority);
        Assert.Equal(DnsChangeAction.Remove, plan[1].Action);
        Assert.Same(other, plan[1].Existing);
        Assert.Equal("backup.example.net", plan[1].Value);
        Assert.Equal(50, plan[1].Priority);
    }

    [Fact]
    public void The_old_providers_mx_is_removed_after_the_new_one_is_added()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn",
            new[] { Req("contoso.cn", "MX", "mx1.qiye.aliyun.com", 5), Req("contoso.cn", "MX", "mx2.qiye.aliyun.com", 10) },
            new[] { Have("contoso.cn", "MX", "mxbiz1.qq.com", 5), Have("contoso.cn", "MX", "mxbiz2.qq.com", 10),
                    Have("www.contoso.cn", "A", "192.0.2.1") });
        Assert.Equal(new[] { DnsChangeAction.Add, DnsChangeAction.Add, DnsChangeAction.Remove, DnsChangeAction.Remove }, plan.Select(p => p.Action));
        Assert.Equal(new[] { "mxbiz1.qq.com", "mxbiz2.qq.com" }, plan.Where(p => p.Action == DnsChangeAction.Remove).Select(p => p.Value));
        Assert.All(plan, p => Assert.Equal("contoso.cn", p.Name));
    }

    [Fact]
    public void Records_of_other_names_other_types_and_other_txt_are_left_alone()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "MX", "mx.contoso.cn", 10), Req("contoso.cn", "TXT", "v=spf1 mx -all") },
            new[] { Have("contoso.cn", "TXT", "google-site-verification=abc"), Have("contoso.cn", "A", "192.0.2.1"),
                    Have("contoso.cn", "TXT", "v=verification; x=1"), Have("mail.contoso.cn", "MX", "other.example.net", 10),
                    Have("s1._domainkey.contoso.cn", "TXT", "v=DKIM1; p=KEEP") });
        Assert.Equal(2, plan.Count);
        Assert.DoesNotContain(plan, p => p.Action == DnsChangeAction.Remove);
    }

    [Fact]
    public void Existing_spf_is_merged_keeping_its_terms_and_its_all()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "TXT", "v=spf1 include:spf.mxhichina.com mx -all", purpose: MailDnsPurpose.Spf) },
            new[] { Have("contoso.cn", "TXT", "v=spf1 ip4:192.0.2.0/24 include:_spf.google.com ~all"), Have("contoso.cn", "TXT", "google-site-verification=abc") });
        var item = Assert.Single(plan);
        Assert.Equal(DnsChangeAction.Update, item.Action);
        Assert.Equal("v=spf1 ip4:192.0.2.0/24 include:_spf.google.com include:spf.mxhichina.com mx ~all", item.Value);
        Assert.Equal("v=spf1 ip4:192.0.2.0/24 include:_spf.google.com ~all", item.OldValue);
        Assert.Contains("merged", item.Reason);
    }

    [Fact]
    public void Spf_that_already_has_the_required_terms_is_unchanged()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "TXT", "v=spf1 mx -all") },
            new[] { Have("contoso.cn", "TXT", "v=spf1 ip4:192.0.2.1 mx ~all") });
        Assert.Equal(DnsChangeAction.Unchanged, Assert.Single(plan).Action);
    }

    [Fact]
    public void Two_required_spf_records_for_one_name_become_one()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "TXT", "v=spf1 mx -all"), Req("contoso.cn", "TXT", "v=spf1 include:spf.mxhichina.com -all") }, new DnsHostRecord[0]);
        var item = Assert.Single(plan);
        Assert.Equal(DnsChangeAction.Add, item.Action);
        Assert.Equal("v=spf1 mx include:spf.mxhichina.com -all", item.Value);
    }

    [Fact]
    public void Two_existing_spf_records_become_one_keeping_the_terms_of_both()
    {
        var second = Have("contoso.cn", "TXT", "v=spf1 ip4:192.0.2.1 -all");
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "TXT", "v=spf1 mx -all") },
            new[] { Have("contoso.cn", "TXT", "v=spf1 a -all"), second, Have("contoso.cn", "TXT", "site-verification=x") });
        Assert.Equal(2, plan.Count);
        Assert.Equal(DnsChangeAction.Update, plan[0].Action);
        Assert.Equal("v=spf1 a ip4:192.0.2.1 mx -all", plan[0].Value);
        Assert.Equal(DnsChangeAction.Remove, plan[1].Action);
        Assert.Same(second, plan[1].Existing);
    }

    [Fact]
    public void Spf_records_that_cannot_be_merged_are_refused_and_nothing_is_removed()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "TXT", "v=spf1 mx -all") },
            new[] { Have("contoso.cn", "TXT", "v=spf1 a -all"), Have("contoso.cn", "TXT", "v=spf1 redirect=_spf.example.net") });
        var item = Assert.Single(plan);
        Assert.Equal(DnsChangeAction.Refused, item.Action);
        Assert.Equal("DuplicateSpfRecord", item.ErrorId);
        Assert.Contains("2 SPF records", item.Reason);
    }

    [Fact]
    public void Merge_over_ten_lookups_is_refused_with_the_count()
    {
        var includes = string.Join(" ", Enumerable.Range(1, 9).Select(i => $"include:s{i}.example.net"));
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "TXT", "v=spf1 include:spf.mxhichina.com mx -all") },
            new[] { Have("contoso.cn", "TXT", "v=spf1 " + includes + " -all") });
        var item = Assert.Single(plan);
        Assert.Equal(DnsChangeAction.Refused, item.Action);
        Assert.Equal("SpfLookupLimit", item.ErrorId);
        Assert.Contains("11 DNS lookups", item.Reason);
    }

    [Fact]
    public void Spf_with_redirect_gets_mechanisms_before_it_and_no_all()
    {
        Assert.Equal("v=spf1 mx redirect=_spf.example.net", SpfMerge.Merge("v=spf1 redirect=_spf.example.net", "v=spf1 mx -all", out _));
        Assert.Null(SpfMerge.Merge("v=spf1 a -all", "v=spf1 redirect=_spf.example.net", out var why));
        Assert.Contains("redirect=", why);
    }

    [Fact]
    public void Lookups_through_includes_are_counted_by_the_counter_given_and_refused_with_the_count()
    {
        var asked = new List<string>();
        var options = new DnsPlanOptions
        {
            CountSpfLookups = (name, spf) =>
            {
                asked.Add(name + " " + spf);
                return (spf.Contains("include:big.example.net") ? 12 : 3, "include:big.example.net = 9 lookup(s)");
            },
        };
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "TXT", "v=spf1 include:spf.mxhichina.com -all") },
            new[] { Have("contoso.cn", "TXT", "v=spf1 include:big.example.net ~all") }, null, options);
        var item = Assert.Single(plan);
        Assert.Equal(DnsChangeAction.Refused, item.Action);
        Assert.Equal("SpfLookupLimit", item.ErrorId);
        Assert.Contains("12 DNS lookups", item.Reason);
        Assert.Contains("include:big.example.net = 9", item.Reason);
        Assert.Equal(new[] { "contoso.cn v=spf1 include:big.example.net include:spf.mxhichina.com ~all" }, asked);

        var fine = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "TXT", "v=spf1 include:spf.mxhichina.com -all") },
            new[] { Have("contoso.cn", "TXT", "v=spf1 a ~all") }, null, options);
        Assert.Equal(DnsChangeAction.Update, Assert.Single(fine).Action);
        Assert.Contains("3 of 10 lookups", fine[0].Reason);
    }

    [Fact]
    public void Lookups_are_counted_per_rfc7208()
    {
        Assert.Equal(5, SpfMerge.CountLookups("v=spf1 a mx/24 ptr include:x.example exists:%{i}.y.example ip4:192.0.2.1 -all"));
        Assert.Equal(1, SpfMerge.CountLookups("v=spf1 ip6:2001:db8::/32 -include:x.example ~all"));
    }

    [Fact]
    public void Dmarc_is_updated_in_place_never_added_twice()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=quarantine") },
            new[] { Have("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=none") });
        var item = Assert.Single(plan);
        Assert.Equal(DnsChangeAction.Update, item.Action);
        Assert.Equal("v=DMARC1; p=none", item.OldValue);

        var two = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=quarantine") },
            new[] { Have("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=none"), Have("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=reject") });
        Assert.Equal(new[] { DnsChangeAction.Update, DnsChangeAction.Remove }, two.Select(p => p.Action));
        Assert.Equal("v=DMARC1; p=none", two[0].OldValue);
        Assert.Equal("v=DMARC1; p=reject", two[1].Value);

        var same = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=quarantine") },
            new[] { Have("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=none"), Have("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=quarantine") });
        Assert.Equal(new[] { DnsChangeAction.Unchanged, DnsChangeAction.Remove }, same.Select(p => p.Action));
        Assert.Equal("v=DMARC1; p=quarantine", same[0].OldValue);   // the one that matches is kept
        Assert.Equal("v=DMARC1; p=none", same[1].Value);
    }

    [Fact]
    public void Dkim_key_at_a_selector_is_replaced_other_selectors_left_alone()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("s1._domainkey.contoso.cn", "TXT", Dkim) },
            new[] { Have("s1._domainkey.contoso.cn", "TXT", "k=rsa; p=OLDKEY"), Have("s2._domainkey.contoso.cn", "TXT", "v=DKIM1; p=OTHER") });
        var item = Assert.Single(plan);
        Assert.Equal(DnsChangeAction.Update, item.Action);
        Assert.Equal("k=rsa; p=OLDKEY", item.OldValue);

        var stale = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("s1._domainkey.contoso.cn", "TXT", Dkim) },
            new[] { Have("s1._domainkey.contoso.cn", "TXT", Dkim), Have("s1._domainkey.contoso.cn", "TXT", "v=DKIM1; p=STALE") });
        Assert.Equal(new[] { DnsChangeAction.Unchanged, DnsChangeAction.Remove }, stale.Select(p => p.Action));
        Assert.Equal("v=DKIM1; p=STALE", stale[1].Value);
    }

    [Fact]
    public void Removals_wait_for_the_adds_of_their_name_and_type()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn",
            new[] { Req("contoso.cn", "MX", "mx.contoso.cn", 10), Req("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=none") },
            new[] { Have("contoso.cn", "MX", "old.example.net", 10), Have("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=reject"),
                    Have("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=x") });
        // the add of the new MX is declined: the old MX stays, so the domain never has no MX; the DMARC group goes ahead
        var accepted = DnsPublishPlanner.Accept(plan, p => !(p.Type == "MX" && p.Action == DnsChangeAction.Add));
        Assert.Equal(new[] { "Skipped", "Planned", "Skipped", "Planned" }, plan.Select(p => p.Status));
        Assert.Equal(2, accepted.Count);
        Assert.True(DnsPublishPlanner.MayRemove(plan[3], accepted));
        plan[1].Status = "Failed";
        Assert.False(DnsPublishPlanner.MayRemove(plan[3], accepted));
    }

    [Fact]
    public void Cname_at_a_name_that_needs_txt_is_refused_naming_both()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("_dmarc.contoso.cn", "TXT", "v=DMARC1; p=none") },
            new[] { Have("_dmarc.contoso.cn", "CNAME", "dmarc.vendor.example") });
        var item = Assert.Single(plan);
        Assert.Equal(DnsChangeAction.Refused, item.Action);
        Assert.Equal("DnsCnameConflict", item.ErrorId);
        Assert.Contains("_dmarc.contoso.cn", item.Reason);
        Assert.Contains("dmarc.vendor.example", item.Reason);
    }

    [Fact]
    public void Cname_required_where_other_records_exist_is_refused()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("mta-sts.contoso.cn", "CNAME", "mx.contoso.cn") },
            new[] { Have("mta-sts.contoso.cn", "A", "192.0.2.1") });
        Assert.Equal("DnsCnameConflict", Assert.Single(plan).ErrorId);
        var upd = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("mta-sts.contoso.cn", "CNAME", "mx.contoso.cn") },
            new[] { Have("mta-sts.contoso.cn", "CNAME", "old.contoso.cn.") });
        Assert.Equal(DnsChangeAction.Update, Assert.Single(upd).Action);
    }

    [Fact]
    public void Srv_with_same_port_and_target_but_other_weight_is_updated()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("_imaps._tcp.contoso.cn", "SRV", "1 993 mx.contoso.cn", 0) },
            new[] { Have("_imaps._tcp.contoso.cn", "SRV", "5 993 mx.contoso.cn.", 0) });
        Assert.Equal(DnsChangeAction.Update, Assert.Single(plan).Action);
        var same = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("_imaps._tcp.contoso.cn", "SRV", "1 993 mx.contoso.cn", 0) },
            new[] { Have("_imaps._tcp.contoso.cn", "SRV", "1 993 MX.contoso.cn.", 0) });
        Assert.Equal(DnsChangeAction.Unchanged, Assert.Single(same).Action);
    }

    [Fact]
    public void Record_outside_the_zone_is_refused()
    {
        var plan = DnsPublishPlanner.Plan("contoso.cn", new[] { Req("fabrikam.com", "MX", "mx.fabrikam.com", 10) }, new DnsHostRecord[0]);
        Assert.Equal("DnsRecordOutsideZone", Assert.Single(plan).ErrorId);
    }

    [Fact]
    public void Disabled_records_do_not_count_as_present()
    {
        var r = Have("contoso.cn", "MX", "mx.contoso.cn", 10); r.Disabled = true;
        Assert.Equal(DnsChangeAction.Add, Assert.Single(DnsPublishPlanner.Plan("contoso.cn", new[] { Req("contoso.cn", "MX", "mx.contoso.cn", 10) }, new[] { r })).Action);
    }
}

public class TxtStringsTests
{
    [Fact]
    public void Long_value_is_split_into_255_octet_strings_and_joins_back()
    {
        var v = "v=DKIM1; k=rsa; p=" + new string('B', 600);
        var parts = TxtStrings.Split(v);
        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.True(System.Text.Encoding.UTF8.GetByteCount(p) <= 255));
        Assert.Equal(255, parts[0].Length);
        Assert.Equal(v, string.Concat(parts));
    }

    [Fact]
    public void Split_never_cuts_a_multibyte_character()
    {
        var v = new string('a', 254) + "é" + "z";
        var parts = TxtStrings.Split(v);
        Assert.Equal(new string('a', 254), parts[0]);
        Assert.Equal("éz", parts[1]);
    }

    [Fact]
    public void Quote_escapes_and_unquote_reverses()
    {
        var v = "say \"hi\" \\ " + new string('x', 300);
        var q = TxtStrings.Quote(v);
        Assert.StartsWith("\"say \\\"hi\\\" \\\\ ", q);
        Assert.Contains("\" \"", q);
        Assert.Equal(v, TxtStrings.Unquote(q));
    }

    [Fact]
    public void Unquote_reads_decimal_escapes_and_leaves_bare_text()
    {
        Assert.Equal("café", TxtStrings.Unquote("\"caf\\195\\169\""));
        Assert.Equal("v=spf1 -all", TxtStrings.Unquote("v=spf1 -all"));
        Assert.Equal("ab", TxtStrings.Unquote("\"a\" \"b\""));
    }
}
