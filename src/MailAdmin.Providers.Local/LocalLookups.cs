using System.Globalization;
using System.Data.Common;

namespace MailAdmin.Providers.Local
{
    /// <summary>Settings rows of the store, shared by every store of the Local provider.</summary>
    internal static class LocalLookups
    {

        internal const string MinPasswordLengthKey = "min_password_length";
        internal const string PasswordHashCostKey = "password_hash_cost";

        internal static int GetIntSetting(DbConnection c, DbTransaction tx, string name, int fallback)
        {
            var v = LocalDatabase.Scalar(c, tx, "SELECT value FROM settings WHERE name = $n", ("$n", name)) as string;
            return v != null && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : fallback;
        }

        internal static void SetSetting(DbConnection c, DbTransaction tx, string name, string value)
            => LocalDatabase.Exec(c, tx, "INSERT INTO settings(name, value) VALUES($n, $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                ("$n", name), ("$v", value));
    }
}
