using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using System.Data.Common;
using Npgsql;

namespace MailAdmin.Providers.Local
{
    /// <summary>Opens the store file, applies migrations, and runs short transactions. Every statement is parameterised.</summary>
    internal sealed class LocalDatabase
    {
        private readonly StoreDialect _dialect;

        /// <summary>The embedded store: a SQLite file (created with its schema when missing) and its secrets file beside it.</summary>
        public LocalDatabase(string path)
            : this(new SqliteStoreDialect(path))
        {
        }

        public LocalDatabase(StoreDialect dialect)
        {
            _dialect = dialect;
            try
            {
                _dialect.Prepare();
            }
            catch (DbException e)
            {
                throw Unavailable(e);
            }

            Migrate();
        }

        /// <summary>Where the store is (the SQLite file, or postgresql://user@host:port/database), safe to show.</summary>
        public string Path => _dialect.Location;

        public StoreDialect Dialect => _dialect;

        /// <summary>The file beside a SQLite store that holds its secrets (attached to every connection of the module as 'secret').</summary>
        public static string SecretsPathFor(string storePath)
            => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(storePath) ?? "", System.IO.Path.GetFileNameWithoutExtension(storePath) + ".secrets.db");

        public DbConnection Open()
        {
            try
            {
                return _dialect.OpenConnection();
            }
            catch (DbException e)
            {
                throw Unavailable(e);
            }
        }

        private MailAdminException Unavailable(DbException e)
            => new MailAdminException(MailErrorKind.ConnectionError, "LocalStoreUnavailable",
                $"The Local store '{Path}' cannot be opened: {e.Message}", Path, e);

        /// <summary>
        /// Runs work in a write transaction (SQLite: IMMEDIATE, the write lock is taken at BEGIN, so writers never deadlock;
        /// PostgreSQL: READ COMMITTED after the store's write lock) and returns once it is committed. Concurrent writes are group-committed: whatever is queued
        /// while a commit is on disk goes into the next transaction, each piece under its own savepoint, so one failing piece
        /// rolls back alone. A commit costs several fsyncs (or a round trip); batching is what lets a bulk import run at the
        /// speed of password hashing. On PostgreSQL a batch that loses a conflict with another writer is run again, and a batch
        /// whose commit lost its connection is looked up by its marker row: each piece is reported exactly once, as done or
        /// failed, and never half done.
        /// </summary>
        public T Write<T>(Func<DbConnection, DbTransaction, T> work) => WriteAsync(work).GetAwaiter().GetResult();

        public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> work)
        {
            var pending = new PendingWrite<T>(work);
            lock (_gate)
            {
                _queue.Enqueue(pending);
                if (!_writerRunning)
                {
                    _writerRunning = true;
                    // Its own thread, not the pool: a writer queued behind many pool items would stall every create.
                    new Thread(WriterLoop) { IsBackground = true, Name = "MailAdmin store writer" }.Start();
                }
                else
                {
                    Monitor.Pulse(_gate);
                }
            }

            return pending.Task;
        }

        private const int MaxBatch = 500;
        private const int MaxAttempts = 8;
        private readonly object _gate = new object();
        private readonly Queue<IPendingWrite> _queue = new Queue<IPendingWrite>();
        private bool _writerRunning;
        private int _batches;

        private void WriterLoop()
        {
            while (true)
            {
                var batch = new List<IPendingWrite>();
                lock (_gate)
                {
                    // Linger briefly for more work, so a bulk run keeps one writer thread.
                    if (_queue.Count == 0)
                    {
                        Monitor.Wait(_gate, 200);
                    }

                    while (_queue.Count > 0 && batch.Count < MaxBatch)
                    {
                        batch.Add(_queue.Dequeue());
                    }

                    if (batch.Count == 0)
                    {
                        _writerRunning = false;
                        return;
                    }
                }

                RunBatch(batch);
                foreach (var p in batch)
                {
                    p.Complete();
                }
            }
        }

        private void RunBatch(List<IPendingWrite> batch)
        {
            var random = new Random();
            for (var attempt = 1; ; attempt++)
            {
                foreach (var p in batch)
                {
                    p.Reset();
                }

                var marker = _dialect.IsShared ? Guid.NewGuid().ToString("n") : null;
                try
                {
                    RunOnce(batch, marker);
                    return;
                }
                catch (Exception e) when (_dialect.IsRetryable(e) && batch.Count > 1)
                {
                    // another writer won a conflict with this batch: a big batch would lose again to a writer that keeps
                    // committing (two bulk imports at once), so each piece runs on its own transaction, retried as needed
                    foreach (var p in batch)
                    {
                        RunBatch(new List<IPendingWrite> { p });
                    }

                    return;
                }
                catch (Exception e) when (_dialect.IsConnectionLost(e) && attempt < 3)
                {
                    // the connection broke before anything was committed (a pooled connection the server dropped, a restart):
                    // the server rolled the batch back, so it runs again on a new connection
                    _dialect.ResetConnections();
                    Thread.Sleep(250 * attempt);
                }
                catch (Exception e) when (_dialect.IsRetryable(e) && attempt < MaxAttempts)
                {
                    // another writer won a conflict: run it again on fresh data, after a random pause
                    Thread.Sleep(random.Next(5, 20 * attempt));
                }
                catch (Exception e)
                {
                    var error = Describe(e);
                    foreach (var p in batch)
                    {
                        p.Fail(error);
                    }

                    return;
                }
            }
        }

        private void RunOnce(List<IPendingWrite> batch, string marker)
        {
            using (var c = Open())
            using (var tx = _dialect.BeginWrite(c))
            {
                if (marker != null)
                {
                    // the batch's marker: if the connection drops during COMMIT, this row says whether the commit landed
                    Exec(c, tx, "INSERT INTO write_batch(id, committed_at) VALUES($id, $t)", ("$id", marker), ("$t", Now()));
                    if (++_batches % 256 == 1)
                    {
                        Exec(c, tx, "DELETE FROM write_batch WHERE committed_at < $old",
                            ("$old", DateTime.UtcNow.AddDays(-1).ToString("o", CultureInfo.InvariantCulture)));
                    }
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    var sp = "w" + i.ToString(CultureInfo.InvariantCulture);
                    if (batch.Count > 1)
                    {
                        tx.Save(sp);
                    }

                    try
                    {
                        batch[i].Run(c, tx);
                        if (batch.Count > 1)
                        {
                            tx.Release(sp);
                        }
                    }
                    catch (Exception e) when (batch.Count > 1 && !_dialect.IsFatal(e))
                    {
                        tx.Rollback(sp);
                        tx.Release(sp);
                        batch[i].Fail(Describe(e));
                    }
                }

                try
                {
                    tx.Commit();
                }
                catch (Exception e) when (marker != null && _dialect.IsConnectionLost(e))
                {
                    if (!Landed(marker, e))
                    {
                        throw;
                    }
                }
            }
        }

        /// <summary>Whether a batch whose COMMIT lost its connection was committed (its marker row is there).</summary>
        private bool Landed(string marker, Exception lost)
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    using (var c = _dialect.OpenConnection())
                    {
                        return Scalar(c, null, "SELECT 1 FROM write_batch WHERE id = $id", ("$id", marker)) != null;
                    }
                }
                catch (DbException)
                {
                    Thread.Sleep(500 * (attempt + 1));
                }
            }

            throw new MailAdminException(MailErrorKind.ConnectionError, "LocalStoreCommitUnknown",
                $"The connection to the Local store '{Path}' was lost while a change was committed, and the store stayed out of reach, "
                + "so whether the change landed is unknown. Run the same command again when the store is back: what landed is "
                + "found there (New-Mailbox -SkipExisting passes over it) and the rest is done.", Path, lost);
        }

        /// <summary>A database failure as the error the cmdlets report; anything else unchanged.</summary>
        private Exception Describe(Exception e)
        {
            if (!(e is DbException))
            {
                return e;
            }

            if (_dialect.IsUniqueViolation(e))
            {
                return MailAdminException.Exists("LocalStoreConflict",
                    $"The change conflicts with a row another writer added at the same time in the Local store '{Path}' "
                    + "(the name or address is taken now). Look it up and run the command again if it is still needed.", Path);
            }

            if (_dialect.IsRetryable(e))
            {
                return new MailAdminException(MailErrorKind.ResourceBusy, "LocalStoreBusy",
                    $"The change lost {MaxAttempts} times in a row to other writers of the Local store '{Path}' and was not made. "
                    + "Run the command again.", Path, e);
            }

            if (_dialect.IsFatal(e))
            {
                return new MailAdminException(MailErrorKind.ConnectionError, "LocalStoreUnavailable",
                    $"The Local store '{Path}' could not complete the change ({_dialect.Name}: {e.Message}); nothing of it was kept. "
                    + "Run the command again when the store is reachable.", Path, e);
            }

            return e;
        }

        private interface IPendingWrite
        {
            void Run(DbConnection c, DbTransaction tx);
            void Fail(Exception e);
            void Reset();
            void Complete();
        }

        private sealed class PendingWrite<T> : IPendingWrite
        {
            private readonly Func<DbConnection, DbTransaction, T> _work;
            private readonly TaskCompletionSource<T> _tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            private T _result;
            private Exception _error;

            public PendingWrite(Func<DbConnection, DbTransaction, T> work)
            {
                _work = work;
            }

            public Task<T> Task => _tcs.Task;

            public void Run(DbConnection c, DbTransaction tx)
            {
                _result = _work(c, tx);
            }

            public void Fail(Exception e)
            {
                if (_error == null)
                {
                    _error = e;
                }
            }

            public void Reset()
            {
                _error = null;
                _result = default(T);
            }

            public void Complete()
            {
                if (_error != null)
                {
                    _tcs.TrySetException(_error);
                }
                else
                {
                    _tcs.TrySetResult(_result);
                }
            }
        }

        public T Read<T>(Func<DbConnection, T> work)
        {
            using (var c = Open())
            {
                return work(c);
            }
        }

        private void Migrate()
        {
            using (var c = Open())
            {
                var version = _dialect.ReadVersion(c, null);
                if (version == Schema.LatestVersion)
                {
                    return;
                }

                if (version > Schema.LatestVersion)
                {
                    throw new MailAdminException(MailErrorKind.InvalidOperation, "LocalStoreTooNew",
                        $"The Local store '{Path}' has schema version {version}, newer than this module knows ({Schema.LatestVersion}). "
                        + "Update the MailAdmin module.", Path);
                }

                _dialect.BeforeMigrations(c);
                var movedSecrets = false;
                using (var tx = _dialect.BeginMigration(c))
                {
                    _dialect.LockForMigration(c, tx);
                    // Another process may have migrated while we waited for the lock.
                    version = _dialect.ReadVersion(c, tx);
                    for (var v = version; v < Schema.LatestVersion; v++)
                    {
                        foreach (var sql in Schema.Migrations[v])
                        {
                            Exec(c, tx, sql);
                        }

                        _dialect.WriteVersion(c, tx, v + 1);
                        movedSecrets |= Schema.MovesSecrets(v + 1);
                    }

                    tx.Commit();
                }

                if (movedSecrets && version > 0)
                {
                    _dialect.CompactAfterSecretsMoved(c);
                }
            }
        }

        public static int Exec(DbConnection c, DbTransaction tx, string sql, params (string, object)[] args)
        {
            using (var cmd = Command(c, tx, sql, args))
            {
                return cmd.ExecuteNonQuery();
            }
        }

        public static object Scalar(DbConnection c, DbTransaction tx, string sql, params (string, object)[] args)
        {
            using (var cmd = Command(c, tx, sql, args))
            {
                return cmd.ExecuteScalar();
            }
        }

        /// <summary>A command in the connection's own dialect: statements are written in SQLite's spelling with $name parameters.</summary>
        public static DbCommand Command(DbConnection c, DbTransaction tx, string sql, params (string, object)[] args)
        {
            var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            var pg = c is NpgsqlConnection;
            cmd.CommandText = pg ? PostgresStoreDialect.TranslateStatement(sql) : sql;
            foreach (var (name, value) in args)
            {
                if (pg)
                {
                    if (value == null || value is DBNull)
                    {
                        // a NULL is written in place, as a literal NULL takes its type from where it stands ($m IS NULL, a
                        // BIGINT column), where PostgreSQL refuses a parameter whose type it cannot tell
                        cmd.CommandText = PostgresStoreDialect.WithNull(cmd.CommandText, name);
                        continue;
                    }

                    cmd.Parameters.Add(PostgresStoreDialect.Parameter(name, value));
                    continue;
                }

                var p = cmd.CreateParameter();
                p.ParameterName = name;
                p.Value = value ?? DBNull.Value;
                cmd.Parameters.Add(p);
            }

            return cmd;
        }

        public static List<T> Query<T>(DbConnection c, DbTransaction tx, string sql, Func<DbDataReader, T> map, params (string, object)[] args)
        {
            var list = new List<T>();
            using (var cmd = Command(c, tx, sql, args))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    list.Add(map(r));
                }
            }

            return list;
        }

        public static string Now() => DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture);
        public static DateTime ParseTime(string s) => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int chmod(string path, uint mode);

        /// <summary>chmod with an octal mode (best effort; nothing on Windows).</summary>
        public static void Chmod(string path, string octal)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return;
            }

            try
            {
                chmod(path, Convert.ToUInt32(octal, 8));
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                // no libc (unusual): the file keeps the mode the umask gave it, and nothing here can write a warning
                System.Diagnostics.Trace.WriteLine($"chmod {octal} {path}: {e.GetType().Name}: {e.Message}");
            }
        }
    }
}
