using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace MailAdmin.Transport
{
    /// <summary>
    /// A durable queue of messages to send later, in a SQLite file (rollback journal; one writer at a time; created readable by its
    /// owner only, as it holds whole messages with their Bcc lists). Each row holds the MIME message (with its Message-ID, the same
    /// for every attempt) and where to submit it, never a password: the credential comes with Invoke-ScheduledMail, and goes only
    /// to the server that run was told to use. Exactly once under overlapping runs, stalls, kills and failed writes:
    /// a run claims one message at a time (Claimed, with a lease), and right before the send checks that the claim is still its
    /// own and marks it Sending. A Claimed row whose lease ran out goes back to Pending (nothing was sent); a Sending row whose
    /// lease ran out, or whose send failed after the message was handed over, becomes InDoubt: never retried automatically,
    /// only by <see cref="ResendInDoubt"/> after the admin has checked.
    /// </summary>
    public sealed class ScheduledMailQueue
    {
        public const int MaxAttempts = 8;
        /// <summary>How long a run owns a message it claimed or is sending; much longer than one SMTP exchange.</summary>
        public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(15);
        private readonly string _cs;

        public ScheduledMailQueue(string path, int busyTimeoutSeconds = 60)
        {
            Path = System.IO.Path.GetFullPath(path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path));
            CreateOwnerOnly(Path);
            _cs = new SqliteConnectionStringBuilder
            {
                DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate,
                DefaultTimeout = busyTimeoutSeconds, Pooling = false,
            }.ToString();
            using (var c = Open())
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = @"PRAGMA journal_mode=DELETE;
                    CREATE TABLE IF NOT EXISTS scheduled_mail (
                        id TEXT PRIMARY KEY, created_at TEXT NOT NULL, send_at TEXT NOT NULL, status TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL, last_error TEXT, sent_at TEXT, response TEXT,
                        claimed_by TEXT, claimed_at TEXT, server TEXT NOT NULL, port INTEGER NOT NULL, implicit_tls INTEGER NOT NULL,
                        user_name TEXT, sender TEXT NOT NULL, recipients TEXT NOT NULL, subject TEXT, mime BLOB NOT NULL);
                    CREATE INDEX IF NOT EXISTS scheduled_due ON scheduled_mail(status, next_attempt_at);";
                cmd.ExecuteNonQuery();
            }
            // queues written by earlier versions: the lease and the Message-ID columns
            using (var c = Open())
            {
                var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "PRAGMA table_info(scheduled_mail)";
                    using (var r = cmd.ExecuteReader())
                    {
                        while (r.Read())
                        {
                            columns.Add(r.GetString(1));
                        }
                    }
                }
                foreach (var (name, type) in new[] { ("lease_until", "TEXT"), ("message_id", "TEXT") })
                    if (!columns.Contains(name))
                    {
                        using (var cmd = c.CreateCommand())
                        {
                            cmd.CommandText = $"ALTER TABLE scheduled_mail ADD COLUMN {name} {type}";
                            cmd.ExecuteNonQuery();
                        }
                    }
            }
        }

        public string Path { get; }

        /// <summary>Creates the file 0600 before SQLite opens it (its journal takes the same mode); tightens an existing one.</summary>
        private static void CreateOwnerOnly(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return;
            }

            const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            if (!File.Exists(path))
            {
                try
                {
                    using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = ownerOnly }))
                    {
                    }
                }
                catch (IOException e) when (File.Exists(path))
                {
                    // another run created it between the check and the create: its mode is checked below like ours
                    System.Diagnostics.Trace.WriteLine($"{path}: created by another run ({e.Message})");
                }
            }
            if ((File.GetUnixFileMode(path) & ~ownerOnly) != 0)
            {
                File.SetUnixFileMode(path, ownerOnly);
            }
        }

        private SqliteConnection Open()
        {
            var c = new SqliteConnection(_cs);
            c.Open();
            return c;
        }
        private static string T(DateTime d) => d.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        private static DateTime P(string s) =>
            DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        private int Execute(string sql, params (string name, object value)[] args)
        {
            using (var c = Open())
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = sql;
                foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
                return cmd.ExecuteNonQuery();
            }
        }

        public ScheduledMail Enqueue(OutgoingMail mail, DateTime sendAt, SmtpSubmission submission)
        {
            var msg = MailSender.Build(mail);
            byte[] mime;
            using (var ms = new MemoryStream())
            {
                msg.WriteTo(ms);
                mime = ms.ToArray();
            }
            var id = Guid.NewGuid().ToString("N").Substring(0, 16);
            var recipients = mail.To.Concat(mail.Cc).Concat(mail.Bcc).ToArray();
            using (var c = Open())
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = @"INSERT INTO scheduled_mail(id, created_at, send_at, status, next_attempt_at, server, port, implicit_tls,
                    user_name, sender, recipients, subject, mime, message_id)
                    VALUES($id, $c, $s, 'Pending', $s, $srv, $port, $tls, $u, $from, $rcpt, $subj, $mime, $mid)";
                cmd.Parameters.AddWithValue("$id", id);
                cmd.Parameters.AddWithValue("$c", T(DateTime.UtcNow));
                cmd.Parameters.AddWithValue("$s", T(sendAt));
                cmd.Parameters.AddWithValue("$srv", submission.Server);
                cmd.Parameters.AddWithValue("$port", submission.Port);
                cmd.Parameters.AddWithValue("$tls", submission.ImplicitTls ? 1 : 0);
                cmd.Parameters.AddWithValue("$u", (object)submission.Credential?.UserName ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$from", mail.From);
                cmd.Parameters.AddWithValue("$rcpt", string.Join(",", recipients));
                cmd.Parameters.AddWithValue("$subj", (object)mail.Subject ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$mime", mime);
                cmd.Parameters.AddWithValue("$mid", msg.MessageId);
                cmd.ExecuteNonQuery();
            }
            return Get(id);
        }

        private static ScheduledMail Read(SqliteDataReader r) => new ScheduledMail
        {
            Id = r.GetString(0),
            CreatedAt = P(r.GetString(1)),
            SendAt = P(r.GetString(2)),
            Status = r.GetString(3),
            Attempts = r.GetInt32(4),
            NextAttemptAt = r.GetString(3) == "Pending" ? P(r.GetString(5)) : (DateTime?)null,
            LastError = r.IsDBNull(6) ? null : r.GetString(6),
            SentAt = r.IsDBNull(7) ? (DateTime?)null : P(r.GetString(7)),
            Server = $"{r.GetString(8)}:{r.GetInt32(9)}",
            UserName = r.IsDBNull(10) ? null : r.GetString(10),
            From = r.GetString(11),
            To = r.GetString(12).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries),
            Subject = r.IsDBNull(13) ? null : r.GetString(13),
            MessageId = r.IsDBNull(14) ? null : r.GetString(14),
        };

        private const string Columns = "id, created_at, send_at, status, attempts, next_attempt_at, last_error, sent_at, server, port, user_name, sender, "
            + "recipients, subject, message_id";

        public ScheduledMail Get(string id) => List(id, null).FirstOrDefault();

        public List<ScheduledMail> List(string id, string status)
        {
            var list = new List<ScheduledMail>();
            using (var c = Open())
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = $"SELECT {Columns} FROM scheduled_mail "
                    + "WHERE ($id IS NULL OR id = $id) AND ($st IS NULL OR status = $st) ORDER BY send_at, id";
                cmd.Parameters.AddWithValue("$id", (object)id ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$st", (object)status ?? DBNull.Value);
                using (var r = cmd.ExecuteReader())
                {
                    while (r.Read())
                    {
                        list.Add(Read(r));
                    }
                }
            }
            return list;
        }

        /// <summary>Removes a message that is not being sent right now; false when there is no such message.</summary>
        public bool Remove(string id) => Execute("DELETE FROM scheduled_mail WHERE id = $id AND status NOT IN ('Sending', 'Claimed')", ("$id", id)) > 0;

        /// <summary>Makes an InDoubt message due again (the admin checked that it did not arrive); false when it is not InDoubt.
        /// It goes out with the same Message-ID.</summary>
        public bool ResendInDoubt(string id)
            => Execute(@"UPDATE scheduled_mail SET status = 'Pending', next_attempt_at = $now, claimed_by = NULL, lease_until = NULL,
                         last_error = 'in doubt; sent again on request' WHERE id = $id AND status = 'InDoubt'", ("$id", id), ("$now", T(DateTime.UtcNow))) > 0;

        private sealed class Claimed
        {
            public string Id; public string Server; public int Port; public bool ImplicitTls; public string User; public byte[] Mime; public int Attempts;
        }

        private const string ForServer = "lower(server) = lower($srv) AND port = $port";

        /// <summary>Ends leases that ran out: a Claimed row goes back to Pending (nothing was sent), a Sending row becomes InDoubt
        /// (its run stalled or died during the send; the server may have the message).</summary>
        private void Expire()
        {
            var now = T(DateTime.UtcNow);
            Execute(@"UPDATE scheduled_mail SET status = 'Pending', claimed_by = NULL, lease_until = NULL
                WHERE status = 'Claimed' AND (lease_until IS NULL OR lease_until < $now);
                      UPDATE scheduled_mail SET status = 'InDoubt',
                          last_error = 'the run sending it stopped or stalled during the send; it may have been delivered'
                      WHERE status = 'Sending' AND (lease_until IS NULL OR lease_until < $now)", ("$now", now));
        }

        /// <summary>Claims the next due message for the run's server (one write transaction, so two runs never claim the same row).</summary>
        private Claimed ClaimOne(string runId, string server, int port)
        {
            using (var c = Open())
            using (var tx = c.BeginTransaction(System.Data.IsolationLevel.Serializable))
            {
                var now = DateTime.UtcNow;
                using (var cmd = c.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = $@"UPDATE scheduled_mail SET status = 'Claimed', claimed_by = $run, claimed_at = $now, lease_until = $lease
                        WHERE id = (SELECT id FROM scheduled_mail WHERE status = 'Pending' AND next_attempt_at <= $now AND {ForServer}
                            ORDER BY next_attempt_at, id LIMIT 1)";
                    cmd.Parameters.AddWithValue("$run", runId);
                    cmd.Parameters.AddWithValue("$now", T(now));
                    cmd.Parameters.AddWithValue("$lease", T(now + ClaimLease));
                    cmd.Parameters.AddWithValue("$srv", server);
                    cmd.Parameters.AddWithValue("$port", port);
                    if (cmd.ExecuteNonQuery() == 0)
                    {
                        tx.Commit();
                        return null;
                    }
                }
                Claimed m = null;
                using (var cmd = c.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = "SELECT id, server, port, implicit_tls, user_name, mime, attempts FROM scheduled_mail WHERE status = 'Claimed' AND "
                        + "claimed_by = $run";
                    cmd.Parameters.AddWithValue("$run", runId);
                    using (var r = cmd.ExecuteReader())
                        if (r.Read())
                        {
                            m = new Claimed
                            {
                                Id = r.GetString(0), Server = r.GetString(1), Port = r.GetInt32(2), ImplicitTls = r.GetInt32(3) == 1,
                                User = r.IsDBNull(4) ? null : r.GetString(4), Mime = (byte[])r[5], Attempts = r.GetInt32(6),
                            };
                        }
                }
                tx.Commit();
                return m;
            }
        }

        private int CountOtherServers(string server, int port)
        {
            using (var c = Open())
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = $"SELECT COUNT(*) FROM scheduled_mail WHERE status = 'Pending' AND next_attempt_at <= $now AND NOT ({ForServer})";
                cmd.Parameters.AddWithValue("$now", T(DateTime.UtcNow));
                cmd.Parameters.AddWithValue("$srv", server);
                cmd.Parameters.AddWithValue("$port", port);
                return Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
        }

        /// <summary>Right before the send: the claim is still this run's and its lease has not run out; the row becomes Sending.</summary>
        private bool Begin(string id, string runId)
        {
            var now = DateTime.UtcNow;
            return Execute(
                "UPDATE scheduled_mail SET status = 'Sending', lease_until = $lease WHERE id = $id AND claimed_by = $run AND status = 'Claimed' AND "
                    + "lease_until > $now",
                ("$id", id), ("$run", runId), ("$now", T(now)), ("$lease", T(now + ClaimLease))) == 1;
        }

        private void RecordSent(string id, string runId, string response)
            => Execute(@"UPDATE scheduled_mail SET status = 'Sent', sent_at = $now, response = $resp, attempts = attempts + 1,
                last_error = NULL, lease_until = NULL
                         WHERE id = $id AND claimed_by = $run AND status IN ('Sending', 'InDoubt')",
                ("$id", id), ("$run", runId), ("$now", T(DateTime.UtcNow)), ("$resp", response));

        private void RecordInDoubt(string id, string runId, string error)
            => Execute("UPDATE scheduled_mail SET status = 'InDoubt', attempts = attempts + 1, last_error = $err, lease_until = NULL WHERE id = $id AND "
                + "claimed_by = $run AND status = 'Sending'",
                ("$id", id), ("$run", runId), ("$err", error));

        /// <summary>A send that failed before the message was handed over: due again later (exponential backoff: 1, 2, 4 ... minutes),
        /// or Failed after <see cref="MaxAttempts"/>; <paramref name="count"/> false when nothing was tried (the claim is only given back).</summary>
        private void RecordRetry(string id, string runId, string error, int attempts, bool count = true)
        {
            var delay = count ? TimeSpan.FromMinutes(Math.Pow(2, Math.Min(attempts, 10))) : TimeSpan.Zero;
            Execute(@"UPDATE scheduled_mail SET status = $st, attempts = attempts + $n, last_error = COALESCE($err, last_error),
                next_attempt_at = $next, claimed_by = NULL, lease_until = NULL
                      WHERE id = $id AND claimed_by = $run AND status IN ('Claimed', 'Sending')",
                ("$id", id), ("$run", runId), ("$err", error), ("$n", count ? 1 : 0), ("$next", T(DateTime.UtcNow + delay)),
                ("$st", count && attempts + 1 >= MaxAttempts ? "Failed" : "Pending"));
        }

        /// <summary>Writes an outcome, trying again a few times while the file is busy; false when it could not be written.</summary>
        private static async Task<bool> TryRecord(Action write)
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    write();
                    return true;
                }
                catch (SqliteException) when (i < 2)
                {
                    await Task.Delay(200 * (i + 1)).ConfigureAwait(false);
                }
                catch (SqliteException)
                {
                    return false;
                }
            }
        }

        /// <summary>Sends what is due for the server in <paramref name="run"/> (Server and Port; rows queued for another server are
        /// refused and counted in OtherServer), over one SMTP connection per login; returns what happened.</summary>
        public async Task<ScheduledMailRun> RunAsync(
            System.Net.NetworkCredential credential, SmtpSubmission run, int batchSize, IProgress<int> progress, CancellationToken ct)
        {
            if (run == null || string.IsNullOrEmpty(run.Server))
            {
                throw new ArgumentException("The run must be told which server to send through.", nameof(run));
            }

            var result = new ScheduledMailRun();
            var started = DateTime.UtcNow;
            var runId = Guid.NewGuid().ToString("N");
            var senders = new Dictionary<string, MailSender>();
            result.OtherServer = CountOtherServers(run.Server, run.Port);
            try
            {
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    Expire();
                    var m = ClaimOne(runId, run.Server, run.Port);
                    if (m == null)
                    {
                        break;
                    }

                    result.Claimed++;
                    var key = $"{m.ImplicitTls}:{m.User}";
                    if (!senders.TryGetValue(key, out var sender))
                    {
                        var cred = m.User == null ? null : credential != null && string.Equals(credential.UserName, m.User, StringComparison.OrdinalIgnoreCase)
                            ? credential : null;
                        senders[key] = sender = new MailSender(new SmtpSubmission
                        {
                            Server = run.Server,
                            Port = run.Port,
                            ImplicitTls = m.ImplicitTls,
                            NoTls = run.NoTls,
                            AllowCredentialWithoutTls = run.AllowCredentialWithoutTls,
                            Credential = cred,
                            TrustedRoots = run.TrustedRoots,
                            SkipCertificateCheck = run.SkipCertificateCheck,
                            Timeout = run.Timeout,
                        });
                    }
                    string response;
                    try
                    {
                        if (m.User != null && (credential == null || !string.Equals(credential.UserName, m.User, StringComparison.OrdinalIgnoreCase)))
                        {
                            throw new InvalidOperationException($"it was queued to be sent as {m.User}: run Invoke-ScheduledMail with that -Credential");
                        }

                        MimeMessage msg;
                        using (var ms = new MemoryStream(m.Mime))
                        {
                            msg = MimeMessage.Load(ms);
                        }

                        await sender.ConnectAsync(ct).ConfigureAwait(false);
                        if (!Begin(m.Id, runId))
                        {
                            continue; // the lease ran out while connecting: another run has it now
                        }

                        response = await sender.SendRawAsync(msg, ct).ConfigureAwait(false);
                    }
                    catch (MailInDoubtException e)
                    {
                        // handed over, outcome unknown: never sent again on its own (if this write fails, the lease makes it InDoubt)
                        await TryRecord(() => RecordInDoubt(m.Id, runId, e.Message)).ConfigureAwait(false);
                        result.InDoubt++;
                        progress?.Report(result.Sent + result.Failed + result.WillRetry + result.InDoubt);
                        continue;
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        // stopped before the message was handed over: give the claim back
                        await TryRecord(() => RecordRetry(m.Id, runId, null, m.Attempts, count: false)).ConfigureAwait(false);
                        throw;
                    }
                    catch (Exception e)
                    {
                        // failed before the message was handed over: safe to try again later
                        if (!await TryRecord(() => RecordRetry(m.Id, runId, e.Message, m.Attempts)).ConfigureAwait(false))
                        {
                            throw new IOException($"The queue {Path} cannot be written; message {m.Id} was not sent and will be due again after its lease.");
                        }

                        if (m.Attempts + 1 >= MaxAttempts)
                        {
                            result.Failed++;
                        }
                        else
                        {
                            result.WillRetry++;
                        }

                        progress?.Report(result.Sent + result.Failed + result.WillRetry + result.InDoubt);
                        continue;
                    }
                    result.Sent++;
                    if (!await TryRecord(() => RecordSent(m.Id, runId, response)).ConfigureAwait(false))
                    {
                        throw new IOException(
                            $"Message {m.Id} was sent ({response}) but the queue {Path} cannot be written; it will show as InDoubt and is not sent again.");
                    }

                    progress?.Report(result.Sent + result.Failed + result.WillRetry + result.InDoubt);
                }
            }
            finally
            {
                foreach (var s in senders.Values)
                {
                    s.Dispose();
                }
            }
            result.Duration = DateTime.UtcNow - started;
            return result;
        }
    }
}
