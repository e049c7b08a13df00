using System.Net;
using MailAdmin.Transport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MailAdmin.Transport.Tests;

/// <summary>Issue 12, items 1 and 4: the scheduled-mail queue sends each message exactly once.</summary>
public sealed class ScheduledMailTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ma-queue-" + Guid.NewGuid().ToString("n"))).FullName;
    private readonly List<SqliteConnection> _locks = new();

    public void Dispose()
    {
        foreach (var l in _locks) l.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private ScheduledMailQueue Queue(string name = "q.db") => new(Path.Combine(_dir, name), busyTimeoutSeconds: 1) { ClaimLease = TimeSpan.FromSeconds(1) };

    private static ScheduledMail Enqueue(ScheduledMailQueue q, LoopbackSmtpServer srv, int i, string server = "127.0.0.1")
        => q.Enqueue(new OutgoingMail { From = "a@contoso.test", To = new[] { "b@contoso.test" }, Bcc = new[] { "secret@contoso.test" }, Subject = "m" + i, TextBody = "x" },
            DateTime.UtcNow.AddMinutes(-1), new SmtpSubmission { Server = server, Port = srv.Port });

    private static SmtpSubmission Run(LoopbackSmtpServer srv, int timeoutSec = 10)
        => new() { Server = "127.0.0.1", Port = srv.Port, NoTls = true, Timeout = TimeSpan.FromSeconds(timeoutSec) };

    [Fact]
    public async Task Overlapping_runs_with_a_stalled_server_send_each_message_once()
    {
        using var srv = new LoopbackSmtpServer { OnDot = n => n == 1 ? AfterDot.Stall : AfterDot.Accept, StallFor = TimeSpan.FromSeconds(4) };
        var q = Queue();
        for (var i = 0; i < 3; i++) Enqueue(q, srv, i);
        var a = Task.Run(() => q.RunAsync(null, Run(srv), 50, null, default));
        await Task.Delay(2000); // A is stalled on its first message, past its lease
        var b = await Queue().RunAsync(null, Run(srv), 50, null, default);
        await a;
        Assert.Equal(3, srv.Taken.Count);
        Assert.Equal(3, srv.Taken.Distinct().Count());
        Assert.Equal(0, q.List(null, "Pending").Count);
    }

    [Fact]
    public async Task A_failed_write_after_the_server_took_the_message_never_sends_it_again()
    {
        var path = Path.Combine(_dir, "locked.db");
        using var srv = new LoopbackSmtpServer();
        srv.OnDot = n =>
        {
            if (n == 1)
            {
                // another process holds the queue file: recording "sent" fails
                var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
                c.Open();
                using (var cmd = c.CreateCommand()) { cmd.CommandText = "BEGIN EXCLUSIVE"; cmd.ExecuteNonQuery(); }
                _locks.Add(c);
            }
            return AfterDot.Accept;
        };
        var q = Queue("locked.db");
        var m = Enqueue(q, srv, 1);
        try { await q.RunAsync(null, Run(srv), 50, null, default); } catch (Exception) { /* the store could not be written */ }
        foreach (var l in _locks) l.Dispose();
        await Task.Delay(1500); // past the lease
        await Queue("locked.db").RunAsync(null, Run(srv), 50, null, default);
        Assert.Single(srv.Taken);
        Assert.Equal("InDoubt", q.Get(m.Id).Status);
    }

    [Fact]
    public async Task A_run_killed_during_the_send_leaves_the_message_in_doubt_until_resent_deliberately()
    {
        using var cts = new CancellationTokenSource();
        // the run is stopped (as a kill would) once the server has the whole message and is slow to answer
        using var srv = new LoopbackSmtpServer { OnDot = n => { if (n == 1) { cts.CancelAfter(300); return AfterDot.Stall; } return AfterDot.Accept; }, StallFor = TimeSpan.FromSeconds(20) };
        var q = Queue();
        var m = Enqueue(q, srv, 1);
        await Assert.ThrowsAnyAsync<Exception>(() => q.RunAsync(null, Run(srv, 30), 50, null, cts.Token));
        await Task.Delay(1500);
        await Queue().RunAsync(null, Run(srv), 50, null, default);
        Assert.Single(srv.Taken);
        var doubt = q.Get(m.Id);
        Assert.Equal("InDoubt", doubt.Status);
        Assert.Contains(q.List(null, "InDoubt"), x => x.Id == m.Id);
        // the admin checked and wants it sent again: the same Message-ID goes out once more
        Assert.True(q.ResendInDoubt(m.Id));
        var run = await Queue().RunAsync(null, Run(srv), 50, null, default);
        Assert.Equal(1, run.Sent);
        Assert.Equal(2, srv.Taken.Count);
        Assert.All(srv.Taken, id => Assert.Equal("<" + m.MessageId + ">", id));
        Assert.Equal("Sent", q.Get(m.Id).Status);
    }

    [Fact]
    public async Task A_row_for_another_server_is_refused()
    {
        using var srv = new LoopbackSmtpServer();
        var q = Queue();
        var m = Enqueue(q, srv, 1, server: "localhost");
        var run = await q.RunAsync(new NetworkCredential("a@contoso.test", "pw"), Run(srv), 50, null, default);
        Assert.Empty(srv.Taken);
        Assert.Empty(srv.AuthCommands);
        Assert.Equal(1, run.OtherServer);
        Assert.Equal("Pending", q.Get(m.Id).Status);
    }

    [Fact]
    public void The_queue_file_is_readable_by_its_owner_only()
    {
        var q = Queue("mode.db");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(q.Path));
    }
}
