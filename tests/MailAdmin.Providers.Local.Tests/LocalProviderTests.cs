using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MailAdmin.Providers.Local.Tests;

public sealed class StoreFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ma-xunit-" + Guid.NewGuid().ToString("n"))).FullName;
    public LocalMailProvider NewStore(string name = null)
    {
        var p = new LocalMailProvider(Path.Combine(Dir, (name ?? Guid.NewGuid().ToString("n")) + ".db"));
        // Cheapest bcrypt cost keeps the suite fast; the cost itself is tested separately.
        p.SetSecurityPolicyAsync(null, new MailSecurityPolicyUpdate { PasswordHashCost = 4 }, default).GetAwaiter().GetResult();
        return p;
    }
    public void Dispose() { SqliteConnection.ClearAllPools(); try { Directory.Delete(Dir, true); } catch (IOException) { } }
}

/// <summary>
/// What every Local store does, whatever database holds it: run once on SQLite (<see cref="LocalProviderTests"/>) and once on
/// PostgreSQL (<see cref="PostgresStoreTests"/>). Raw reads go through the same queries Postfix and Dovecot make.
/// </summary>
public abstract class LocalStoreContractTests
{
    protected static readonly CancellationToken None = CancellationToken.None;

    protected static SecretText Pw(string s = "Str0ng-Passw0rd") => new(s);

    protected static async Task<List<T>> All<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items.WithCancellation(None)) list.Add(item);
        return list;
    }

    /// <summary>A new, empty store (cheapest bcrypt cost).</summary>
    protected abstract LocalMailProvider NewStore(string name = null);

    /// <summary>A second provider on the same store, as a second process would open it.</summary>
    protected abstract LocalMailProvider Reopen(LocalMailProvider p);

    /// <summary>A query on the directory as the mail hosts read it ($name parameters).</summary>
    protected abstract List<object[]> DirectoryRows(LocalMailProvider p, string sql, params (string, object)[] args);

    /// <summary>A query on the secrets (SQLite: the secrets file; PostgreSQL: the schema 'secret').</summary>
    protected abstract object SecretScalar(LocalMailProvider p, string sql);

    /// <summary>No column or table of the directory holds a hash.</summary>
    protected abstract void AssertDirectoryHoldsNoSecret(LocalMailProvider p);

    protected object DirectoryScalar(LocalMailProvider p, string sql, params (string, object)[] args)
        => DirectoryRows(p, sql, args).Select(r => r[0]).FirstOrDefault();

    protected List<(string user, string service)> Denied(LocalMailProvider p)
        => DirectoryRows(p, "SELECT username, service FROM dovecot_denied ORDER BY username, service")
            .Select(r => ((string)r[0], (string)r[1])).ToList();

    protected bool InUserdb(LocalMailProvider p, string user)
        => DirectoryScalar(p, "SELECT 1 FROM dovecot_users WHERE username = $u", ("$u", user)) != null;

    [Fact]
    public async Task Domains_are_stored_as_punycode_and_shown_in_unicode()
    {
        var p = NewStore();
        var d = await p.AddDomainAsync("例子.测试", null, None);
        Assert.Equal("例子.测试", d.Name);
        Assert.Equal("xn--fsqu00a.xn--0zwm56d", d.AsciiName);
        Assert.Equal("mail.xn--fsqu00a.xn--0zwm56d", d.MailHost);
        Assert.True(d.IsPrimary);
        var e = await Assert.ThrowsAsync<MailAdminException>(() => p.AddDomainAsync("XN--FSQU00A.xn--0zwm56d", null, None));
        Assert.Equal(MailErrorKind.ResourceExists, e.Kind);
        Assert.Single(await All(p.ListDomains("*")));
        Assert.Single(await All(p.ListDomains("例子.测试")));
    }

    [Fact]
    public async Task Dns_records_carry_a_dkim_key_matching_the_stored_private_key()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", "mx1.example.net", None);
        var records = await p.GetDnsRecordsAsync("contoso.com", None);
        var mx = Assert.Single(records, r => r.Type == "MX");
        Assert.Equal("mx1.example.net", mx.Value);
        Assert.Equal(10, mx.Priority);
        Assert.Contains(records, r => r.Purpose == MailDnsPurpose.Spf && r.Value == "v=spf1 mx -all");
        Assert.Contains(records, r => r.Purpose == MailDnsPurpose.Dmarc && r.Name == "_dmarc.contoso.com" && r.Value.StartsWith("v=DMARC1; p="));
        Assert.Contains(records, r => r.Purpose == MailDnsPurpose.TlsRpt && r.Name == "_smtp._tls.contoso.com");
        Assert.Contains(records, r => r.Purpose == MailDnsPurpose.MtaSts && r.Type == "TXT" && r.Value.StartsWith("v=STSv1; id="));
        var dkim = Assert.Single(records, r => r.Purpose == MailDnsPurpose.Dkim);
        var (selector, pem) = p.GetDkimPrivateKey("contoso.com");
        Assert.Equal(selector + "._domainkey.contoso.com", dkim.Name);
        // The published p= is the SubjectPublicKeyInfo of the stored private key (checked with the framework's own RSA).
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(pem);
        Assert.Equal(2048, rsa.KeySize);
        var expected = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        Assert.Equal("v=DKIM1; k=rsa; p=" + expected, dkim.Value);
        // Stable across calls (the MTA-STS id must not change on every read).
        Assert.Equal(records.Select(r => r.Value), (await p.GetDnsRecordsAsync("contoso.com", None)).Select(r => r.Value));
    }

    [Fact]
    public async Task Mailbox_lifecycle_with_hash_dovecot_can_verify()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        var m = await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "Li.Lei@Contoso.com", DisplayName = "李雷", Department = "Sales", Password = Pw() }, None);
        Assert.Equal("li.lei@contoso.com", m.Address);
        Assert.Equal("李雷", m.DisplayName);
        Assert.True(m.HasPassword);
        Assert.True(p.VerifyPassword("li.lei@contoso.com", "Str0ng-Passw0rd"));
        Assert.False(p.VerifyPassword("li.lei@contoso.com", "wrong-password"));
        // the hash lives apart from the directory (SQLite: the secrets file, root only; PostgreSQL: the schema 'secret'),
        // never in the directory Postfix and others read
        var stored = SecretScalar(p, "SELECT password FROM mailbox_secret WHERE username = 'li.lei@contoso.com'") as string;
        Assert.StartsWith("{BLF-CRYPT}$2b$04$", stored);
        Assert.DoesNotContain("Str0ng", stored);
        AssertDirectoryHoldsNoSecret(p);
        var dup = await Assert.ThrowsAsync<MailAdminException>(() => p.CreateMailboxAsync(new MailboxCreateRequest { Address = "li.lei@contoso.com", Password = Pw() }, None));
        Assert.Equal(MailErrorKind.ResourceExists, dup.Kind);

        m = await p.UpdateMailboxAsync("li.lei@contoso.com", new MailboxUpdate { JobTitle = "Lead", QuotaMB = 2048, AddAliases = new[] { "lilei@contoso.com" } }, None);
        Assert.Equal("Lead", m.JobTitle);
        Assert.Equal(2048, m.QuotaMB);
        Assert.Equal(new[] { "lilei@contoso.com" }, m.Aliases);
        Assert.Equal("li.lei@contoso.com", (await p.GetMailboxAsync("lilei@contoso.com", None)).Address);
        var aliasClash = await Assert.ThrowsAsync<MailAdminException>(() => p.CreateMailboxAsync(new MailboxCreateRequest { Address = "lilei@contoso.com" }, None));
        Assert.Contains("alias of li.lei@contoso.com", aliasClash.Message);

        m = await p.SetMailboxEnabledAsync("li.lei@contoso.com", false, None);
        Assert.False(m.Enabled);
        await p.SetPasswordAsync("li.lei@contoso.com", Pw("An0ther-Secret"), false, None);
        Assert.True(p.VerifyPassword("li.lei@contoso.com", "An0ther-Secret"));
        Assert.False(p.VerifyPassword("li.lei@contoso.com", "Str0ng-Passw0rd"));

        await p.RemoveMailboxAsync("li.lei@contoso.com", None);
        var gone = await Assert.ThrowsAsync<MailAdminException>(() => p.GetMailboxAsync("li.lei@contoso.com", None));
        Assert.Equal("MailboxNotFound", gone.ErrorId);
        await Assert.ThrowsAsync<MailAdminException>(() => p.GetMailboxAsync("lilei@contoso.com", None));
    }

    [Fact]
    public async Task Create_refuses_unknown_domains_and_weak_passwords_per_store_policy()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        var e = await Assert.ThrowsAsync<MailAdminException>(() => p.CreateMailboxAsync(new MailboxCreateRequest { Address = "a@other.com", Password = Pw() }, None));
        Assert.Equal("MailDomainNotFound", e.ErrorId);
        await p.SetSecurityPolicyAsync(null, new MailSecurityPolicyUpdate { MinPasswordLength = 16 }, None);
        e = await Assert.ThrowsAsync<MailAdminException>(() => p.CreateMailboxAsync(new MailboxCreateRequest { Address = "a@contoso.com", Password = Pw("Short-but-8+") }, None));
        Assert.Equal("WeakPassword", e.ErrorId);
        Assert.Contains("16", e.Message);
        await Assert.ThrowsAsync<MailAdminException>(() => p.SetSecurityPolicyAsync(null, new MailSecurityPolicyUpdate { PasswordHashCost = 3 }, None));
        await Assert.ThrowsAsync<MailAdminException>(() => p.SetSecurityPolicyAsync(null, new MailSecurityPolicyUpdate { MinPasswordLength = 0 }, None));
    }

    [Fact]
    public async Task Listing_pages_through_everything_with_filters_and_wildcards()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        await p.AddDomainAsync("fabrikam.com", null, None);
        for (var i = 0; i < 25; i++)
            await p.CreateMailboxAsync(new MailboxCreateRequest { Address = $"user{i:00}@{(i % 2 == 0 ? "contoso" : "fabrikam")}.com", Department = i < 10 ? "Sales" : "IT", Role = i == 3 ? MailRole.Admin : MailRole.User }, None);
        await p.SetMailboxEnabledAsync("user04@contoso.com", false, None);
        Assert.Equal(25, (await All(p.ListMailboxes(new MailboxQuery { PageSize = 7 }))).Count);
        var sorted = (await All(p.ListMailboxes(new MailboxQuery { PageSize = 4 }))).Select(m => m.Address).ToList();
        Assert.Equal(sorted.OrderBy(a => a, StringComparer.Ordinal), sorted);
        Assert.Equal(13, (await All(p.ListMailboxes(new MailboxQuery { Domain = "contoso.com", PageSize = 5 }))).Count);
        Assert.Equal(10, (await All(p.ListMailboxes(new MailboxQuery { Department = "sales" }))).Count);
        Assert.Equal("user03@fabrikam.com", Assert.Single(await All(p.ListMailboxes(new MailboxQuery { Role = MailRole.Admin }))).Address);
        Assert.Equal("user04@contoso.com", Assert.Single(await All(p.ListMailboxes(new MailboxQuery { Enabled = false }))).Address);
        Assert.Equal(10, (await All(p.ListMailboxes(new MailboxQuery { Identity = "user1?@*" }))).Count);
        Assert.Equal(2, (await All(p.ListMailboxes(new MailboxQuery { Identity = "USER0[12]@*" }))).Count);
    }

    [Fact]
    public async Task A_list_reads_a_page_when_the_last_is_used_up_and_stops_when_cancelled()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        for (var i = 0; i < 10; i++) await p.CreateMailboxAsync(new MailboxCreateRequest { Address = $"user{i:00}@contoso.com" }, None);
        using var cts = new CancellationTokenSource();
        var e = p.ListMailboxes(new MailboxQuery { PageSize = 3 }).GetAsyncEnumerator(cts.Token);
        await using (e.ConfigureAwait(false))
        {
            Assert.True(await e.MoveNextAsync());
            Assert.Equal("user00@contoso.com", e.Current.Address);
            // nothing beyond the first page has been read yet: a mailbox added now, past it, is listed
            await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "zz@contoso.com" }, None);
            var seen = new List<string> { e.Current.Address };
            while (seen.Count < 11 && await e.MoveNextAsync()) seen.Add(e.Current.Address);
            Assert.Equal("zz@contoso.com", seen[^1]);
            Assert.False(await e.MoveNextAsync());
        }

        var c = p.ListMailboxes(new MailboxQuery { PageSize = 3 }).GetAsyncEnumerator(cts.Token);
        await using (c.ConfigureAwait(false))
        {
            Assert.True(await c.MoveNextAsync());
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await c.MoveNextAsync());
        }
    }

    [Fact]
    public async Task Groups_members_and_sender_policies()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "a@contoso.com", DisplayName = "A" }, None);
        var g = await p.CreateGroupAsync(new MailGroup { Address = "Sales@contoso.com", Members = new[] { "a@contoso.com", "partner@outside.org" }, WhoCanSend = MailGroupSenderPolicy.Members }, None);
        Assert.Equal(new[] { "a@contoso.com", "partner@outside.org" }, g.Members);
        var members = await p.GetMembersAsync("sales@contoso.com", None);
        Assert.True(members.Single(m => m.Address == "a@contoso.com").IsInternal);
        Assert.False(members.Single(m => m.Address == "partner@outside.org").IsInternal);
        var e = await Assert.ThrowsAsync<MailAdminException>(() => p.CreateMailboxAsync(new MailboxCreateRequest { Address = "sales@contoso.com" }, None));
        Assert.Contains("group", e.Message);
        await Assert.ThrowsAsync<MailAdminException>(() => p.UpdateGroupAsync("sales@contoso.com", new MailGroupUpdate { WhoCanSend = MailGroupSenderPolicy.Listed }, None));
        g = await p.UpdateGroupAsync("sales@contoso.com", new MailGroupUpdate { WhoCanSend = MailGroupSenderPolicy.Listed, AllowedSenders = new[] { "ceo@contoso.com" } }, None);
        Assert.Equal(MailGroupSenderPolicy.Listed, g.WhoCanSend);
        g = await p.AddMembersAsync("sales@contoso.com", new[] { "b@outside.org", "a@contoso.com" }, None);
        Assert.Equal(3, g.MemberCount);
        var notMember = await Assert.ThrowsAsync<MailAdminException>(() => p.RemoveMembersAsync("sales@contoso.com", new[] { "nobody@contoso.com" }, None));
        Assert.Equal("MailGroupMemberNotFound", notMember.ErrorId);
        await p.RemoveMailboxAsync("a@contoso.com", None);
        Assert.DoesNotContain("a@contoso.com", (await p.GetGroupAsync("sales@contoso.com", None)).Members);
        await p.RemoveGroupAsync("sales@contoso.com", None);
        Assert.Empty(await All(p.ListGroups(null)));
    }

    [Fact]
    public async Task Permissions_role_scope_and_settings()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "boss@contoso.com" }, None);
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "pa@contoso.com" }, None);
        await p.GrantAsync("boss@contoso.com", "pa@contoso.com", MailAccessRight.FullAccess, None);
        await p.GrantAsync("boss@contoso.com", "pa@contoso.com", MailAccessRight.SendAs, None);
        await p.GrantAsync("boss@contoso.com", "pa@contoso.com", MailAccessRight.SendAs, None); // idempotent
        var rows = await All(p.ListPermissions("boss@contoso.com", null));
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("pa@contoso.com", r.Trustee));
        var self = await Assert.ThrowsAsync<MailAdminException>(() => p.GrantAsync("boss@contoso.com", "boss@contoso.com", MailAccessRight.ReadOnly, None));
        Assert.Equal("TrusteeIsOwner", self.ErrorId);
        var outsider = await Assert.ThrowsAsync<MailAdminException>(() => p.GrantAsync("boss@contoso.com", "x@outside.org", MailAccessRight.ReadOnly, None));
        Assert.Equal("TrusteeNotFound", outsider.ErrorId);
        // A mailbox with no grants still shows its Role and SendScope when asked for by name.
        await p.SetRoleAsync("pa@contoso.com", MailRole.Admin, None);
        await p.SetSendScopeAsync("pa@contoso.com", MailSendScope.Internal, None);
        var pa = Assert.Single(await All(p.ListPermissions("pa@contoso.com", null)));
        Assert.Null(pa.Trustee);
        Assert.Equal(MailRole.Admin, pa.Role);
        Assert.Equal(MailSendScope.Internal, pa.SendScope);
        Assert.Equal(2, (await All(p.ListPermissions(null, "pa@contoso.com"))).Count);
        Assert.False((await p.GetSettingsAsync("pa@contoso.com", None)).ExternalSendEnabled);

        var s = await p.SetSettingsAsync("boss@contoso.com", new MailboxSettingsUpdate { PopEnabled = false, ArchiveEnabled = true, ExternalSendEnabled = false }, None);
        Assert.False(s.PopEnabled); Assert.True(s.ImapEnabled); Assert.True(s.ArchiveEnabled); Assert.False(s.ExternalSendEnabled);
        Assert.Equal(MailSendScope.Internal, Assert.IsType<MailPermission>((await All(p.ListPermissions("boss@contoso.com", null)))[0]).SendScope);

        await p.RevokeAsync("boss@contoso.com", "pa@contoso.com", MailAccessRight.SendAs, None);
        var again = await Assert.ThrowsAsync<MailAdminException>(() => p.RevokeAsync("boss@contoso.com", "pa@contoso.com", MailAccessRight.SendAs, None));
        Assert.Equal(MailErrorKind.ObjectNotFound, again.Kind);
    }

    [Fact]
    public async Task Views_answer_the_queries_postfix_and_dovecot_make()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "a@contoso.com", Password = Pw() }, None);
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "b@contoso.com", Password = Pw() }, None);
        await p.UpdateMailboxAsync("a@contoso.com", new MailboxUpdate { AddAliases = new[] { "alpha@contoso.com" } }, None);
        await p.CreateGroupAsync(new MailGroup { Address = "team@contoso.com", Members = new[] { "a@contoso.com", "b@contoso.com" } }, None);
        await p.GrantAsync("a@contoso.com", "b@contoso.com", MailAccessRight.SendAs, None);
        await p.SetMailboxEnabledAsync("b@contoso.com", false, None);
        string Q(string sql, string arg) => DirectoryScalar(p, sql, ("$a", arg)) as string;
        Assert.Equal("contoso.com", Q("SELECT domain FROM postfix_domains WHERE domain = $a", "contoso.com"));
        Assert.Equal("contoso.com/a/", Q("SELECT maildir FROM postfix_mailboxes WHERE address = $a", "a@contoso.com"));
        Assert.Null(Q("SELECT maildir FROM postfix_mailboxes WHERE address = $a", "b@contoso.com"));
        Assert.Equal("a@contoso.com", Q("SELECT destination FROM postfix_aliases WHERE address = $a", "alpha@contoso.com"));
        Assert.Equal("a@contoso.com,b@contoso.com", Q("SELECT destination FROM postfix_aliases WHERE address = $a", "team@contoso.com"));
        Assert.Equal("a@contoso.com", Q("SELECT logins FROM postfix_sender_logins WHERE address = $a", "alpha@contoso.com"));
        var logins = Q("SELECT logins FROM postfix_sender_logins WHERE address = $a", "a@contoso.com").Split(',').OrderBy(x => x);
        Assert.Equal(new[] { "a@contoso.com", "b@contoso.com" }, logins);
        Assert.Equal("a@contoso.com", Q("SELECT username FROM dovecot_users WHERE username = $a", "a@contoso.com"));
        Assert.Null(Q("SELECT username FROM dovecot_users WHERE username = $a", "b@contoso.com"));
    }

    [Fact]
    public async Task Send_scope_and_archive_views_give_postfix_a_restriction_class_and_a_copy_address()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        foreach (var a in new[] { "a@contoso.com", "b@contoso.com", "c@contoso.com" })
            await p.CreateMailboxAsync(new MailboxCreateRequest { Address = a, Password = Pw() }, None);
        await p.SetSendScopeAsync("a@contoso.com", MailSendScope.Internal, None);
        await p.SetSendScopeAsync("b@contoso.com", MailSendScope.None, None);
        await p.SetSettingsAsync("c@contoso.com", new MailboxSettingsUpdate { ArchiveEnabled = true }, None);
        await p.UpdateMailboxAsync("c@contoso.com", new MailboxUpdate { AddAliases = new[] { "cee@contoso.com" } }, None);
        string Q(string sql, string arg) => DirectoryScalar(p, sql, ("$a", arg)) as string;
        Assert.Equal("mailadmin_send_internal", Q("SELECT restriction FROM postfix_send_scope WHERE login = $a", "a@contoso.com"));
        Assert.Equal("mailadmin_send_none", Q("SELECT restriction FROM postfix_send_scope WHERE login = $a", "b@contoso.com"));
        Assert.Null(Q("SELECT restriction FROM postfix_send_scope WHERE login = $a", "c@contoso.com"));
        Assert.Equal("c+Archive@contoso.com", Q("SELECT archive FROM postfix_archive WHERE address = $a", "c@contoso.com"));
        Assert.Equal("c+Archive@contoso.com", Q("SELECT archive FROM postfix_archive WHERE address = $a", "cee@contoso.com"));
        Assert.Null(Q("SELECT archive FROM postfix_archive WHERE address = $a", "a@contoso.com"));
    }

    [Fact]
    public async Task Removing_a_domain_needs_force_when_not_empty()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        await p.AddDomainAsync("fabrikam.com", null, None);
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "a@contoso.com" }, None);
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "f@fabrikam.com" }, None);
        await p.CreateGroupAsync(new MailGroup { Address = "g@fabrikam.com", Members = new[] { "a@contoso.com", "f@fabrikam.com" } }, None);
        await p.GrantAsync("f@fabrikam.com", "a@contoso.com", MailAccessRight.ReadOnly, None);
        var e = await Assert.ThrowsAsync<MailAdminException>(() => p.RemoveDomainAsync("contoso.com", false, None));
        Assert.Equal("MailDomainNotEmpty", e.ErrorId);
        await p.RemoveDomainAsync("contoso.com", true, None);
        Assert.Equal(new[] { "f@fabrikam.com" }, (await p.GetGroupAsync("g@fabrikam.com", None)).Members);
        Assert.Empty(await All(p.ListPermissions(null, null)));
        Assert.True((await p.GetDomainAsync("fabrikam.com", None)).IsPrimary);
        await Assert.ThrowsAsync<MailAdminException>(() => p.GetDomainAsync("contoso.com", None));
    }

    [Fact]
    public async Task Concurrent_writers_lose_nothing()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        // Two providers on one file, as two processes would be, creating interleaved addresses with overlap.
        var q = Reopen(p);
        var created = 0; var exists = 0;
        async Task Run(LocalMailProvider prov, int start)
        {
            for (var i = start; i < start + 150; i++)
            {
                try { await Task.Run(() => prov.CreateMailboxAsync(new MailboxCreateRequest { Address = $"u{i}@contoso.com" }, None)); Interlocked.Increment(ref created); }
                catch (MailAdminException e) when (e.Kind == MailErrorKind.ResourceExists) { Interlocked.Increment(ref exists); }
            }
        }
        await Task.WhenAll(Run(p, 0), Run(q, 100), Run(p, 50));
        Assert.Equal(250, (await All(p.ListMailboxes(null))).Count);
        Assert.Equal(250, created);
        Assert.Equal(200, exists);
    }

    [Fact]
    public async Task Addresses_with_the_recipient_delimiter_are_refused_with_the_rule()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        var e = await Assert.ThrowsAsync<MailAdminException>(() => p.CreateMailboxAsync(new MailboxCreateRequest { Address = "sales+eu@contoso.com", Password = Pw() }, None));
        Assert.Equal("RecipientDelimiterInAddress", e.ErrorId);
        Assert.Contains("'sales+eu@contoso.com'", e.Message);
        Assert.Contains("recipient delimiter", e.Message);
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "sales@contoso.com", Password = Pw() }, None);
        var alias = await Assert.ThrowsAsync<MailAdminException>(() => p.UpdateMailboxAsync("sales@contoso.com", new MailboxUpdate { AddAliases = new[] { "eu+sales@contoso.com" } }, None));
        Assert.Equal("RecipientDelimiterInAddress", alias.ErrorId);
        var group = await Assert.ThrowsAsync<MailAdminException>(() => p.CreateGroupAsync(new MailGroup { Address = "team+x@contoso.com" }, None));
        Assert.Equal("RecipientDelimiterInAddress", group.ErrorId);
        // '/' would nest one mailbox's home inside another's on the mail host (a/b@ inside a@), and removal would take both
        var slash = await Assert.ThrowsAsync<MailAdminException>(() => p.CreateMailboxAsync(new MailboxCreateRequest { Address = "sales/eu@contoso.com", Password = Pw() }, None));
        Assert.Equal("SlashInAddress", slash.ErrorId);
        Assert.Contains("'sales/eu@contoso.com'", slash.Message);
    }

    [Fact]
    public async Task A_removed_mailbox_takes_its_rules_auto_reply_app_passwords_and_grants_so_a_new_one_at_the_address_starts_empty()
    {
        // (the store side of the new-hire case; Pester's ServerLifecycle.Tests proves the mail-server side)
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        foreach (var a in new[] { "boss@contoso.com", "leaver@contoso.com" })
            await p.CreateMailboxAsync(new MailboxCreateRequest { Address = a, Password = Pw() }, None);
        await p.AddRuleAsync(new MailRule { Mailbox = "leaver@contoso.com", Name = "fwd", ForwardTo = new[] { "boss@contoso.com" } }, None);
        await p.SetAutoReplyAsync("leaver@contoso.com", new MailAutoReplyUpdate { Enabled = true, Subject = "away", Body = "away" }, None);
        await p.CreateAppPasswordAsync("leaver@contoso.com", "phone", None);
        await p.GrantAsync("boss@contoso.com", "leaver@contoso.com", MailAccessRight.ReadOnly, None);
        await p.GrantAsync("leaver@contoso.com", "boss@contoso.com", MailAccessRight.FullAccess, None);
        await p.RemoveMailboxAsync("leaver@contoso.com", None);
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "leaver@contoso.com", Password = Pw() }, None);
        Assert.Empty(await p.GetRulesAsync("leaver@contoso.com", None));
        Assert.Empty(await p.GetAppPasswordsAsync("leaver@contoso.com", None));
        Assert.False((await p.GetAutoReplyAsync("leaver@contoso.com", None)).Enabled);
        Assert.Empty(await All(p.ListPermissions("boss@contoso.com", "leaver@contoso.com")));
        Assert.DoesNotContain(await All(p.ListPermissions("leaver@contoso.com", null)), x => x.Trustee == "boss@contoso.com");
    }

    [Fact]
    public async Task A_domain_removed_with_force_can_be_added_again()
    {
        var p = NewStore();
        await p.AddDomainAsync("gone.example", null, None);
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "a@gone.example", Password = Pw() }, None);
        await p.RemoveDomainAsync("gone.example", true, None);
        var again = await p.AddDomainAsync("gone.example", null, None);
        Assert.Equal("gone.example", again.Name);
        Assert.Equal(0, again.MailboxCount);
    }

    [Fact]
    public async Task A_shared_mailbox_has_no_password_is_denied_every_login_and_still_receives()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        var m = await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "support@contoso.com", DisplayName = "Support", Type = MailboxType.Shared },
            None);
        Assert.Equal(MailboxType.Shared, m.Type);
        Assert.True(m.IsShared);
        Assert.False(m.HasPassword);
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "li@contoso.com", Password = Pw() }, None);
        // Dovecot: every service refused for it (the deny passdb), yet its userdb row is there so LMTP delivers to it
        Assert.Contains(("support@contoso.com", "*"), Denied(p));
        Assert.DoesNotContain(Denied(p), d => d.user == "li@contoso.com");
        Assert.True(InUserdb(p, "support@contoso.com"));
        // nobody signs in to it: no password, no app password, not even at creation
        var e = await Assert.ThrowsAsync<MailAdminException>(() => p.SetPasswordAsync("support@contoso.com", Pw(), false, None));
        Assert.Equal("SharedMailboxNoSignIn", e.ErrorId);
        e = await Assert.ThrowsAsync<MailAdminException>(() => p.CreateAppPasswordAsync("support@contoso.com", "phone", None));
        Assert.Equal("SharedMailboxNoSignIn", e.ErrorId);
        e = await Assert.ThrowsAsync<MailAdminException>(() => p
            .CreateMailboxAsync(new MailboxCreateRequest { Address = "x@contoso.com", Password = Pw(), Type = MailboxType.Shared }, None));
        Assert.Equal("SharedMailboxPassword", e.ErrorId);
        // Get-Mailbox -Shared / -Type User
        Assert.Equal(new[] { "support@contoso.com" }, (await All(p.ListMailboxes(new MailboxQuery { Type = MailboxType.Shared }))).Select(x => x.Address));
        Assert.Equal(new[] { "li@contoso.com" }, (await All(p.ListMailboxes(new MailboxQuery { Type = MailboxType.User }))).Select(x => x.Address));
        // used through grants, as any mailbox
        await p.GrantAsync("support@contoso.com", "li@contoso.com", MailAccessRight.FullAccess, None);
        await p.GrantAsync("support@contoso.com", "li@contoso.com", MailAccessRight.SendAs, None);
        Assert.Equal(2, (await All(p.ListPermissions("support@contoso.com", null))).Count);
        // the security report does not flag it for having no password, as it does a person's mailbox without one
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "nopw@contoso.com" }, None);
        var findings = await MailAdmin.Reports.SecurityReportBuilder.BuildAsync(p, 90, DateTime.UtcNow, null, null, None);
        Assert.Contains(findings, f => f.Target == "nopw@contoso.com" && f.Detail.Contains("no password"));
        Assert.DoesNotContain(findings, f => f.Target == "support@contoso.com" && f.Detail.Contains("no password"));
    }

}

public class LocalProviderTests : LocalStoreContractTests, IClassFixture<StoreFixture>
{
    private readonly StoreFixture _f;
    public LocalProviderTests(StoreFixture f) => _f = f;

    protected override LocalMailProvider NewStore(string name = null) => _f.NewStore(name);

    protected override LocalMailProvider Reopen(LocalMailProvider p) => new LocalMailProvider(p.StorePath);

    protected override List<object[]> DirectoryRows(LocalMailProvider p, string sql, params (string, object)[] args)
    {
        // read-only and without the secrets file, as Postfix opens it
        using var c = new SqliteConnection($"Data Source={p.StorePath};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        using var r = cmd.ExecuteReader();
        var rows = new List<object[]>();
        while (r.Read()) { var row = new object[r.FieldCount]; r.GetValues(row); rows.Add(row); }
        return rows;
    }

    protected override object SecretScalar(LocalMailProvider p, string sql)
    {
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Secrets(p)));
        using var c = new SqliteConnection($"Data Source={Secrets(p)};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    protected override void AssertDirectoryHoldsNoSecret(LocalMailProvider p)
    {
        Assert.Equal(0L, (long)DirectoryScalar(p, "SELECT count(*) FROM pragma_table_info('mailbox') WHERE name = 'password'"));
        Assert.Equal(0L, (long)DirectoryScalar(p, "SELECT count(*) FROM sqlite_master WHERE name = 'app_password'"));
    }

    private static string Secrets(LocalMailProvider p)
        => Path.Combine(Path.GetDirectoryName(p.StorePath), Path.GetFileNameWithoutExtension(p.StorePath) + ".secrets.db");

    [Fact]
    public void New_store_has_the_latest_schema_and_no_wal()
    {
        var p = NewStore();
        Assert.Equal(12, p.SchemaVersion);
        using var c = new SqliteConnection($"Data Source={p.StorePath}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("delete", (string)cmd.ExecuteScalar());
    }

    [Fact]
    public void Reopening_a_store_keeps_data_and_a_newer_schema_is_refused()
    {
        var p = NewStore("reopen");
        p.AddDomainAsync("contoso.com", null, None).GetAwaiter().GetResult();
        var again = new LocalMailProvider(p.StorePath);
        Assert.Equal("contoso.com", again.GetDomainAsync("contoso.com", None).GetAwaiter().GetResult().Name);
        using (var c = new SqliteConnection($"Data Source={p.StorePath};Pooling=False")) { c.Open(); using var cmd = c.CreateCommand(); cmd.CommandText = "PRAGMA user_version = 99"; cmd.ExecuteNonQuery(); }
        SqliteConnection.ClearAllPools();
        var e = Assert.Throws<MailAdminException>(() => new LocalMailProvider(p.StorePath));
        Assert.Equal("LocalStoreTooNew", e.ErrorId);
    }

    [Fact]
    public void Migrating_a_schema_6_store_moves_hashes_and_private_keys_out_and_leaves_no_copy_in_the_directory_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mailadmin-migrate-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "old.db");
        var hash = PasswordHasher.Hash(Pw(), 4);
        const string pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAoldkeymarker0123456789\n-----END RSA PRIVATE KEY-----\n";
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            void X(string sql) { using var cmd = c.CreateCommand(); cmd.CommandText = sql; cmd.ExecuteNonQuery(); }
            for (var v = 0; v < 6; v++) foreach (var sql in Schema.Migrations[v]) X(sql);
            X("PRAGMA user_version = 6");
            X("INSERT INTO domain(domain, mail_host, is_primary, created_at) VALUES('old.example', 'mail.old.example', 1, '2026-01-01T00:00:00Z')");
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = @"INSERT INTO mailbox(username, id, local_part, domain, password, password_set_at, created_at)
                    VALUES('a@old.example', 'id-a', 'a', 'old.example', $h, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')";
                cmd.Parameters.AddWithValue("$h", hash);
                cmd.ExecuteNonQuery();
                cmd.CommandText = "INSERT INTO dkim_key(domain, selector, private_key, public_key, created_at) VALUES('old.example', 'ma202601', $k, 'AAAA', '2026-01-01T00:00:00Z')";
                cmd.Parameters.AddWithValue("$k", pem);
                cmd.ExecuteNonQuery();
            }
        }
        SqliteConnection.ClearAllPools();
        var p = new LocalMailProvider(path);
        Assert.Equal(Schema.LatestVersion, p.SchemaVersion);
        Assert.True(p.VerifyPassword("a@old.example", "Str0ng-Passw0rd"));
        Assert.Equal(MailboxType.User, p.GetMailboxAsync("a@old.example", None).GetAwaiter().GetResult().Type);
        Assert.Equal(pem, p.GetDkimPrivateKey("old.example").privateKeyPem);
        SqliteConnection.ClearAllPools();
        var bytes = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path));
        Assert.DoesNotContain(hash.Substring(hash.IndexOf('$')), bytes);
        Assert.DoesNotContain("oldkeymarker", bytes);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void A_store_whose_secrets_file_is_missing_is_refused_instead_of_getting_an_empty_one()
    {
        var p = NewStore("nosecrets");
        var secrets = Path.Combine(Path.GetDirectoryName(p.StorePath), Path.GetFileNameWithoutExtension(p.StorePath) + ".secrets.db");
        SqliteConnection.ClearAllPools();
        File.Delete(secrets);
        var e = Assert.Throws<MailAdminException>(() => new LocalMailProvider(p.StorePath));
        Assert.Equal("LocalSecretsMissing", e.ErrorId);
        Assert.Contains(secrets, e.Message);
        Assert.False(File.Exists(secrets));
    }

    [Fact]
    public async Task Converting_a_mailbox_to_shared_deletes_its_password_and_app_passwords_without_a_copy_and_back_it_has_none()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "info@contoso.com", Password = Pw() }, None);
        await p.CreateAppPasswordAsync("info@contoso.com", "phone", None);
        SqliteConnection.ClearAllPools();
        string hash, appHash;
        using (var c = new SqliteConnection($"Data Source={Secrets(p)};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT password FROM mailbox_secret WHERE username = 'info@contoso.com'";
            hash = (string)cmd.ExecuteScalar();
            cmd.CommandText = "SELECT hash FROM app_password WHERE mailbox = 'info@contoso.com'";
            appHash = (string)cmd.ExecuteScalar();
        }
        Assert.Contains(hash.Substring(hash.IndexOf('$')), System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(Secrets(p))));
        var m = await p.UpdateMailboxAsync("info@contoso.com", new MailboxUpdate { Type = MailboxType.Shared }, None);
        Assert.Equal(MailboxType.Shared, m.Type);
        Assert.False(m.HasPassword);
        Assert.Null(m.PasswordLastSet);
        Assert.Empty(await p.GetAppPasswordsAsync("info@contoso.com", None));
        Assert.False(p.VerifyPassword("info@contoso.com", "Str0ng-Passw0rd"));
        Assert.Contains(("info@contoso.com", "*"), Denied(p));
        SqliteConnection.ClearAllPools();
        // secure_delete: the freed pages of the secrets file hold no copy of either hash
        var bytes = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(Secrets(p)));
        Assert.DoesNotContain(hash.Substring(hash.IndexOf('$')), bytes);
        Assert.DoesNotContain(appHash.Substring("{SSHA256}".Length), bytes);
        // and back: a person's mailbox again, with no password until one is set
        m = await p.UpdateMailboxAsync("info@contoso.com", new MailboxUpdate { Type = MailboxType.User }, None);
        Assert.Equal(MailboxType.User, m.Type);
        Assert.False(m.HasPassword);
        Assert.DoesNotContain(Denied(p), d => d.user == "info@contoso.com");
        Assert.False(InUserdb(p, "info@contoso.com"));
        await p.SetPasswordAsync("info@contoso.com", Pw("An0ther-Passw0rd"), false, None);
        Assert.True(p.VerifyPassword("info@contoso.com", "An0ther-Passw0rd"));
        Assert.True(InUserdb(p, "info@contoso.com"));
    }
}
