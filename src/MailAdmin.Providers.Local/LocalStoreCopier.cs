using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using MailAdmin.Errors;
using MailAdmin.Models;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// Copies one Local store into another (SQLite to PostgreSQL and back): every table of the directory and of the secrets, in
    /// foreign-key order, each in key order and in batches, each batch one destination transaction. The source is read in one
    /// snapshot (a read transaction over the whole copy). A copy that stopped (Ctrl+C, a crash, a lost connection) is resumed by
    /// running it again: each table goes on after the destination's highest key, once the rows already there are proved to be
    /// exactly the source's first rows (count and SHA-256 over the rows in key order). A destination that holds anything else is
    /// refused before a row is written. After each table the destination is read back and compared with the source.
    /// Keys are ordered byte-wise on both databases (SQLite's BINARY collation; COLLATE "C" on PostgreSQL), so both agree on
    /// what comes after the highest key.
    /// </summary>
    internal sealed class LocalStoreCopier
    {
        /// <summary>Rows per destination transaction.</summary>
        internal const int BatchRows = 1000;

        /// <summary>
        /// Settings that describe one mail host's files, recorded by Export-MailServerConfig and New-MailDkimKey on the host that
        /// ran them (dovecot.conf's path, the mail root, rspamd's DKIM folder and user). They are not copied: a store in
        /// PostgreSQL is served by several hosts, and a copied path would name a file of the old host. Run
        /// Export-MailServerConfig against the destination on each mail host; it records them there.
        /// </summary>
        internal static readonly string[] HostSettings =
        {
            DovecotAcl.ConfigSetting, DovecotServerState.MailRootSetting, RspamdConfig.ConfigSetting, RspamdConfig.UserSetting,
        };

        /// <summary>
        /// Tables that are not copied: write_batch holds the group-commit writer's markers, meaningful only in the store that wrote
        /// them (and pruned after a day); PostgreSQL's schema_version is the version, compared rather than copied. The mail hosts
        /// a shared store records (mail_host and its API keys), the homes it still has to purge on them (removed_home) and what
        /// their Dovecots wrote (last_login, quota_usage, which a SQLite store keeps in a file beside it) belong to the hosts
        /// serving the source: after a move, Export-MailServerConfig records the hosts of the new store.
        /// </summary>
        internal static readonly string[] NotCopied =
        {
            "main.write_batch", "main.schema_version", "main.mail_host", "secret.mail_host_key", "main.removed_home", "main.last_login",
            "main.quota_usage",
        };

        /// <summary>Every table of the schema, parents before children; the keys give the copy order.</summary>
        internal static readonly CopiedTable[] Tables =
        {
            new CopiedTable("main.settings", "name"),
            new CopiedTable("main.domain", "domain"),
            new CopiedTable("main.mailbox", "username"),
            new CopiedTable("main.mailbox_alias", "address"),
            new CopiedTable("main.mail_group", "address"),
            new CopiedTable("main.group_member", "group_address", "member"),
            new CopiedTable("main.group_sender", "group_address", "sender"),
            new CopiedTable("main.permission", "mailbox", "trustee", "access_right"),
            new CopiedTable("main.dkim_key", "domain"),
            new CopiedTable("main.dkim_key_rotation", "domain", "status"),
            new CopiedTable("main.mail_rule", "mailbox", "name"),
            new CopiedTable("main.auto_reply", "mailbox"),
            new CopiedTable("main.mailbox_policy", "mailbox"),
            new CopiedTable("main.sender_filter", "entry"),
            new CopiedTable("main.mailbox_sender_filter", "mailbox", "entry"),
            new CopiedTable("secret.mailbox_secret", "username"),
            new CopiedTable("secret.app_password", "mailbox", "#slot"),
            new CopiedTable("secret.dkim_private_key", "domain", "selector"),
        };

        private readonly LocalDatabase _source;
        private readonly LocalDatabase _destination;
        private readonly int _batchRows;

        public LocalStoreCopier(LocalDatabase source, LocalDatabase destination, int batchRows = BatchRows)
        {
            _source = source;
            _destination = destination;
            _batchRows = batchRows;
        }

        /// <summary>Copies and verifies table by table, yielding each table's result when it is verified.</summary>
        public IEnumerable<MailStoreCopyResult> Copy(IProgress<MailStoreCopyProgress> progress, CancellationToken ct)
        {
            if (string.Equals(_source.Path, _destination.Path, StringComparison.Ordinal))
            {
                throw MailAdminException.Invalid("StoreCopyToItself", $"The destination is the source store '{_source.Path}'.", _source.Path);
            }

            using (var src = _source.Open())
            using (var snapshot = BeginSnapshot(src))
            using (var dst = _destination.Open())
            {
                CheckSchema(src, snapshot, dst);
                var plans = new List<TablePlan>();
                foreach (var table in Tables)
                {
                    ct.ThrowIfCancellationRequested();
                    plans.Add(Plan(table, src, snapshot, dst, ct));
                }

                var foreign = plans.Where(p => !p.IsPrefix).Select(p => p.Table.Name).ToList();
                if (foreign.Count > 0)
                {
                    foreach (var p in plans)
                    {
                        p.SourceDigest.Dispose();
                    }

                    throw new MailAdminException(MailErrorKind.InvalidOperation, "StoreCopyDestinationNotEmpty",
                        $"The destination '{_destination.Path}' already holds rows that are not a copy of '{_source.Path}' "
                        + $"(in {string.Join(", ", foreign)}). Copy-MailStore copies only into an empty store, or into one that an interrupted "
                        + "copy of the same source left behind (each table's rows the source's first rows, in key order, unchanged); it never "
                        + "merges two stores. Give a new file or an empty database. If the source changed since the interrupted copy, empty the "
                        + "destination and copy again.", _destination.Path);
                }

                for (var i = 0; i < plans.Count; i++)
                {
                    yield return CopyTable(plans[i], i + 1, plans.Count, src, snapshot, dst, progress, ct);
                }

                snapshot.Commit();
            }
        }

        /// <summary>A read transaction that sees one state of the source for the whole copy (children never without their parents).</summary>
        private static DbTransaction BeginSnapshot(DbConnection c)
        {
            switch (c)
            {
                case SqliteConnection s:
                    // a deferred transaction takes the shared lock at the first read and holds it: writers wait until the copy ends
                    return s.BeginTransaction(deferred: true);
                case NpgsqlConnection n:
                    var tx = n.BeginTransaction(IsolationLevel.RepeatableRead);
                    LocalDatabase.Exec(n, tx, "SET TRANSACTION READ ONLY");
                    return tx;
                default:
                    return c.BeginTransaction();
            }
        }

        private void CheckSchema(DbConnection src, DbTransaction snapshot, DbConnection dst)
        {
            var from = _source.Dialect.ReadVersion(src, snapshot);
            var to = _destination.Dialect.ReadVersion(dst, null);
            if (from != to)
            {
                throw new MailAdminException(MailErrorKind.InvalidOperation, "StoreCopySchemaMismatch",
                    $"The source '{_source.Path}' has schema version {from} and the destination '{_destination.Path}' {to}: a store is copied "
                    + "only between stores of the same version. Open both with the same MailAdmin version (opening a store migrates it).",
                    _destination.Path);
            }

            var known = new HashSet<string>(Tables.Select(t => t.Name).Concat(NotCopied), StringComparer.Ordinal);
            foreach (var (c, tx, path) in new[] { (src, snapshot, _source.Path), (dst, (DbTransaction)null, _destination.Path) })
            {
                var unknown = CatalogTables(c, tx).Where(t => !known.Contains(t)).ToList();
                if (unknown.Count > 0)
                {
                    throw new MailAdminException(MailErrorKind.InvalidOperation, "StoreCopyUnknownTable",
                        $"The store '{path}' has tables this module does not know how to copy ({string.Join(", ", unknown)}); nothing was copied.",
                        path);
                }
            }
        }

        /// <summary>The tables of the directory and the secrets, as schema.table.</summary>
        internal static List<string> CatalogTables(DbConnection c, DbTransaction tx)
        {
            var sql = c is NpgsqlConnection
                ? "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                    + "WHERE table_schema IN ('main', 'secret') AND table_type = 'BASE TABLE'"
                : "SELECT 'main.' || name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
                    + "UNION ALL SELECT 'secret.' || name FROM secret.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'";
            return LocalDatabase.Query(c, tx, sql, r => r.GetString(0));
        }

        /// <summary>
        /// Reads what the destination already holds of a table (count, digest, highest key) and, when it holds rows, digests the
        /// source's rows up to that key: the destination may go on only if they are the same rows.
        /// </summary>
        private TablePlan Plan(CopiedTable table, DbConnection src, DbTransaction snapshot, DbConnection dst, CancellationToken ct)
        {
            var columns = Columns(src, snapshot, table);
            var theirs = Columns(dst, null, table);
            if (!columns.OrderBy(x => x, StringComparer.Ordinal).SequenceEqual(theirs.OrderBy(x => x, StringComparer.Ordinal)))
            {
                throw new MailAdminException(MailErrorKind.InvalidOperation, "StoreCopySchemaMismatch",
                    $"The table {table.Name} has other columns in the destination '{_destination.Path}' than in the source; nothing was copied.",
                    _destination.Path);
            }

            var plan = new TablePlan(table, columns);
            using (var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var (count, last) = Scan(dst, null, plan, null, false, digest, null, ct);
                plan.DestinationRows = count;
                plan.LastKey = last;
                plan.DestinationDigest = digest.GetHashAndReset();
            }

            plan.SourceDigest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            if (plan.LastKey != null)
            {
                var (prefix, _) = Scan(src, snapshot, plan, plan.LastKey, false, plan.SourceDigest, null, ct);
                var sofar = plan.SourceDigest.GetCurrentHash();
                plan.IsPrefix = prefix == plan.DestinationRows && CryptographicOperations.FixedTimeEquals(sofar, plan.DestinationDigest);
                plan.PrefixRows = prefix;
            }
            else
            {
                plan.IsPrefix = true;
            }

            return plan;
        }

        private MailStoreCopyResult CopyTable(TablePlan plan, int number, int count, DbConnection src, DbTransaction snapshot, DbConnection dst,
            IProgress<MailStoreCopyProgress> progress, CancellationToken ct)
        {
            var total = Count(src, snapshot, plan.Table, true);
            var skipped = Count(src, snapshot, plan.Table, false) - total;
            var done = plan.PrefixRows;
            void Report() => progress?.Report(new MailStoreCopyProgress
            {
                Table = plan.Table.Name, TableNumber = number, TableCount = count, RowsDone = done, RowsTotal = total,
            });

            Report();
            var batch = new List<object[]>(_batchRows);
            long copied = 0;
            var sourceRows = plan.PrefixRows;

            void Flush()
            {
                ct.ThrowIfCancellationRequested();
                Insert(dst, plan, batch);
                copied += batch.Count;
                done += batch.Count;
                batch.Clear();
                Report();
            }

            var (rest, _) = Scan(src, snapshot, plan, plan.LastKey, true, plan.SourceDigest, row =>
            {
                batch.Add(row);
                if (batch.Count == _batchRows)
                {
                    Flush();
                }
            }, ct);
            if (batch.Count > 0)
            {
                Flush();
            }

            sourceRows += rest;
            var sourceDigest = plan.SourceDigest.GetHashAndReset();
            plan.SourceDigest.Dispose();
            byte[] destinationDigest;
            long destinationRows;
            using (var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                (destinationRows, _) = Scan(dst, null, plan, null, false, digest, null, ct);
                destinationDigest = digest.GetHashAndReset();
            }

            return new MailStoreCopyResult
            {
                Table = plan.Table.Name,
                SourceRows = sourceRows,
                CopiedRows = copied,
                DestinationRows = destinationRows,
                SkippedRows = skipped,
                Verified = sourceRows == destinationRows && sourceRows == total && CryptographicOperations.FixedTimeEquals(sourceDigest, destinationDigest),
                Destination = _destination.Path,
            };
        }

        /// <summary>
        /// Reads a table in key order into the digest, row by row. With a key: after it (after = true) or up to it (after = false).
        /// Returns the rows read and the last row's key.
        /// </summary>
        private static (long rows, object[] lastKey) Scan(DbConnection c, DbTransaction tx, TablePlan plan, object[] key, bool after,
            IncrementalHash digest, Action<object[]> each, CancellationToken ct)
        {
            var t = plan.Table;
            var pg = c is NpgsqlConnection;
            var sql = new StringBuilder("SELECT ").Append(string.Join(", ", plan.Columns)).Append(" FROM ").Append(t.Name).Append(" WHERE ").Append(t.Filter);
            var args = new List<(string, object)>();
            if (key != null)
            {
                sql.Append(after ? " AND (" : " AND NOT (").Append(After(t, pg)).Append(')');
                for (var i = 0; i < t.Keys.Length; i++)
                {
                    args.Add(("$k" + i.ToString(CultureInfo.InvariantCulture), key[i]));
                }
            }

            sql.Append(" ORDER BY ").Append(string.Join(", ", t.Keys.Select((k, i) => k + Collate(t, i, pg))));
            long rows = 0;
            object[] last = null;
            var keyIndex = t.Keys.Select(k => Array.IndexOf(plan.Columns, k)).ToArray();
            using (var cmd = LocalDatabase.Command(c, tx, sql.ToString(), args.ToArray()))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    var row = new object[plan.Columns.Length];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = Normalize(r.GetValue(i));
                    }

                    AppendRow(digest, row);
                    if (++rows % 4096 == 0)
                    {
                        ct.ThrowIfCancellationRequested();
                    }

                    last = keyIndex.Select(i => row[i]).ToArray();
                    each?.Invoke(row);
                }
            }

            return (rows, last);
        }

        /// <summary>(k0 &gt; $k0) OR (k0 = $k0 AND k1 &gt; $k1) ...: the rows after a key, in the copy order.</summary>
        private static string After(CopiedTable t, bool pg)
        {
            var terms = new List<string>();
            for (var i = 0; i < t.Keys.Length; i++)
            {
                var parts = new List<string>();
                for (var j = 0; j < i; j++)
                {
                    parts.Add($"{t.Keys[j]}{Collate(t, j, pg)} = $k{j.ToString(CultureInfo.InvariantCulture)}");
                }

                parts.Add($"{t.Keys[i]}{Collate(t, i, pg)} > $k{i.ToString(CultureInfo.InvariantCulture)}");
                terms.Add("(" + string.Join(" AND ", parts) + ")");
            }

            return string.Join(" OR ", terms);
        }

        /// <summary>Byte order for text keys on PostgreSQL (its default collation follows the locale); SQLite's default is byte order.</summary>
        private static string Collate(CopiedTable t, int key, bool pg) => pg && !t.IntegerKeys[key] ? " COLLATE \"C\"" : "";

        private static long Count(DbConnection c, DbTransaction tx, CopiedTable t, bool filtered)
            => Convert.ToInt64(LocalDatabase.Scalar(c, tx, $"SELECT count(*) FROM {t.Name}" + (filtered ? " WHERE " + t.Filter : "")),
                CultureInfo.InvariantCulture);

        private static string[] Columns(DbConnection c, DbTransaction tx, CopiedTable t)
        {
            using (var cmd = LocalDatabase.Command(c, tx, $"SELECT * FROM {t.Name} WHERE 1 = 0"))
            using (var r = cmd.ExecuteReader())
            {
                return Enumerable.Range(0, r.FieldCount).Select(i => r.GetName(i).ToLowerInvariant()).ToArray();
            }
        }

        /// <summary>One batch in one destination transaction (run again whole if PostgreSQL reports a conflict).</summary>
        private void Insert(DbConnection dst, TablePlan plan, List<object[]> rows)
        {
            var dialect = _destination.Dialect;
            var perStatement = Math.Max(1, Math.Min(rows.Count, 900 / plan.Columns.Length));
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    using (var tx = dialect.BeginWrite(dst))
                    {
                        for (var start = 0; start < rows.Count; start += perStatement)
                        {
                            using (var cmd = InsertCommand(dst, tx, plan, rows, start, Math.Min(perStatement, rows.Count - start)))
                            {
                                cmd.ExecuteNonQuery();
                            }
                        }

                        tx.Commit();
                        return;
                    }
                }
                catch (DbException e) when (dialect.IsRetryable(e) && attempt < 5)
                {
                    Thread.Sleep(20 * attempt);
                }
                catch (DbException e)
                {
                    // the batch rolled back whole: a re-run goes on after the last batch that committed
                    throw new MailAdminException(MailErrorKind.ConnectionError, "StoreCopyFailed",
                        $"Copying {plan.Table.Name} into '{_destination.Path}' failed ({dialect.Name}: {e.Message}). The rows committed so far "
                        + "stay; run Copy-MailStore again to go on from there.", _destination.Path, e);
                }
            }
        }

        private static DbCommand InsertCommand(DbConnection c, DbTransaction tx, TablePlan plan, List<object[]> rows, int start, int count)
        {
            var pg = c is NpgsqlConnection;
            var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            var sql = new StringBuilder("INSERT INTO ").Append(plan.Table.Name).Append(" (").Append(string.Join(", ", plan.Columns)).Append(") VALUES ");
            var n = 0;
            for (var r = 0; r < count; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                var row = rows[start + r];
                for (var i = 0; i < row.Length; i++)
                {
                    var name = "p" + (n++).ToString(CultureInfo.InvariantCulture);
                    sql.Append(i == 0 ? "" : ", ").Append(pg ? "@" : "$").Append(name);
                    var p = cmd.CreateParameter();
                    p.ParameterName = pg ? name : "$" + name;
                    p.Value = row[i] ?? DBNull.Value;
                    cmd.Parameters.Add(p);
                }

                sql.Append(')');
            }

            cmd.CommandText = sql.ToString();
            return cmd;
        }

        /// <summary>The same value read from either database: integers as long, text as string, NULL as null.</summary>
        private static object Normalize(object v)
        {
            switch (v)
            {
                case DBNull _:
                    return null;
                case int i:
                    return (long)i;
                case short s:
                    return (long)s;
                case bool b:
                    return b ? 1L : 0L;
                default:
                    return v;
            }
        }

        /// <summary>A row into the digest: each value tagged with its type and length, so no two rows encode alike.</summary>
        private static void AppendRow(IncrementalHash digest, object[] row)
        {
            foreach (var v in row)
            {
                byte[] bytes;
                byte tag;
                switch (v)
                {
                    case null:
                        tag = 0;
                        bytes = Array.Empty<byte>();
                        break;
                    case long l:
                        tag = 1;
                        bytes = BitConverter.GetBytes(l);
                        break;
                    case string s:
                        tag = 2;
                        bytes = Encoding.UTF8.GetBytes(s);
                        break;
                    case double d:
                        tag = 3;
                        bytes = BitConverter.GetBytes(d);
                        break;
                    case byte[] b:
                        tag = 4;
                        bytes = b;
                        break;
                    default:
                        tag = 5;
                        bytes = Encoding.UTF8.GetBytes(Convert.ToString(v, CultureInfo.InvariantCulture) ?? "");
                        break;
                }

                digest.AppendData(new[] { tag });
                digest.AppendData(BitConverter.GetBytes(bytes.Length));
                digest.AppendData(bytes);
            }

            digest.AppendData(new byte[] { 0xFF });
        }

        /// <summary>A table to copy: schema.name, its primary key in order ('#' marks an integer key column), and which rows.</summary>
        internal sealed class CopiedTable
        {
            public CopiedTable(string name, params string[] keys)
            {
                Name = name;
                Keys = keys.Select(k => k.TrimStart('#')).ToArray();
                IntegerKeys = keys.Select(k => k.StartsWith("#", StringComparison.Ordinal)).ToArray();
                Filter = name == "main.settings"
                    ? "name NOT IN (" + string.Join(", ", HostSettings.Select(s => "'" + s + "'")) + ")"
                    : "1 = 1";
            }

            public string Name { get; }

            public string[] Keys { get; }

            public bool[] IntegerKeys { get; }

            /// <summary>The rows copied and compared (settings: all but the host-specific ones).</summary>
            public string Filter { get; }
        }

        private sealed class TablePlan
        {
            public TablePlan(CopiedTable table, string[] columns)
            {
                Table = table;
                Columns = columns;
            }

            public CopiedTable Table { get; }

            public string[] Columns { get; }

            public long DestinationRows { get; set; }

            public byte[] DestinationDigest { get; set; }

            public object[] LastKey { get; set; }

            public bool IsPrefix { get; set; }

            public long PrefixRows { get; set; }

            /// <summary>The source's rows up to the destination's highest key, continued with the rows copied after it.</summary>
            public IncrementalHash SourceDigest { get; set; }
        }
    }
}
