using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using Microsoft.Data.Sqlite;

namespace MailAdmin.Providers.Local
{
    /// <summary>Opens the store file, applies migrations, and runs short transactions. Every statement is parameterised.</summary>
    internal sealed class LocalDatabase
    {
        private readonly string _connectionString;

        public LocalDatabase(string path)
        {
            Path = System.IO.Path.GetFullPath(path);
            var dir = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }

            var isNew = !File.Exists(Path);
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                ForeignKeys = true,
                DefaultTimeout = 60,
                Pooling = true,
            }.ToString();
            if (isNew)
            {
                using (var c = new SqliteConnection(_connectionString))
                {
                    c.Open();
                }
                RestrictPermissions(Path);
            }
            SecretsPath = SecretsPathFor(Path);
            if (!File.Exists(SecretsPath))
            {
                // a store that already keeps its secrets apart must not get an empty secrets file: every login would fail
                if (!isNew && StoredVersion() >= Schema.SecretsVersion)
                    throw new MailAdminException(MailErrorKind.InvalidOperation, "LocalSecretsMissing",
                        $"The Local store '{Path}' keeps its password hashes, app passwords and DKIM keys in '{SecretsPath}', which is missing. Restore that file from the same backup as the store (never create it empty: every login would fail).", SecretsPath);
                using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = SecretsPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
                {
                    c.Open();
                }
                // password hashes, app passwords and DKIM private keys: only root (the module, Dovecot's auth worker) reads them
                Chmod(SecretsPath, "600");
            }
            Migrate();
        }

        public string Path { get; }

        /// <summary>The store's schema version read without touching the secrets file.</summary>
        private int StoredVersion()
        {
            using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            {
                c.Open();
                return Convert.ToInt32(Scalar(c, null, "PRAGMA user_version"), CultureInfo.InvariantCulture);
            }
        }

        /// <summary>The file beside the store that holds its secrets (attached to every connection of the module as 'secret').</summary>
        public string SecretsPath { get; }

        public static string SecretsPathFor(string storePath)
            => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(storePath) ?? "", System.IO.Path.GetFileNameWithoutExtension(storePath) + ".secrets.db");

        public SqliteConnection Open()
        {
            var c = new SqliteConnection(_connectionString);
            try
            {
                c.Open();
                // a pooled connection keeps what it attached
                if (Scalar(c, null, "SELECT 1 FROM pragma_database_list WHERE name = 'secret'") == null)
                {
                    Exec(c, null, "ATTACH DATABASE $p AS secret", ("$p", SecretsPath));
                }
            }
            catch (SqliteException e)
            {
                c.Dispose();
                throw new MailAdminException(MailErrorKind.ConnectionError, "LocalStoreUnavailable",
                    $"The Local store '{Path}' cannot be opened: {e.Message}", Path, e);
            }
            return c;
        }

        /// <summary>
        /// Runs work in an IMMEDIATE transaction (the write lock is taken at BEGIN, so writers never deadlock) and returns
        /// once it is committed. Concurrent writes are group-committed: whatever is queued while a commit is on disk goes
        /// into the next transaction, each piece under its own savepoint, so one failing piece rolls back alone. A commit
        /// costs several fsyncs; batching is what lets a bulk import run at the speed of password hashing.
        /// </summary>
        public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work) => WriteAsync(work).GetAwaiter().GetResult();

        public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work)
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
                else Monitor.Pulse(_gate);
            }
            return pending.Task;
        }

        private const int MaxBatch = 500;
        private readonly object _gate = new object();
        private readonly Queue<IPendingWrite> _queue = new Queue<IPendingWrite>();
        private bool _writerRunning;

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
                try
                {
                    using (var c = Open())
                    using (var tx = c.BeginTransaction(deferred: false))
                    {
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
                            catch (Exception e) when (batch.Count > 1 && !(e is SqliteException se && IsFatal(se)))
                            {
                                tx.Rollback(sp);
                                tx.Release(sp);
                                batch[i].Fail(e);
                            }
                        }
                        tx.Commit();
                    }
                    foreach (var p in batch)
                    {
                        p.Complete();
                    }
                }
                catch (Exception e)
                {
                    foreach (var p in batch)
                    {
                        p.Fail(e);
                    }

                    foreach (var p in batch)
                    {
                        p.Complete();
                    }
                }
            }
        }

        private static bool IsFatal(SqliteException e) => e.SqliteErrorCode == 5 /* BUSY */ || e.SqliteErrorCode == 10 /* IOERR */ || e.SqliteErrorCode == 13 /* FULL */;

        private interface IPendingWrite
        {
            void Run(SqliteConnection c, SqliteTransaction tx);
            void Fail(Exception e);
            void Complete();
        }

        private sealed class PendingWrite<T> : IPendingWrite
        {
            private readonly Func<SqliteConnection, SqliteTransaction, T> _work;
            private readonly TaskCompletionSource<T> _tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            private T _result;
            private Exception _error;
            public PendingWrite(Func<SqliteConnection, SqliteTransaction, T> work)
            {
                _work = work;
            }
            public Task<T> Task => _tcs.Task;
            public void Run(SqliteConnection c, SqliteTransaction tx)
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

        public T Read<T>(Func<SqliteConnection, T> work)
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
                Exec(c, null, "PRAGMA journal_mode=DELETE");
                Exec(c, null, "PRAGMA secret.journal_mode=DELETE");
                var version = Convert.ToInt32(Scalar(c, null, "PRAGMA user_version"), CultureInfo.InvariantCulture);
                if (version == Schema.LatestVersion)
                {
                    return;
                }

                if (version > Schema.LatestVersion)
                    throw new MailAdminException(MailErrorKind.InvalidOperation, "LocalStoreTooNew",
                        $"The Local store '{Path}' has schema version {version}, newer than this module knows ({Schema.LatestVersion}). Update the MailAdmin module.", Path);
                // freed pages are overwritten, so what moves to the secrets file leaves no copy behind in the directory file
                Exec(c, null, "PRAGMA main.secure_delete = ON");
                var movedSecrets = false;
                using (var tx = c.BeginTransaction(deferred: false))
                {
                    // Another process may have migrated while we waited for the lock.
                    version = Convert.ToInt32(Scalar(c, tx, "PRAGMA user_version"), CultureInfo.InvariantCulture);
                    for (var v = version; v < Schema.LatestVersion; v++)
                    {
                        foreach (var sql in Schema.Migrations[v])
                        {
                            Exec(c, tx, sql);
                        }

                        Exec(c, tx, "PRAGMA user_version = " + (v + 1).ToString(CultureInfo.InvariantCulture));
                        movedSecrets |= Schema.MovesSecrets(v + 1);
                    }
                    tx.Commit();
                }
                // a dropped column's old cells can survive in the rewritten pages: rebuild the file once the secrets moved out
                if (movedSecrets && version > 0)
                {
                    Exec(c, null, "VACUUM main");
                }
            }
        }

        public static int Exec(SqliteConnection c, SqliteTransaction tx, string sql, params (string, object)[] args)
        {
            using (var cmd = Command(c, tx, sql, args))
            {
                return cmd.ExecuteNonQuery();
            }
        }

        public static object Scalar(SqliteConnection c, SqliteTransaction tx, string sql, params (string, object)[] args)
        {
            using (var cmd = Command(c, tx, sql, args))
            {
                return cmd.ExecuteScalar();
            }
        }

        public static SqliteCommand Command(SqliteConnection c, SqliteTransaction tx, string sql, params (string, object)[] args)
        {
            var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
            return cmd;
        }

        public static List<T> Query<T>(SqliteConnection c, SqliteTransaction tx, string sql, Func<SqliteDataReader, T> map, params (string, object)[] args)
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
            }
        }

        /// <summary>The store holds password hashes and DKIM private keys: owner read/write, group read (for Postfix/Dovecot).</summary>
        private static void RestrictPermissions(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return;
            }

            try
            {
                chmod(path, Convert.ToUInt32("640", 8));
            }
            catch (Exception)
            { /* best effort: no libc (unusual) */
            }
        }
    }
}
