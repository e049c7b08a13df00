using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Errors;
using MailAdmin.Reports;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Reviews the whole directory for what an admin should look at regularly.</summary>
    /// <remarks>
    /// Findings: administrators; mailboxes that sign in without secure login (ForceSecureLogin off); passwords older than
    /// -StaleDays (or the policy's expiry) and mailboxes without one; rules that forward outside the organisation; disabled
    /// mailboxes that were never removed; groups open to Anyone; and each domain's failed Test-MailDomain checks (unless
    /// -SkipDns). Objects by default, for Where-Object and Export-Csv; -AsHtml writes one self-contained page (no scripts,
    /// no external files) to -Path, or returns it as text. Built to run weekly from a scheduled script.
    /// </remarks>
    /// <example>
    /// <code>Get-MailSecurityReport | Group-Object Category | Sort-Object Count -Descending</code>
    /// <para>How many findings of each kind.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailSecurityReport -AsHtml -Path "/srv/reports/mail-$(Get-Date -Format yyyy-MM-dd).html"</code>
    /// <para>The weekly page for a cron job.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailSecurityReport -SkipDns | Where-Object Severity -eq High | Export-Csv high.csv</code>
    /// <para>Only the urgent findings, without asking DNS.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailSecurityReport", DefaultParameterSetName = "Objects")]
    [OutputType(typeof(MailSecurityFinding), ParameterSetName = new[] { "Objects" })]
    [OutputType(typeof(string), typeof(System.IO.FileInfo), ParameterSetName = new[] { "Html" })]
    public sealed class GetMailSecurityReportCommand : MailAdminConnectedCmdlet
    {
        /// <summary>A password older than this many days is stale (default 180; the policy's expiry when shorter).</summary>
        [Parameter][ValidateRange(1, 3650)] public int StaleDays { get; set; } = 180;
        /// <summary>Do not run the domains' DNS checks.</summary>
        [Parameter] public SwitchParameter SkipDns { get; set; }
        /// <summary>DNS servers for the domain checks (default: the system resolver).</summary>
        [Parameter] public string[] DnsServer { get; set; }
        /// <summary>Writes an HTML page instead of objects.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Html")] public SwitchParameter AsHtml { get; set; }
        /// <summary>With -AsHtml: the file to write (otherwise the page is returned as text).</summary>
        [Parameter(ParameterSetName = "Html")] public string Path { get; set; }

        protected override void ProcessItem()
        {
            var progress = new ProgressRecord(1, "Get-MailSecurityReport", "Reading the directory");
            var queue = new System.Collections.Concurrent.ConcurrentQueue<string>();
            Func<string, System.Threading.CancellationToken, System.Threading.Tasks.Task<MailAdmin.Models.MailDomainReport>> check = null;
            if (!SkipDns)
            {
                var checker = new MailAdmin.Dns.Checks.DomainChecker(new MailAdmin.Dns.CachingResolver(CreateResolver(DnsServer, 3)));
                check = (domain, ct) => checker.CheckAsync(domain, new MailAdmin.Dns.Checks.DomainCheckOptions(), ct);
            }
            var task = SecurityReportBuilder.BuildAsync(Provider, StaleDays, DateTime.UtcNow, new SyncProgress<string>(queue.Enqueue), check, StopToken);
            var findings = AwaitPolling(task, () =>
            {
                while (queue.TryDequeue(out var s))
                {
                    progress.StatusDescription = "Reading " + s;
                    WriteProgress(progress);
                }
            });
            WriteProgress(new ProgressRecord(1, "Get-MailSecurityReport", "Done") { RecordType = ProgressRecordType.Completed });
            if (!AsHtml)
            {
                foreach (var f in findings)
                {
                    WriteObject(f);
                }

                return;
            }
            var html = SecurityReportBuilder.ToHtml(findings, $"Mail security report: {Provider.Target}", DateTime.UtcNow);
            if (string.IsNullOrEmpty(Path))
            {
                WriteObject(html);
                return;
            }
            var file = GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(file, "Write the security report"))
            {
                return;
            }

            System.IO.File.WriteAllText(file, html, new System.Text.UTF8Encoding(false));
            WriteObject(new System.IO.FileInfo(file));
        }
    }
}
