using System.Data.Common;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MailAdmin.Providers.Local.Tests;

/// <summary>Copy-MailStore's copier: SQLite → PostgreSQL → SQLite keeps every row (secrets too), an interrupted copy goes on
/// without duplicates, and a destination that is not a partial copy of the same source is refused before anything is written.</summary>
public sealed class StoreCopyTests : IClassFixture<PostgresFixture>, IClassFixture<StoreFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;
    private readonly PostgresFixture _pg;
    private readonly StoreFixture _files;

    public StoreCopyTests(PostgresFixture pg, StoreFixture files)
    {
        _pg = pg;
        _files = files;
    }

    private ProviderOptions NewPostgres()
    {
        var o = new ProviderOptions();
        o["ConnectionString"] = _pg.NewDatabase();
        o["Password"] = _pg.Password;
        return o;
    }

    private ProviderOptions NewFile()
    {
        var o = new ProviderOptions();
        o["Path"] = Path.Combine(_files.Dir, Guid.NewGuid().ToString("n") + ".db");
        return o;
    }

    private static string PasswordOf(string address)
        => "Pw-" + address.Aggregate(17, (h, ch) => (h * 31 + ch) % 1000003).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A store with a row in every table; keys chosen so byte order and a locale's order disagree ('_' and '-', case).</summary>
    private static async Task<LocalMailProvider> Populate(LocalMailProvider p, int extraMailboxes = 0)
    {
        var policy = new MailSecurityPolicyUpdate { PasswordHashCost = 4, MinPasswordLength = 9, PasswordMaxAgeDays = 90, ForceSecureLogin = false };
        await p.SetSecurityPolicyAsync(null, policy, None);
        await p.AddDomainAsync("contoso.com", null, None);
        await p.AddDomainAsync("fabrikam.com", null, None);
        p.NewDkimKey("contoso.com", "s2026");
        foreach (var a in new[] { "a_b@contoso.com", "a-b@contoso.com", "ab@contoso.com", "boss@contoso.com", "x@fabrikam.com" })
        {
            await p.CreateMailboxAsync(new MailboxCreateRequest { Address = a, DisplayName = "员工 " + a, Password = new SecretText(PasswordOf(a)) }, None);
        }

        for (var i = 0; i < extraMailboxes; i++)
        {
            await p.CreateMailboxAsync(new MailboxCreateRequest { Address = $"user{i:000}@contoso.com", Department = i % 2 == 0 ? "Sales" : null }, None);
        }

        await p.UpdateMailboxAsync("ab@contoso.com", new MailboxUpdate { AddAliases = new[] { "alias@contoso.com" }, QuotaMB = 512 }, None);
        await p.CreateGroupAsync(new MailGroup { Address = "team@contoso.com", Members = new[] { "ab@contoso.com", "partner@outside.org" } }, None);
        await p.GrantAsync("boss@contoso.com", "ab@contoso.com", MailAccessRight.SendAs, None);
        await p.GrantAsync("boss@contoso.com", "a_b@contoso.com", MailAccessRight.FullAccess, None);
        await p.AddRuleAsync(new MailRule { Mailbox = "ab@contoso.com", Name = "fwd", ForwardTo = new[] { "boss@contoso.com" } }, None);
        await p.SetAutoReplyAsync("ab@contoso.com", new MailAutoReplyUpdate { Enabled = true, Subject = "away", Body = "back Monday" }, None);
        await p.SetSecurityPolicyAsync("boss@contoso.com", new MailSecurityPolicyUpdate { ForceSecureLogin = true }, None);
        await p.CreateAppPasswordAsync("boss@contoso.com", "phone", None);
        await p.CreateAppPasswordAsync("boss@contoso.com", "laptop", None);
        // a setting one mail host recorded (Export-MailServerConfig): not copied
        p.Database.Write((c, tx) => LocalDatabase.Exec(c, tx, "INSERT INTO settings(name, value) VALUES('mail_root', '/var/vmail')"));
        return p;
    }

    /// <summary>Every row of every copied table, in key order, as text: what two stores must agree on.</summary>
    private static Dictionary<string, List<string>> Dump(LocalMailProvider p)
        => p.Database.Read(c => LocalStoreCopier.Tables.ToDictionary(t => t.Name, t =>
        {
            var pg = c is Npgsql.NpgsqlConnection;
            var order = string.Join(", ", t.Keys.Select((k, i) => k + (pg && !t.IntegerKeys[i] ? " COLLATE \"C\"" : "")));
            return LocalDatabase.Query(c, null, $"SELECT * FROM {t.Name} WHERE {t.Filter} ORDER BY {order}", r => string.Join("|",
                Enumerable.Range(0, r.FieldCount).OrderBy(i => r.GetName(i), StringComparer.Ordinal)
                    .Select(i => r.GetName(i) + "=" + (r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), Invariant)))));
        }));

    private static long Rows(LocalMailProvider p, string table)
        => p.Database.Read(c => Convert.ToInt64(LocalDatabase.Scalar(c, null, $"SELECT count(*) FROM {table}")));

    [Fact]
    public async Task SQLite_to_PostgreSQL_and_back_keeps_every_row_and_a_password_still_verifies()
    {
        var source = await Populate(new LocalMailProvider((string)NewFile()["Path"]));
        var pgOptions = NewPostgres();
        var progress = new List<MailStoreCopyProgress>();
        var there = LocalStoreCopy.Copy(source, pgOptions, new SyncProgress(progress.Add), None).ToList();

        Assert.Equal(LocalStoreCopier.Tables.Select(t => t.Name), there.Select(r => r.Table));
        Assert.All(there, r => Assert.True(r.Verified, r.Table));
        Assert.All(there, r => Assert.Equal(r.SourceRows, r.CopiedRows));
        Assert.All(there, r => Assert.Equal(r.SourceRows, r.DestinationRows));
        // every table had something to copy, so each was really compared
        Assert.All(there.Where(r => r.Table != "main.mail_group" && r.Table != "main.group_sender" && r.Table != "main.sender_filter"
            && r.Table != "main.mailbox_sender_filter" && r.Table != "main.dkim_key_rotation"), r => Assert.True(r.SourceRows > 0, r.Table));
        Assert.Equal(1, there.Single(r => r.Table == "main.settings").SkippedRows);
        Assert.StartsWith("postgresql://", there[0].Destination);
        Assert.Contains(progress, x => x.Table == "main.mailbox" && x.RowsDone == x.RowsTotal && x.RowsTotal == 5);

        var pgStore = LocalMailProvider.Open(pgOptions);
        Assert.True(pgStore.VerifyPassword("a_b@contoso.com", PasswordOf("a_b@contoso.com")));
        Assert.False(pgStore.VerifyPassword("a_b@contoso.com", PasswordOf("a-b@contoso.com")));
        Assert.Equal(2, (await pgStore.GetAppPasswordsAsync("boss@contoso.com", None)).Count);
        Assert.Equal(source.GetDkimPrivateKey("contoso.com"), pgStore.GetDkimPrivateKey("contoso.com"));
        Assert.Null(pgStore.Database.Read(c => LocalDatabase.Scalar(c, null, "SELECT value FROM settings WHERE name = 'mail_root'")));

        var fileOptions = NewFile();
        var back = LocalStoreCopy.Copy(pgStore, fileOptions, null, None).ToList();
        Assert.All(back, r => Assert.True(r.Verified, r.Table));
        var final = new LocalMailProvider((string)fileOptions["Path"]);
        Assert.Equal(Dump(source), Dump(final));
        Assert.Equal(Dump(source), Dump(pgStore));
        Assert.True(final.VerifyPassword("x@fabrikam.com", PasswordOf("x@fabrikam.com")));
        Assert.Equal("alias@contoso.com", Assert.Single((await final.GetMailboxAsync("ab@contoso.com", None)).Aliases));
        Assert.Equal(0, Rows(final, "main.write_batch"));

        // the same copy again finds everything there: nothing copied, all verified
        var again = LocalStoreCopy.Copy(pgStore, fileOptions, null, None).ToList();
        Assert.All(again, r => Assert.True(r.Verified && r.CopiedRows == 0, r.Table));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_interrupted_copy_goes_on_where_it_stopped_without_duplicates(bool toPostgres)
    {
        var source = toPostgres
            ? await Populate(new LocalMailProvider((string)NewFile()["Path"]), 60)
            : await Populate(LocalMailProvider.Open(NewPostgres()), 60);
        var dest = toPostgres ? NewPostgres() : NewFile();
        using var stop = new CancellationTokenSource();
        var seen = new List<MailStoreCopyResult>();
        // stop in the middle of main.mailbox, after some batches of 7 committed
        var progress = new SyncProgress(x =>
        {
            if (x.Table == "main.mailbox" && x.RowsDone >= 21)
            {
                stop.Cancel();
            }
        });
        var destination = LocalMailProvider.Open(dest);
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var r in new LocalStoreCopier(source.Database, destination.Database, 7).Copy(progress, stop.Token))
            {
                seen.Add(r);
            }
        });
        Assert.Equal(new[] { "main.settings", "main.domain" }, seen.Select(r => r.Table));
        Assert.Equal(21, Rows(destination, "main.mailbox"));

        var rest = new LocalStoreCopier(source.Database, destination.Database, 7).Copy(null, None).ToList();
        Assert.All(rest, r => Assert.True(r.Verified, r.Table));
        var mailbox = rest.Single(r => r.Table == "main.mailbox");
        Assert.Equal(65, mailbox.SourceRows);
        Assert.Equal(65 - 21, mailbox.CopiedRows);
        Assert.Equal(65, Rows(destination, "main.mailbox"));
        Assert.Equal(0, rest.Single(r => r.Table == "main.domain").CopiedRows);
        Assert.Equal(Dump(source), Dump(destination));
        Assert.True(destination.VerifyPassword("boss@contoso.com", PasswordOf("boss@contoso.com")));
    }

    [Fact]
    public async Task A_destination_that_is_not_a_partial_copy_of_this_source_is_refused_before_anything_is_written()
    {
        var source = await Populate(new LocalMailProvider((string)NewFile()["Path"]));
        var pgOptions = NewPostgres();
        var other = LocalMailProvider.Open(pgOptions);
        await other.AddDomainAsync("contoso.com", null, None);
        await other.CreateMailboxAsync(new MailboxCreateRequest { Address = "someone@contoso.com" }, None);

        var e = Assert.Throws<MailAdminException>(() => LocalStoreCopy.Copy(source, pgOptions, null, None).ToList());
        Assert.Equal("StoreCopyDestinationNotEmpty", e.ErrorId);
        Assert.Contains("main.mailbox", e.Message);
        Assert.Contains("only into an empty store", e.Message);
        Assert.Equal(1, Rows(other, "main.mailbox"));
        Assert.Equal(0, Rows(other, "secret.mailbox_secret"));

        // a partial copy whose source changed inside the part already copied is refused too
        var fileOptions = NewFile();
        var partial = LocalMailProvider.Open(fileOptions);
        using (var stop = new CancellationTokenSource())
        {
            var progress = new SyncProgress(x =>
            {
                if (x.Table == "main.mailbox" && x.RowsDone >= 2)
                {
                    stop.Cancel();
                }
            });
            Assert.ThrowsAny<OperationCanceledException>(() => new LocalStoreCopier(source.Database, partial.Database, 2).Copy(progress, stop.Token).ToList());
        }

        await source.UpdateMailboxAsync("a-b@contoso.com", new MailboxUpdate { DisplayName = "changed" }, None);
        var changed = Assert.Throws<MailAdminException>(() => LocalStoreCopy.Copy(source, fileOptions, null, None).ToList());
        Assert.Equal("StoreCopyDestinationNotEmpty", changed.ErrorId);

        var itself = Assert.Throws<MailAdminException>(() => LocalStoreCopy.Copy(partial, fileOptions, null, None).ToList());
        Assert.Equal("StoreCopyToItself", itself.ErrorId);
    }

    [Fact]
    public void The_copier_knows_every_table_of_both_databases()
    {
        var known = LocalStoreCopier.Tables.Select(t => t.Name).Concat(LocalStoreCopier.NotCopied).ToHashSet();
        foreach (var p in new[] { new LocalMailProvider((string)NewFile()["Path"]), LocalMailProvider.Open(NewPostgres()) })
        {
            var tables = p.Database.Read(c => LocalStoreCopier.CatalogTables(c, null));
            Assert.Empty(tables.Where(t => !known.Contains(t)));
            Assert.Empty(LocalStoreCopier.Tables.Select(t => t.Name).Where(t => !tables.Contains(t)));
        }
    }

    private sealed class SyncProgress : IProgress<MailStoreCopyProgress>
    {
        private readonly Action<MailStoreCopyProgress> _report;

        public SyncProgress(Action<MailStoreCopyProgress> report) => _report = report;

        public void Report(MailStoreCopyProgress value) => _report(value);
    }
}
