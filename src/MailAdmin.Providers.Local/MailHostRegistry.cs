using System;
using System.Collections.Generic;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>The mail hosts recorded in the store by Export-MailServerConfig (a store in PostgreSQL).</summary>
    internal sealed class MailHostRegistry : LocalStorePart
    {
        internal MailHostRegistry(LocalStore s)
            : base(s)
        {
        }

        public void Register(string name, Uri doveadmUrl, string mailRoot, SecretText apiKey)
        {
            _db.Write((c, tx) =>
            {
                LocalDatabase.Exec(c, tx, @"INSERT INTO mail_host(name, doveadm_url, mail_root, added_at) VALUES($n, $u, $r, $t)
                    ON CONFLICT(name) DO UPDATE SET doveadm_url = excluded.doveadm_url, mail_root = excluded.mail_root",
                    ("$n", name), ("$u", doveadmUrl.ToString()), ("$r", mailRoot.TrimEnd('/')), ("$t", LocalDatabase.Now()));
                LocalDatabase.Exec(c, tx, @"INSERT INTO secret.mail_host_key(name, api_key) VALUES($n, $k)
                    ON CONFLICT(name) DO UPDATE SET api_key = excluded.api_key", ("$n", name), ("$k", apiKey.Reveal()));
                return 0;
            });
        }

        public IReadOnlyList<MailHost> List()
            => _db.Read(c => LocalDatabase.Query(c, null,
                @"SELECT h.name, h.doveadm_url, h.mail_root, k.api_key FROM mail_host h JOIN secret.mail_host_key k ON k.name = h.name ORDER BY h.name",
                r => new MailHost
                {
                    Name = r.GetString(0),
                    DoveadmUrl = new Uri(r.GetString(1)),
                    MailRoot = r.GetString(2),
                    ApiKey = new SecretText(r.GetString(3)),
                }));
    }
}
