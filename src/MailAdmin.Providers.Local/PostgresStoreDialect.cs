using System;
using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using MailAdmin.Errors;
using MailAdmin.Models;
using Npgsql;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// A Local store in PostgreSQL, for several mail hosts reading one directory. The directory lives in the schema 'main' and
    /// the secrets in the schema 'secret' (the same names SQLite uses for the store file and the attached secrets file), so the
    /// stores' SQL names them alike. The few SQLite functions the schema's views and the stores use (julianday, group_concat,
    /// glob, the NOCASE collation) are created in 'main' once, and statements are rewritten only where the spelling differs:
    /// $name parameters become @name, INTEGER becomes BIGINT. Write transactions take the store's write lock first (one writer
    /// at a time, as in SQLite; group commit keeps bulk runs fast): two admins (or two bulk runs) writing at once are applied one
    /// after the other, and constraints keep any address from being taken twice.
    /// </summary>
    internal sealed class PostgresStoreDialect : StoreDialect
    {
        /// <summary>pg_advisory_xact_lock key that serialises migrations between processes ('MAIL').</summary>
        private const long MigrationLockKey = 0x4D41494C;

        /// <summary>pg_advisory_xact_lock key that serialises the module's write transactions ('MAIW').</summary>
        private const long WriteLockKey = 0x4D414957;

        private static readonly Regex ParameterName = new Regex(@"\$([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.Compiled);
        private static readonly Regex IntegerType = new Regex(@"\bINTEGER\b", RegexOptions.Compiled);
        private static readonly Regex GlobCall = new Regex(@"\bglob\((\$\w+),\s*((?:[^()]|\([^()]*\))+)\)", RegexOptions.Compiled);
        private static readonly Regex SqliteOnly = new Regex(@"\bINSERT\s+OR\s+\w+|\bPRAGMA\b|\bGLOB\b|\bAUTOINCREMENT\b", RegexOptions.Compiled);

        private static readonly ConcurrentDictionary<string, string> Translated = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        private readonly NpgsqlDataSource _source;

        public PostgresStoreDialect(string connectionString, SecretText password, string username = null)
        {
            NpgsqlConnectionStringBuilder b;
            try
            {
                b = new NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException e)
            {
                // the message names the keyword, never its value (a password may be in the string)
                throw MailAdminException.Invalid("InvalidConnectionString",
                    $"The PostgreSQL connection string is not valid: {e.Message} Use keywords such as Host=...;Database=...;Username=... "
                    + "and give the password with -Credential.", null);
            }

            if (string.IsNullOrWhiteSpace(b.Host) || string.IsNullOrWhiteSpace(b.Database))
            {
                throw MailAdminException.Invalid("InvalidConnectionString",
                    "The PostgreSQL connection string must name the server and the database: Host=...;Database=...;Username=...", null);
            }

            if (string.IsNullOrEmpty(b.Username) && !string.IsNullOrEmpty(username))
            {
                b.Username = username;
            }

            if (password != null)
            {
                b.Password = password.Reveal();
            }

            b.SearchPath = "main";
            b.ApplicationName = "MailAdmin";
            b.IncludeErrorDetail = false;
            Host = b.Host;
            Port = b.Port;
            Database = b.Database;
            Location = string.Format(CultureInfo.InvariantCulture, "postgresql://{0}{1}:{2}/{3}",
                string.IsNullOrEmpty(b.Username) ? "" : b.Username + "@", b.Host, b.Port, b.Database);
            _source = NpgsqlDataSource.Create(b);
        }

        public override string Location { get; }

        public string Host { get; }

        public int Port { get; }

        public string Database { get; }

        public override string Name => "PostgreSQL";

        public override bool IsShared => true;

        public override void Prepare()
        {
            using (var c = OpenConnection())
            using (var tx = c.BeginTransaction())
            {
                LockForMigration(c, tx);
                if (LocalDatabase.Scalar(c, tx, "SELECT 1 FROM pg_namespace WHERE nspname = 'main'") == null)
                {
                    Raw(c, tx, "CREATE SCHEMA main");
                }

                if (LocalDatabase.Scalar(c, tx, "SELECT 1 FROM pg_namespace WHERE nspname = 'secret'") == null)
                {
                    // the mail hosts' Postfix role is granted 'main' only; Dovecot's auth role also reads 'secret'
                    Raw(c, tx, "CREATE SCHEMA secret");
                    Raw(c, tx, "REVOKE ALL ON SCHEMA secret FROM PUBLIC");
                }

                if (LocalDatabase.Scalar(c, tx, "SELECT 1 FROM pg_tables WHERE schemaname = 'main' AND tablename = 'schema_version'") == null)
                {
                    Raw(c, tx, "CREATE TABLE main.schema_version (version BIGINT NOT NULL)");
                    Raw(c, tx, "INSERT INTO main.schema_version(version) VALUES (0)");
                    CreateFunctions(c, tx);
                }

                // what Dovecot's dict writes on every mail host (last_login and quota_clone plugins): in the store itself, where a
                // SQLite store keeps them in a file beside it so that Dovecot never writes the directory
                Raw(c, tx, "CREATE TABLE IF NOT EXISTS main.last_login (username TEXT PRIMARY KEY, last_login BIGINT NOT NULL)");
                Raw(c, tx, @"CREATE TABLE IF NOT EXISTS main.quota_usage (username TEXT PRIMARY KEY, bytes BIGINT NOT NULL DEFAULT 0,
                    messages BIGINT NOT NULL DEFAULT 0)");
                tx.Commit();
            }
        }

        /// <summary>SQLite's functions the schema and the stores use, with SQLite's meaning.</summary>
        private static void CreateFunctions(DbConnection c, DbTransaction tx)
        {
            // julianday('now') - julianday(t): days between two times (stored as ISO 8601 text)
            Raw(c, tx, @"CREATE FUNCTION main.julianday(t text) RETURNS double precision LANGUAGE sql STABLE
                AS $f$ SELECT extract(epoch FROM t::timestamptz) / 86400.0 + 2440587.5 $f$");
            // group_concat(value, separator), skipping NULLs like SQLite's
            Raw(c, tx, @"CREATE FUNCTION main.group_concat_step(acc text, v text, sep text) RETURNS text LANGUAGE sql IMMUTABLE
                AS $f$ SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || sep || v END $f$");
            Raw(c, tx, "CREATE AGGREGATE main.group_concat(text, text) (SFUNC = main.group_concat_step, STYPE = text)");
            // glob(pattern, s) is written s ~ main.glob_regex(pattern): SQLite's case-sensitive * ? [...] wildcards as an anchored
            // regular expression. Immutable, so with the pattern bound the planner computes it once, not once per row.
            Raw(c, tx, @"CREATE FUNCTION main.glob_regex(pattern text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
                DECLARE re text := '^'; i int := 1; n int := length(pattern); ch text; p int;
                BEGIN
                    WHILE i <= n LOOP
                        ch := substr(pattern, i, 1);
                        IF ch = '*' THEN re := re || '.*';
                        ELSIF ch = '?' THEN re := re || '.';
                        ELSIF ch = '[' THEN
                            -- a ']' right after '[' is part of the set, as in SQLite
                            p := position(']' IN substr(pattern, i + 2));
                            IF p = 0 THEN re := re || '\[';
                            ELSE re := re || '[' || replace(substr(pattern, i + 1, p), '\', '\\') || ']'; i := i + p + 1;
                            END IF;
                        ELSIF position(ch IN '.+^$(){}|\]') > 0 THEN re := re || '\' || ch;
                        ELSE re := re || ch;
                        END IF;
                        i := i + 1;
                    END LOOP;
                    RETURN re || '$';
                END $f$");
            // COLLATE NOCASE: case-insensitive comparison
            Raw(c, tx, "CREATE COLLATION main.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
        }

        private static void Raw(DbConnection c, DbTransaction tx, string sql)
        {
            using (var cmd = c.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = sql;
                cmd.ExecuteNonQuery();
            }
        }

        public override DbConnection OpenConnection() => _source.OpenConnection();

        public override void ResetConnections() => _source.Clear();

        /// <summary>
        /// One writer at a time, as SQLite's BEGIN IMMEDIATE: the batch waits for the store's write lock as its first statement, and
        /// READ COMMITTED gives each later statement a snapshot taken after the lock, so it sees every batch committed before it.
        /// SERIALIZABLE without the lock let two bulk imports at once fail: group commits of up to 500 pieces conflict on the same
        /// index pages, and a batch lost its serialization conflict eight times in a row (bench/PostgresStore.bench.ps1).
        /// </summary>
        public override DbTransaction BeginWrite(DbConnection c)
        {
            var tx = ((NpgsqlConnection)c).BeginTransaction(IsolationLevel.ReadCommitted);
            try
            {
                LocalDatabase.Scalar(c, tx, "SELECT pg_advisory_xact_lock($k)", ("$k", WriteLockKey));
            }
            catch (NpgsqlException)
            {
                tx.Dispose();
                throw;
            }

            return tx;
        }

        // READ COMMITTED: after waiting for the migration lock, the version read sees what another process committed
        public override DbTransaction BeginMigration(DbConnection c) => ((NpgsqlConnection)c).BeginTransaction(IsolationLevel.ReadCommitted);

        public override bool IsUniqueViolation(Exception e) => e is PostgresException pe && pe.SqlState == PostgresErrorCodes.UniqueViolation;

        public override void LockForMigration(DbConnection c, DbTransaction tx)
            => LocalDatabase.Scalar(c, tx, "SELECT pg_advisory_xact_lock($k)", ("$k", MigrationLockKey));

        public override int ReadVersion(DbConnection c, DbTransaction tx)
            => Convert.ToInt32(LocalDatabase.Scalar(c, tx, "SELECT version FROM main.schema_version"), CultureInfo.InvariantCulture);

        public override void WriteVersion(DbConnection c, DbTransaction tx, int version)
            => LocalDatabase.Exec(c, tx, "UPDATE main.schema_version SET version = $v", ("$v", (long)version));

        // PostgreSQL has no secure_delete: deleted rows stay in the table's pages until VACUUM reuses them. The secrets schema
        // is readable only by the module's role and Dovecot's auth role, and its pages are the server's to protect.
        public override void SecureDelete(DbConnection c, DbTransaction tx)
        {
        }

        public override void BeforeMigrations(DbConnection c)
        {
        }

        // a PostgreSQL store starts at the secrets' own schema, so no secret was ever in 'main'
        public override void CompactAfterSecretsMoved(DbConnection c)
        {
        }

        /// <summary>The statement in PostgreSQL's spelling (each distinct statement is rewritten once per process).</summary>
        public static string TranslateStatement(string sql) => Translated.GetOrAdd(sql, Rewrite);

        private static string Rewrite(string sql)
        {
            var sqliteOnly = SqliteOnly.Match(sql);
            if (sqliteOnly.Success)
            {
                throw new InvalidOperationException($"'{sqliteOnly.Value}' is SQLite only; write the statement so both databases take it: {sql}");
            }

            sql = GlobCall.Replace(sql, "($2 ~ main.glob_regex($1))");
            return IntegerType.Replace(ParameterName.Replace(sql, "@$1"), "BIGINT");
        }

        /// <summary>A $name parameter as @name.</summary>
        public static NpgsqlParameter Parameter(string name, object value)
            => new NpgsqlParameter(name.StartsWith("$", StringComparison.Ordinal) ? "@" + name.Substring(1) : name, ToValue(value));

        /// <summary>The statement with the parameter written as NULL.</summary>
        public static string WithNull(string sql, string name)
            => Regex.Replace(sql, "@" + Regex.Escape(name.TrimStart('$', '@')) + @"\b", "NULL");

        /// <summary>Flags and counts are BIGINT columns: booleans become 0/1 and ints widen, as SQLite stores them.</summary>
        public static object ToValue(object value)
        {
            switch (value)
            {
                case null:
                    return DBNull.Value;
                case bool b:
                    return b ? 1L : 0L;
                case int i:
                    return (long)i;
                default:
                    return value;
            }
        }

        public override bool IsFatal(Exception e) => e is NpgsqlException && (!(e is PostgresException pe) || IsConnectionState(pe.SqlState) || IsRetryable(e));

        public override bool IsRetryable(Exception e)
            => e is PostgresException pe && (pe.SqlState == PostgresErrorCodes.SerializationFailure || pe.SqlState == PostgresErrorCodes.DeadlockDetected);

        public override bool IsConnectionLost(Exception e)
            => e is NpgsqlException && (!(e is PostgresException pe) || IsConnectionState(pe.SqlState));

        /// <summary>Class 08 (connection), 57P (operator intervention: shutdown), 53 (insufficient resources).</summary>
        private static bool IsConnectionState(string state)
            => state != null && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal)
                || state.StartsWith("53", StringComparison.Ordinal));
    }
}
