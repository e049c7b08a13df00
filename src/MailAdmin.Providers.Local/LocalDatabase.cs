using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
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
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
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
                using (var c = new SqliteConnection(_connectionString)) { c.Open(); }
                RestrictPermissions(Path);
            }
            Migrate();
        }

        public string Path { get; }

        public SqliteConnection Open()
        {
            var c = new SqliteConnection(_connectionString);
            try
            {
                c.Open();
            }
            catch (SqliteException e)
            {
                c.Dispose();
                throw new MailAdminException(MailErrorKind.ConnectionError, "LocalStoreUnavailable",
                    $"The Local store '{Path}' cannot be opened: {e.Message}", Path, e);
            }
            return c;
        }

        /// <summary>Runs work in one IMMEDIATE transaction (the write lock is taken at BEGIN, so writers never deadlock).</summary>
        public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
        {
            using (var c = Open())
            using (var tx = c.BeginTransaction(deferred: false))
            {
                var result = work(c, tx);
                tx.Commit();
                return result;
            }
        }

        public T Read<T>(Func<SqliteConnection, T> work)
        {
            using (var c = Open()) return work(c);
        }

        private void Migrate()
        {
            using (var c = Open())
            {
                Exec(c, null, "PRAGMA journal_mode=DELETE");
                var version = Convert.ToInt32(Scalar(c, null, "PRAGMA user_version"), CultureInfo.InvariantCulture);
                if (version == Schema.LatestVersion) return;
                if (version > Schema.LatestVersion)
                    throw new MailAdminException(MailErrorKind.InvalidOperation, "LocalStoreTooNew",
                        $"The Local store '{Path}' has schema version {version}, newer than this module knows ({Schema.LatestVersion}). Update the MailAdmin module.", Path);
                using (var tx = c.BeginTransaction(deferred: false))
                {
                    // Another process may have migrated while we waited for the lock.
                    version = Convert.ToInt32(Scalar(c, tx, "PRAGMA user_version"), CultureInfo.InvariantCulture);
                    for (var v = version; v < Schema.LatestVersion; v++)
                    {
                        foreach (var sql in Schema.Migrations[v]) Exec(c, tx, sql);
                        Exec(c, tx, "PRAGMA user_version = " + (v + 1).ToString(CultureInfo.InvariantCulture));
                    }
                    tx.Commit();
                }
            }
        }

        public static int Exec(SqliteConnection c, SqliteTransaction tx, string sql, params (string, object)[] args)
        {
            using (var cmd = Command(c, tx, sql, args)) return cmd.ExecuteNonQuery();
        }

        public static object Scalar(SqliteConnection c, SqliteTransaction tx, string sql, params (string, object)[] args)
        {
            using (var cmd = Command(c, tx, sql, args)) return cmd.ExecuteScalar();
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
                while (r.Read()) list.Add(map(r));
            return list;
        }

        public static string Now() => DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture);
        public static DateTime ParseTime(string s) => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int chmod(string path, uint mode);

        /// <summary>The store holds password hashes and DKIM private keys: owner read/write, group read (for Postfix/Dovecot).</summary>
        private static void RestrictPermissions(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            try { chmod(path, Convert.ToUInt32("640", 8)); } catch (Exception) { /* best effort: no libc (unusual) */ }
        }
    }
}
