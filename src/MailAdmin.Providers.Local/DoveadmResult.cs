using System.Collections.Generic;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.Local
{
    /// <summary>The rows a doveadm command answered; NotFound when it answered "no such user/script/session".</summary>
    internal sealed class DoveadmResult
    {
        public DoveadmResult(JArray rows, bool notFound)
        {
            Rows = rows;
            NotFound = notFound;
        }

        public JArray Rows { get; }

        public bool NotFound { get; }

        public IEnumerable<string> Values(string field)
        {
            foreach (var row in Rows)
            {
                var v = row[field]?.Value<string>();
                if (v != null)
                {
                    yield return v;
                }
            }
        }
    }
}
