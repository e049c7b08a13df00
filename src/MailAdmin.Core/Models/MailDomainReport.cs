using System;
using System.Collections.Generic;
using System.Linq;

namespace MailAdmin.Models
{
    /// <summary>All checks of one domain.</summary>
    public sealed class MailDomainReport
    {
        public string Domain { get; set; }
        /// <summary>The worst status of any check.</summary>
        public MailCheckStatus Status => Checks.Count == 0 ? MailCheckStatus.Pass : Checks.Max(c => c.Status);
        public int Passed => Checks.Count(c => c.Status == MailCheckStatus.Pass);
        public int Warnings => Checks.Count(c => c.Status == MailCheckStatus.Warning);
        public int Failures => Checks.Count(c => c.Status == MailCheckStatus.Fail);
        public int Infos => Checks.Count(c => c.Status == MailCheckStatus.Info);
        public List<MailCheck> Checks { get; set; } = new List<MailCheck>();
        /// <summary>The summaries of the failed and warning checks, worst first.</summary>
        public string[] Problems =>
            Checks.Where(c => c.Status >= MailCheckStatus.Warning).OrderByDescending(c => c.Status).Select(c => $"{c.Status}: {c.Summary}").ToArray();
        /// <summary>DNS questions sent for this domain (after the run's cache).</summary>
        public int DnsQueries { get; set; }
        public TimeSpan Duration { get; set; }
        /// <summary>For -SpfIp: the evaluation of that sender against the domain's SPF policy.</summary>
        public string SpfResult { get; set; }
        public string SpfExplanation { get; set; }
        public override string ToString() => $"{Domain}: {Status} ({Failures} fail, {Warnings} warn)";
    }
}
