using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.DnsHosting
{
    /// <summary>One line of a publishing plan: a required record, what the host holds now, and what will change.</summary>
    public sealed class DnsPlanItem
    {
        public string Zone { get; set; }
        public string Name { get; set; }
        public string Type { get; set; }
        /// <summary>The value the host will hold (for SPF: the merged record).</summary>
        public string Value { get; set; }
        public int? Priority { get; set; }
        public int Ttl { get; set; }
        public MailDnsPurpose Purpose { get; set; }
        public DnsChangeAction Action { get; set; }
        /// <summary>The record it replaces (Update), matches (Unchanged) or deletes (Remove).</summary>
        public DnsHostRecord Existing { get; set; }
        public string OldValue => Existing?.Value;
        /// <summary>Why it is refused, or what the merge kept.</summary>
        public string Reason { get; set; }
        /// <summary>For a refusal: the stable error id (DnsCnameConflict, DuplicateSpfRecord, SpfLookupLimit, ...).</summary>
        public string ErrorId { get; set; }
        /// <summary>Planned, Applied, Unchanged, Refused or Failed.</summary>
        public string Status { get; set; } = "Planned";
        /// <summary>The failure of this record when the host refused it.</summary>
        public MailAdminException Error { get; set; }
        public string DnsHost { get; set; }
        public override string ToString() => $"{Action} {Name} {Type} {(Priority.HasValue ? Priority + " " : "")}{Value}";
    }
}
