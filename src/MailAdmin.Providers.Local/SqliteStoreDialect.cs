using System;
using System.Data.Common;
using System.Globalization;
using System.IO;
using MailAdmin.Errors;
using Microsoft.Data.Sqlite;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// The embedded store: one SQLite file for the directory (read by Postfix and Dovecot) and one beside it for the secrets
    /// (attached as 'secret', mode 0600). The stores' SQL is SQLite's own, so nothing is rewritten.
    /// </summary>
    internal sealed class SqliteStoreDialect : StoreDialect
    {
        private readonly string _connectionString;
        private readonly bool _isNew;

        public SqliteStoreDialect(string path)
        {
            Path = System.IO.Path.GetFullPath(path);
            var dir = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }

            _isNew = !File.Exists(Path);
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                ForeignKeys = true,
                DefaultTimeout = 60,
                Pooling = true,
            }.ToString();
            SecretsPath = LocalDatabase.SecretsPathFor(Path);
        }

        public string Path { get; }

        public string SecretsPath { get; }

        public override string Location => Path;

        public override string Name => "SQLite";

        public override bool IsShared => false;

        public override void Prepare()
        {
            if (_isNew)
            {
                using (var c = new SqliteConnection(_connectionString))
                {
                    c.Open();
                }

                // the directory: owner read/write, group read (Postfix and Dovecot read it)
                LocalDatabase.Chmod(Path, "640");
            }

            if (!File.Exists(SecretsPath))
            {
                // a store that already keeps its secrets apart must not get an empty secrets file: every login would fail
                if (!_isNew && StoredVersion() >= Schema.SecretsVersion)
                {
                    throw new MailAdminException(MailErrorKind.InvalidOperation, "LocalSecretsMissing",
                        $"The Local store '{Path}' keeps its password hashes, app passwords and DKIM keys in '{SecretsPath}', which is missing. "
                        + "Restore that file from the same backup as the store (never create it empty: every login would fail).", SecretsPath);
                }

                var secrets = new SqliteConnectionStringBuilder { DataSource = SecretsPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
                using (var c = new SqliteConnection(secrets.ToString()))
                {
                    c.Open();
                }

                // password hashes, app passwords and DKIM private keys: only root (the module, Dovecot's auth worker) reads them
                LocalDatabase.Chmod(SecretsPath, "600");
            }

            using (var c = OpenConnection())
            {
                LocalDatabase.Exec(c, null, "PRAGMA journal_mode=DELETE");
                LocalDatabase.Exec(c, null, "PRAGMA secret.journal_mode=DELETE");
            }
        }

        /// <summary>The store's schema version read without touching the secrets file.</summary>
        private int StoredVersion()
        {
            var readOnly = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
            using (var c = new SqliteConnection(readOnly.ToString()))
            {
                c.Open();
                return Convert.ToInt32(LocalDatabase.Scalar(c, null, "PRAGMA user_version"), CultureInfo.InvariantCulture);
            }
        }

        public override DbConnection OpenConnection()
        {
            var c = new SqliteConnection(_connectionString);
            try
            {
                c.Open();
                // a pooled connection keeps what it attached
                if (LocalDatabase.Scalar(c, null, "SELECT 1 FROM pragma_database_list WHERE name = 'secret'") == null)
                {
                    LocalDatabase.Exec(c, null, "ATTACH DATABASE $p AS secret", ("$p", SecretsPath));
                }
            }
            catch (SqliteException)
            {
                c.Dispose();
                throw;
            }

            return c;
        }

        public override DbTransaction BeginWrite(DbConnection c) => ((SqliteConnection)c).BeginTransaction(deferred: false);

        public override DbTransaction BeginMigration(DbConnection c) => BeginWrite(c);

        // SQLITE_CONSTRAINT_PRIMARYKEY (1555) and SQLITE_CONSTRAINT_UNIQUE (2067)
        public override bool IsUniqueViolation(Exception e)
            => e is SqliteException se && (se.SqliteExtendedErrorCode == 1555 || se.SqliteExtendedErrorCode == 2067);

        // BEGIN IMMEDIATE already holds the file's write lock
        public override void LockForMigration(DbConnection c, DbTransaction tx)
        {
        }

        public override int ReadVersion(DbConnection c, DbTransaction tx)
            => Convert.ToInt32(LocalDatabase.Scalar(c, tx, "PRAGMA user_version"), CultureInfo.InvariantCulture);

        public override void WriteVersion(DbConnection c, DbTransaction tx, int version)
            => LocalDatabase.Exec(c, tx, "PRAGMA user_version = " + version.ToString(CultureInfo.InvariantCulture));

        public override void SecureDelete(DbConnection c, DbTransaction tx)
            => LocalDatabase.Exec(c, tx, "PRAGMA secret.secure_delete = ON");

        // freed pages are overwritten, so what moves to the secrets file leaves no copy behind in the directory file
        public override void BeforeMigrations(DbConnection c) => LocalDatabase.Exec(c, null, "PRAGMA main.secure_delete = ON");

        // a dropped column's old cells can survive in the rewritten pages: rebuild the file once the secrets moved out
        public override void CompactAfterSecretsMoved(DbConnection c) => LocalDatabase.Exec(c, null, "VACUUM main");

        public override bool IsFatal(Exception e)
            => e is SqliteException se && (se.SqliteErrorCode == 5 /* BUSY */ || se.SqliteErrorCode == 10 /* IOERR */ || se.SqliteErrorCode == 13 /* FULL */);

        // one writer per file (BEGIN IMMEDIATE): transactions never conflict
        public override bool IsRetryable(Exception e) => false;

        // in-process: a commit either returned or threw
        public override bool IsConnectionLost(Exception e) => false;
    }
}
