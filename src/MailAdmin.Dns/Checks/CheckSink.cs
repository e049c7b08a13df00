using System.Collections.Generic;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>Collects the rows of one domain's checks.</summary>
    public sealed class CheckSink
    {
        /// <summary>The rows so far, in the order the checks made them.</summary>
        public List<MailCheck> Checks { get; } = new List<MailCheck>();

        /// <summary>Adds one row of a check: its area comes from the catalogue, and so does its reference unless the row
        /// names a more precise one.</summary>
        public MailCheck Add(
            MailCheckId id,
            string name,
            MailCheckStatus status,
            string summary,
            string reference = null,
            IEnumerable<string> records = null,
            string detail = null)
        {
            var c = MailCheck.Create(id, name, status, summary, reference, records, detail);
            Checks.Add(c);
            return c;
        }
    }
}
