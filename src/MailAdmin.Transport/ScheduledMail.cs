using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace MailAdmin.Transport
{
    /// <summary>A message waiting in the local queue (Send-Mail -SendAt).</summary>
    public sealed class ScheduledMail
    {
        public string Id { get; set; }
        public string From { get; set; }
        public string[] To { get; set; }
        public string Subject { get; set; }
        public DateTime SendAt { get; set; }
        /// <summary>Pending, Sending, Sent or Failed.</summary>
        public string Status { get; set; }
        public int Attempts { get; set; }
        public string LastError { get; set; }
        public DateTime? NextAttemptAt { get; set; }
        public DateTime? SentAt { get; set; }
        public string Server { get; set; }
        public string UserName { get; set; }
        public DateTime CreatedAt { get; set; }
        public override string ToString() => Id;
    }

    /// <summary>What one Invoke-ScheduledMail run did.</summary>
    public sealed class ScheduledMailRun
    {
        public int Claimed { get; set; }
        public int Sent { get; set; }
        public int Failed { get; set; }
        public int WillRetry { get; set; }
        public TimeSpan Duration { get; set; }
    }

    /// <summary>
    /// A durable queue of messages to send later, in a SQLite file (rollback journal; one writer at a time). Each row holds the
    /// MIME message and where to submit it, never a password: the credential comes with Invoke-ScheduledMail. Several runs at once
    /// (cron every minute, overlapping) never send a message twice: a run claims due rows in one write transaction before sending.
    /// </summary>
    public sealed class ScheduledMailQueue
    {
        public const int MaxAttempts = 8;
        public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(15);
        private readonly string _cs;

        public ScheduledMailQueue(string path)
        {
            Path = System.IO.Path.GetFullPath(path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path));
            _cs = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, DefaultTimeout = 60, Pooling = false }.ToString();
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
        }

        public string Path { get; }

        private SqliteConnection Open() { var c = new SqliteConnection(_cs); c.Open(); return c; }
        private static string T(DateTime d) => d.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        private static DateTime P(string s) => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        public ScheduledMail Enqueue(OutgoingMail mail, DateTime sendAt, SmtpSubmission submission)
        {
            var msg = MailSender.Build(mail);
            byte[] mime;
            using (var ms = new MemoryStream()) { msg.WriteTo(ms); mime = ms.ToArray(); }
            var id = Guid.NewGuid().ToString("N").Substring(0, 16);
            var recipients = mail.To.Concat(mail.Cc).Concat(mail.Bcc).ToArray();
            using (var c = Open())
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = @"INSERT INTO scheduled_mail(id, created_at, send_at, status, next_attempt_at, server, port, implicit_tls, user_name, sender, recipients, subject, mime)
                    VALUES($id, $c, $s, 'Pending', $s, $srv, $port, $tls, $u, $from, $rcpt, $subj, $mime)";
                cmd.Parameters.AddWithValue("$id", id); cmd.Parameters.AddWithValue("$c", T(DateTime.UtcNow)); cmd.Parameters.AddWithValue("$s", T(sendAt));
                cmd.Parameters.AddWithValue("$srv", submission.Server); cmd.Parameters.AddWithValue("$port", submission.Port); cmd.Parameters.AddWithValue("$tls", submission.ImplicitTls ? 1 : 0);
                cmd.Parameters.AddWithValue("$u", (object)submission.Credential?.UserName ?? DBNull.Value); cmd.Parameters.AddWithValue("$from", mail.From);
                cmd.Parameters.AddWithValue("$rcpt", string.Join(",", recipients)); cmd.Parameters.AddWithValue("$subj", (object)mail.Subject ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$mime", mime);
                cmd.ExecuteNonQuery();
            }
            return Get(id);
        }

        private static ScheduledMail Read(SqliteDataReader r) => new ScheduledMail
        {
            Id = r.GetString(0), CreatedAt = P(r.GetString(1)), SendAt = P(r.GetString(2)), Status = r.GetString(3), Attempts = r.GetInt32(4),
            NextAttemptAt = r.GetString(3) == "Pending" ? P(r.GetString(5)) : (DateTime?)null, LastError = r.IsDBNull(6) ? null : r.GetString(6),
            SentAt = r.IsDBNull(7) ? (DateTime?)null : P(r.GetString(7)), Server = $"{r.GetString(8)}:{r.GetInt32(9)}", UserName = r.IsDBNull(10) ? null : r.GetString(10),
            From = r.GetString(11), To = r.GetString(12).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries), Subject = r.IsDBNull(13) ? null : r.GetString(13),
        };

        private const string Columns = "id, created_at, send_at, status, attempts, next_attempt_at, last_error, sent_at, server, port, user_name, sender, recipients, subject";

        public ScheduledMail Get(string id) => List(id, null).FirstOrDefault();

        public List<ScheduledMail> List(string id, string status)
        {
            var list = new List<ScheduledMail>();
            using (var c = Open())
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = $"SELECT {Columns} FROM scheduled_mail WHERE ($id IS NULL OR id = $id) AND ($st IS NULL OR status = $st) ORDER BY send_at, id";
                cmd.Parameters.AddWithValue("$id", (object)id ?? DBNull.Value); cmd.Parameters.AddWithValue("$st", (object)status ?? DBNull.Value);
                using (var r = cmd.ExecuteReader()) while (r.Read()) list.Add(Read(r));
            }
            return list;
        }

        /// <summary>Removes a message that is not being sent right now; false when there is no such message.</summary>
        public bool Remove(string id)
        {
            using (var c = Open())
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "DELETE FROM scheduled_mail WHERE id = $id AND status <> 'Sending'";
                cmd.Parameters.AddWithValue("$id", id);
                return cmd.ExecuteNonQuery() > 0;
            }
        }

        private sealed class Claimed { public string Id; public string Server; public int Port; public bool ImplicitTls; public string User; public string Sender; public string[] Recipients; public byte[] Mime; public int Attempts; }

        /// <summary>Claims up to <paramref name="max"/> due messages for this run, in one write transaction (so two runs never claim the same row).
        /// Rows a crashed run left in Sending longer than the lease become due again.</summary>
        private List<Claimed> Claim(string runId, int max)
        {
            var list = new List<Claimed>();
            using (var c = Open())
            using (var tx = c.BeginTransaction(System.Data.IsolationLevel.Serializable))
            {
                var now = T(DateTime.UtcNow);
                using (var cmd = c.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = @"UPDATE scheduled_mail SET status = 'Pending' WHERE status = 'Sending' AND claimed_at < $stale;
                        UPDATE scheduled_mail SET status = 'Sending', claimed_by = $run, claimed_at = $now
                        WHERE id IN (SELECT id FROM scheduled_mail WHERE status = 'Pending' AND next_attempt_at <= $now ORDER BY next_attempt_at LIMIT $max)";
                    cmd.Parameters.AddWithValue("$stale", T(DateTime.UtcNow - ClaimLease)); cmd.Parameters.AddWithValue("$run", runId);
                    cmd.Parameters.AddWithValue("$now", now); cmd.Parameters.AddWithValue("$max", max);
                    cmd.ExecuteNonQuery();
                }
                using (var cmd = c.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = "SELECT id, server, port, implicit_tls, user_name, sender, recipients, mime, attempts FROM scheduled_mail WHERE status = 'Sending' AND claimed_by = $run";
                    cmd.Parameters.AddWithValue("$run", runId);
                    using (var r = cmd.ExecuteReader())
                        while (r.Read())
                            list.Add(new Claimed { Id = r.GetString(0), Server = r.GetString(1), Port = r.GetInt32(2), ImplicitTls = r.GetInt32(3) == 1, User = r.IsDBNull(4) ? null : r.GetString(4),
                                Sender = r.GetString(5), Recipients = r.GetString(6).Split(','), Mime = (byte[])r[7], Attempts = r.GetInt32(8) });
                }
                tx.Commit();
            }
            return list;
        }

        private void Finish(string id, string runId, bool sent, string response, string error, int attempts)
        {
            using (var c = Open())
            using (var cmd = c.CreateCommand())
            {
                if (sent)
                {
                    cmd.CommandText = "UPDATE scheduled_mail SET status = 'Sent', sent_at = $now, response = $resp, attempts = attempts + 1, last_error = NULL WHERE id = $id AND claimed_by = $run";
                    cmd.Parameters.AddWithValue("$resp", (object)response ?? DBNull.Value);
                }
                else
                {
                    // exponential backoff: 1, 2, 4 ... minutes; after MaxAttempts the message stays Failed with its last error
                    var delay = TimeSpan.FromMinutes(Math.Pow(2, Math.Min(attempts, 10)));
                    cmd.CommandText = "UPDATE scheduled_mail SET status = $st, attempts = attempts + 1, last_error = $err, next_attempt_at = $next WHERE id = $id AND claimed_by = $run";
                    cmd.Parameters.AddWithValue("$st", attempts + 1 >= MaxAttempts ? "Failed" : "Pending");
                    cmd.Parameters.AddWithValue("$err", error); cmd.Parameters.AddWithValue("$next", T(DateTime.UtcNow + delay));
                }
                cmd.Parameters.AddWithValue("$now", T(DateTime.UtcNow)); cmd.Parameters.AddWithValue("$id", id); cmd.Parameters.AddWithValue("$run", runId);
                cmd.ExecuteNonQuery();
            }
        }

        /// <summary>Sends what is due, in batches, one SMTP connection per server and login; returns what happened.</summary>
        public async Task<ScheduledMailRun> RunAsync(System.Net.NetworkCredential credential, SmtpSubmission defaults, int batchSize, IProgress<int> progress, CancellationToken ct)
        {
            var run = new ScheduledMailRun();
            var started = DateTime.UtcNow;
            var runId = Guid.NewGuid().ToString("N");
            var senders = new Dictionary<string, MailSender>();
            try
            {
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    var batch = Claim(runId, batchSize);
                    if (batch.Count == 0) break;
                    run.Claimed += batch.Count;
                    foreach (var m in batch)
                    {
                        var key = $"{m.Server}:{m.Port}:{m.ImplicitTls}:{m.User}";
                        if (!senders.TryGetValue(key, out var sender))
                        {
                            var cred = m.User == null ? null : credential != null && string.Equals(credential.UserName, m.User, StringComparison.OrdinalIgnoreCase) ? credential : null;
                            senders[key] = sender = new MailSender(new SmtpSubmission
                            {
                                Server = m.Server, Port = m.Port, ImplicitTls = m.ImplicitTls, Credential = cred,
                                TrustedRoots = defaults?.TrustedRoots, SkipCertificateCheck = defaults?.SkipCertificateCheck ?? false, Timeout = defaults?.Timeout ?? TimeSpan.FromSeconds(60),
                            });
                        }
                        try
                        {
                            if (m.User != null && (credential == null || !string.Equals(credential.UserName, m.User, StringComparison.OrdinalIgnoreCase)))
                                throw new InvalidOperationException($"it was queued to be sent as {m.User}: run Invoke-ScheduledMail with that -Credential");
                            MimeMessage msg;
                            using (var ms = new MemoryStream(m.Mime)) msg = MimeMessage.Load(ms);
                            var response = await sender.SendRawAsync(msg, ct).ConfigureAwait(false);
                            Finish(m.Id, runId, true, response, null, m.Attempts);
                            run.Sent++;
                        }
                        catch (Exception e) when (!(e is OperationCanceledException) || !ct.IsCancellationRequested)
                        {
                            Finish(m.Id, runId, false, null, e.Message, m.Attempts);
                            if (m.Attempts + 1 >= MaxAttempts) run.Failed++; else run.WillRetry++;
                        }
                        progress?.Report(run.Sent + run.Failed + run.WillRetry);
                    }
                }
            }
            finally
            {
                foreach (var s in senders.Values) s.Dispose();
            }
            run.Duration = DateTime.UtcNow - started;
            return run;
        }
    }
}
