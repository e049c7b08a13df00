using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using Npgsql;
using Xunit;

namespace MailAdmin.Providers.Local.Tests;

/// <summary>The Local store in a real PostgreSQL: every contract test of <see cref="LocalStoreContractTests"/>, and what only a
/// shared store has (several writers, a network between the module and the database).</summary>
public sealed class PostgresStoreTests : LocalStoreContractTests, IClassFixture<PostgresFixture>
{
    private readonly PostgresFixture _pg;
    private readonly Dictionary<LocalMailProvider, string> _databases = new();

    public PostgresStoreTests(PostgresFixture pg) => _pg = pg;

    protected override LocalMailProvider NewStore(string name = null)
    {
        var cs = _pg.NewDatabase();
        var p = LocalMailProvider.OpenPostgres(cs, _pg.Password);
        p.SetSecurityPolicyAsync(null, new MailSecurityPolicyUpdate { PasswordHashCost = 4 }, default).GetAwaiter().GetResult();
        _databases[p] = cs;
        return p;
    }

    protected override LocalMailProvider Reopen(LocalMailProvider p)
    {
        var q = LocalMailProvider.OpenPostgres(_databases[p], _pg.Password);
        _databases[q] = _databases[p];
        return q;
    }

    private List<object[]> Rows(LocalMailProvider p, string sql, params (string, object)[] args)
    {
        using var c = _pg.Connect(_databases[p]);
        using var cmd = new NpgsqlCommand(System.Text.RegularExpressions.Regex.Replace(sql, @"\$(\w+)", "@$1"), c);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue("@" + n.TrimStart('$'), v);
        using var r = cmd.ExecuteReader();
        var rows = new List<object[]>();
        while (r.Read()) { var row = new object[r.FieldCount]; r.GetValues(row); rows.Add(row); }
        return rows;
    }

    protected override List<object[]> DirectoryRows(LocalMailProvider p, string sql, params (string, object)[] args) => Rows(p, sql, args);

    protected override object SecretScalar(LocalMailProvider p, string sql)
        => Rows(p, sql.Replace("FROM mailbox_secret", "FROM secret.mailbox_secret").Replace("FROM app_password", "FROM secret.app_password"))
            .Select(r => r[0]).FirstOrDefault();

    protected override void AssertDirectoryHoldsNoSecret(LocalMailProvider p)
    {
        // the directory schema has no password column and no secret table; PUBLIC may not even look into 'secret'
        Assert.Empty(Rows(p, "SELECT 1 FROM information_schema.columns WHERE table_schema = 'main' AND column_name IN ('password', 'hash', 'private_key')"));
        Assert.Equal(new[] { "app_password", "dkim_private_key", "mail_host_key", "mailbox_secret" },
            Rows(p, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'secret' ORDER BY 1").Select(r => (string)r[0]));
        Assert.Equal(false, Rows(p, "SELECT has_schema_privilege('public', 'secret', 'USAGE')")[0][0]);
    }

    [Fact]
    public void A_new_store_has_the_latest_schema_and_shows_where_it_is_without_the_password()
    {
        var p = NewStore();
        Assert.Equal(Schema.LatestVersion, p.SchemaVersion);
        Assert.StartsWith("postgresql://mailadmin@127.0.0.1:", p.StorePath);
        Assert.DoesNotContain(_pg.Server.Password, p.StorePath);
        Assert.DoesNotContain(_pg.Server.Password, p.Target);
        // the SQLite functions the views use exist with SQLite's meaning
        Assert.Equal(true, Rows(p, "SELECT 'Ab.c' ~ main.glob_regex('A?.*')")[0][0]);
        Assert.Equal(false, Rows(p, "SELECT 'AbXc' ~ main.glob_regex('A?.*')")[0][0]);
        Assert.Equal(true, Rows(p, "SELECT 'a*b' ~ main.glob_regex('a[*]b')")[0][0]);
        Assert.Equal(false, Rows(p, "SELECT 'axb' ~ main.glob_regex('a[*]b')")[0][0]);
        Assert.Equal("x,z", Rows(p, "SELECT group_concat(v, ',') FROM (VALUES ('x'), (NULL), ('z')) AS t(v)")[0][0]);
    }

    [Fact]
    public async Task Reopening_keeps_data_and_a_newer_schema_is_refused()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        Assert.Equal("contoso.com", (await Reopen(p).GetDomainAsync("contoso.com", None)).Name);
        Rows(p, "UPDATE main.schema_version SET version = 99 RETURNING version");
        var e = Assert.Throws<MailAdminException>(() => Reopen(p));
        Assert.Equal("LocalStoreTooNew", e.ErrorId);
    }

    [Fact]
    public void A_bad_connection_string_or_password_is_a_clear_error_that_never_shows_the_password()
    {
        var e = Assert.Throws<MailAdminException>(() => LocalMailProvider.OpenPostgres("Host=127.0.0.1;Nonsense=1;Password=s3cret-value", null));
        Assert.Equal("InvalidConnectionString", e.ErrorId);
        Assert.DoesNotContain("s3cret-value", e.Message);
        var cs = _pg.NewDatabase();
        e = Assert.Throws<MailAdminException>(() => LocalMailProvider.OpenPostgres(cs, new SecretText("wrong-Passw0rd-xyz")));
        Assert.Equal("LocalStoreUnavailable", e.ErrorId);
        Assert.Equal(MailErrorKind.ConnectionError, e.Kind);
        Assert.DoesNotContain("wrong-Passw0rd-xyz", e.Message);
    }

    [Fact]
    public async Task Two_admins_taking_one_address_as_a_mailbox_and_as_an_alias_at_once_leave_exactly_one_owner()
    {
        var p = NewStore();
        await p.AddDomainAsync("contoso.com", null, None);
        for (var i = 0; i < 40; i++) await p.CreateMailboxAsync(new MailboxCreateRequest { Address = $"owner{i}@contoso.com" }, None);
        var q = Reopen(p);
        var outcomes = new List<string>();
        // each address is wanted twice at the same moment: as a new mailbox (admin 1) and as an alias of owner{i} (admin 2)
        await Task.WhenAll(Enumerable.Range(0, 40).SelectMany(i => new[]
        {
            Attempt(() => p.CreateMailboxAsync(new MailboxCreateRequest { Address = $"x{i}@contoso.com" }, None), "mailbox"),
            Attempt(() => q.UpdateMailboxAsync($"owner{i}@contoso.com", new MailboxUpdate { AddAliases = new[] { $"x{i}@contoso.com" } }, None), "alias"),
        }));
        async Task Attempt(Func<Task<Mailbox>> act, string what)
        {
            try { await Task.Run(act); lock (outcomes) outcomes.Add(what); }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ResourceExists) { lock (outcomes) outcomes.Add("refused"); }
        }

        Assert.Equal(40, outcomes.Count(o => o == "refused"));
        var mailboxes = Rows(p, "SELECT count(*) FROM mailbox WHERE username LIKE 'x%'")[0][0];
        var aliases = Rows(p, "SELECT count(*) FROM mailbox_alias WHERE address LIKE 'x%'")[0][0];
        Assert.Equal(40L, (long)mailboxes + (long)aliases);
        Assert.Empty(Rows(p, "SELECT a.address FROM mailbox_alias a JOIN mailbox m ON m.username = a.address"));
    }

    [Fact]
    public async Task A_connection_lost_after_commit_reports_the_change_done_once_and_a_lost_database_fails_each_row_once()
    {
        var cs = _pg.NewDatabase();
        LocalMailProvider.OpenPostgres(cs, _pg.Password).SetSecurityPolicyAsync(null, new MailSecurityPolicyUpdate { PasswordHashCost = 4 }, None)
            .GetAwaiter().GetResult();
        using var proxy = new FaultProxy(_pg.Server.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(cs) { Port = proxy.Port, Timeout = 5, Pooling = false }.ConnectionString;
        var p = LocalMailProvider.OpenPostgres(viaProxy, _pg.Password);
        _databases[p] = cs;
        await p.AddDomainAsync("contoso.com", null, None);

        // the server commits, the answer is lost: the marker row says it landed, so the create reports success, once
        proxy.DropAfterNextCommit();
        var m = await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "cut@contoso.com", Password = Pw() }, None);
        Assert.Equal(1, proxy.CommitsCut);
        Assert.Equal("cut@contoso.com", m.Address);
        Assert.Equal(1L, (long)Rows(p, "SELECT count(*) FROM mailbox WHERE username = 'cut@contoso.com'")[0][0]);

        // the database goes away in the middle of a bulk run: every row is reported once, created or failed, and none half
        var results = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var bulk = Enumerable.Range(0, 200).Select(async i =>
        {
            if (i == 100) proxy.Down();
            var address = $"u{i}@contoso.com";
            try
            {
                await Task.Run(() => p.CreateMailboxAsync(new MailboxCreateRequest { Address = address, Password = Pw() }, None));
                Assert.True(results.TryAdd(address, "created"));
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ConnectionError)
            {
                Assert.True(results.TryAdd(address, "failed"));
            }
        }).ToList();
        await Task.WhenAll(bulk);
        Assert.Equal(200, results.Count);
        Assert.Contains("failed", results.Values);
        proxy.Up();
        var created = results.Where(r => r.Value == "created").Select(r => r.Key).OrderBy(a => a).ToList();
        var stored = Rows(p, "SELECT username FROM mailbox WHERE username LIKE 'u%' ORDER BY username").Select(r => (string)r[0]).ToList();
        // what was reported created is there; what was reported failed is not there half-made (a mailbox without its secret)
        Assert.Subset(stored.ToHashSet(), created.ToHashSet());
        Assert.Empty(Rows(p, "SELECT m.username FROM mailbox m LEFT JOIN secret.mailbox_secret s ON s.username = m.username WHERE s.username IS NULL"));

        // the re-run finishes the job: the rest is created, nothing twice
        foreach (var r in results.Where(r => r.Value == "failed"))
        {
            try { await p.CreateMailboxAsync(new MailboxCreateRequest { Address = r.Key, Password = Pw() }, None); }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ResourceExists) { Assert.Contains(r.Key, stored); }
        }

        Assert.Equal(200L, (long)Rows(p, "SELECT count(DISTINCT username) FROM mailbox WHERE username LIKE 'u%'")[0][0]);
    }
}
