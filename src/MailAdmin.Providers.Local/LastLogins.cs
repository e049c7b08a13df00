using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Data.Sqlite;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// The file Dovecot's last_login plugin writes (through its SQL dict): one row per mailbox with the Unix time of its last
    /// IMAP or POP3 login. Kept apart from the store so that Dovecot never writes the directory.
    /// </summary>
    internal static class LastLogins
    {
        public static void CreateStore(string path)
        {
            using (var c = new SqliteConnection(
                new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
            {
                c.Open();
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "CREATE TABLE IF NOT EXISTS last_login (username TEXT PRIMARY KEY, last_login INTEGER NOT NULL)";
                    cmd.ExecuteNonQuery();
                    // Dovecot's quota_clone plugin keeps each mailbox's used space here
                    cmd.CommandText = "CREATE TABLE IF NOT EXISTS quota_usage (username TEXT PRIMARY KEY, bytes INTEGER NOT NULL DEFAULT 0, messages INTEGER "
                        + "NOT NULL DEFAULT 0)";
                    cmd.ExecuteNonQuery();
                }
            }
        }

        private static SqliteConnection Open(string path, SqliteOpenMode mode)
        {
            var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = 10 }.ToString());
            c.Open();
            return c;
        }

        private static bool HasTable(SqliteConnection c, string table)
        {
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $t";
                cmd.Parameters.AddWithValue("$t", table);
                return cmd.ExecuteScalar() != null;
            }
        }

        /// <summary>Used bytes by mailbox for the given mailboxes (those the file knows), or an empty map without the file.</summary>
        public static Dictionary<string, long> Usage(string path, IReadOnlyCollection<string> usernames)
        {
            var result = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            if (usernames.Count == 0 || !File.Exists(path))
            {
                return result;
            }

            using (var c = Open(path, SqliteOpenMode.ReadOnly))
            {
                if (!HasTable(c, "quota_usage"))
                {
                    return result;
                }

                using (var cmd = c.CreateCommand())
                {
                    var names = new List<string>();
                    var i = 0;
                    foreach (var u in usernames)
                    {
                        var p = "$u" + i++;
                        names.Add(p);
                        cmd.Parameters.AddWithValue(p, u);
                    }
                    cmd.CommandText = $"SELECT username, bytes FROM quota_usage WHERE username IN ({string.Join(",", names)})";
                    using (var r = cmd.ExecuteReader())
                    {
                        while (r.Read())
                        {
                            result[r.GetString(0)] = r.GetInt64(1);
                        }
                    }
                }
            }
            return result;
        }

        /// <summary>Every mailbox the file has a login or usage row for.</summary>
        public static List<string> Users(string path)
        {
            var result = new List<string>();
            using (var c = Open(path, SqliteOpenMode.ReadOnly))
            {
                var tables = new[] { "last_login", "quota_usage" }.Where(t => HasTable(c, t)).ToList();
                if (tables.Count == 0)
                {
                    return result;
                }

                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = string.Join(" UNION ", tables.Select(t => $"SELECT username FROM {t}"));
                    using (var r = cmd.ExecuteReader())
                    {
                        while (r.Read())
                        {
                            result.Add(r.GetString(0));
                        }
                    }
                }
            }
            return result;
        }

        /// <summary>Drops the rows of removed mailboxes (a re-created address starts with no login history).</summary>
        public static void Forget(string path, IEnumerable<string> usernames)
        {
            using (var c = Open(path, SqliteOpenMode.ReadWrite))
            using (var tx = c.BeginTransaction())
            {
                foreach (var t in new[] { "last_login", "quota_usage" }.Where(t => HasTable(c, t)))
                    foreach (var u in usernames)
                        using (var cmd = c.CreateCommand())
                        {
                            cmd.Transaction = tx;
                            cmd.CommandText = $"DELETE FROM {t} WHERE username = $u COLLATE NOCASE";
                            cmd.Parameters.AddWithValue("$u", u);
                            cmd.ExecuteNonQuery();
                        }
                tx.Commit();
            }
        }

        /// <summary>Last logins by mailbox, or null when the file does not exist (the store is not served, or not yet).</summary>
        public static Dictionary<string, DateTime> Read(string path)
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var result = new Dictionary<string, DateTime>(StringComparer.OrdinalIgnoreCase);
            using (var c = new SqliteConnection(
                new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            {
                c.Open();
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT username, last_login FROM last_login";
                    using (var r = cmd.ExecuteReader())
                        while (r.Read())
                        {
                            result[r.GetString(0)] = DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(1)).UtcDateTime;
                        }
                }
            }
            return result;
        }
    }
}
