using System;
using System.Collections.Generic;
using System.IO;
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
            using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
            {
                c.Open();
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "CREATE TABLE IF NOT EXISTS last_login (username TEXT PRIMARY KEY, last_login INTEGER NOT NULL)";
                    cmd.ExecuteNonQuery();
                }
            }
        }

        /// <summary>Last logins by mailbox, or null when the file does not exist (the store is not served, or not yet).</summary>
        public static Dictionary<string, DateTime> Read(string path)
        {
            if (!File.Exists(path)) return null;
            var result = new Dictionary<string, DateTime>(StringComparer.OrdinalIgnoreCase);
            using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            {
                c.Open();
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "SELECT username, last_login FROM last_login";
                    using (var r = cmd.ExecuteReader())
                        while (r.Read())
                            result[r.GetString(0)] = DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(1)).UtcDateTime;
                }
            }
            return result;
        }
    }

    public sealed partial class LocalMailProvider : MailAdmin.Abstractions.ILastLoginSource
    {
        public System.Threading.Tasks.Task<IReadOnlyDictionary<string, DateTime>> GetLastLoginsAsync(System.Threading.CancellationToken ct)
            => System.Threading.Tasks.Task.FromResult<IReadOnlyDictionary<string, DateTime>>(LastLogins.Read(ServerConfigWriter.LoginsPathFor(StorePath)));
    }
}
