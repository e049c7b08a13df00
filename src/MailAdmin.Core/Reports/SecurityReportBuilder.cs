using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

using MailAdmin.Validation;

namespace MailAdmin.Reports
{
    /// <summary>Reads the whole directory through the provider's interfaces and lists what an admin should review.</summary>
    public static class SecurityReportBuilder
    {
        public const string Admins = "Administrator";
        public const string NoSecureLogin = "NoSecureLogin";
        public const string StalePassword = "StalePassword";
        public const string NoPassword = "NoPassword";
        public const string ExternalForward = "ExternalForwarding";
        public const string DisabledMailbox = "DisabledNotRemoved";
        public const string OpenGroup = "GroupOpenToAnyone";
        public const string DomainDns = "DomainDns";
        public const string NeverSignedIn = "NeverSignedIn";
        public const string Dormant = "Dormant";
        public const string QuotaNearlyFull = "QuotaNearlyFull";
        public const string ServerDrift = "MailServerDrift";
        public const string UserSieveScript = "UserSieveScript";

        private static async Task<List<T>> All<T>(IAsyncEnumerable<T> items, CancellationToken ct)
        {
            var list = new List<T>();
            await foreach (var item in items.WithCancellation(ct).ConfigureAwait(false))
            {
                list.Add(item);
            }

            return list;
        }

        /// <summary>Findings over mailboxes, settings, rules and groups; a password older than staleDays (or the policy's expiry) is stale.</summary>
        /// <param name="checkDomain">Runs Test-MailDomain's checks on a domain (null: no DNS review); its failures become findings.</param>
        public static async Task<List<MailSecurityFinding>> BuildAsync(IMailProvider provider, int staleDays, DateTime now, IProgress<string> progress,
            Func<string, CancellationToken, Task<MailDomainReport>> checkDomain, CancellationToken ct)
        {
            var findings = new List<MailSecurityFinding>();
            void Add(string cat, MailFindingSeverity sev, string target, string detail)
                => findings.Add(new MailSecurityFinding { Category = cat, Severity = sev, Target = target, Detail = detail, Provider = provider.Name });
            var domains = provider is IDomainStore ds ? (await All(ds.ListDomains(null), ct).ConfigureAwait(false)).Select(d => d.AsciiName ?? d.Name).ToList()
                : new List<string>();
            var ours = new HashSet<string>(domains, StringComparer.OrdinalIgnoreCase);
            MailSecurityPolicy policy = null;
            if (provider is ISecurityPolicyStore ps)
            {
                try
                {
                    policy = await ps.GetSecurityPolicyAsync(null, ct).ConfigureAwait(false);
                }
                catch (MailAdminException e) when (e.Kind == MailErrorKind.NotSupported)
                {
                    // the provider keeps no security policy: the report goes on without one (policy stays null)
                    policy = null;
                }
            }
            if (policy != null && policy.PasswordMaxAgeDays > 0)
            {
                staleDays = Math.Min(staleDays, policy.PasswordMaxAgeDays.Value);
            }

            if (provider is IMailboxStore ms)
            {
                progress?.Report("mailboxes");
                var mailboxes = await All(ms.ListMailboxes(new MailboxQuery()), ct).ConfigureAwait(false);
                var settings = provider as IMailboxSettingsStore;
                var i = 0;
                IReadOnlyDictionary<string, DateTime> logins = null;
                if (provider is ILastLoginSource ls)
                {
                    logins = await ls.GetLastLoginsAsync(ct).ConfigureAwait(false);
                    if (logins == null)
                    {
                        Add(NeverSignedIn, MailFindingSeverity.Info, provider.Name,
                            "sign-ins are not recorded yet (Export-MailServerConfig sets Dovecot up to record them), so unused mailboxes cannot be found.");
                    }
                }
                var ageUnknown = mailboxes.Count(m => m.HasPassword && !m.PasswordLastSet.HasValue);
                if (ageUnknown > 0)
                {
                    Add(StalePassword, MailFindingSeverity.Info, provider.Name,
                        $"{ageUnknown} mailbox(es) without a password date: the provider does not report when passwords were set, so their age cannot be "
                            + "reviewed here.");
                }

                foreach (var m in mailboxes)
                {
                    ct.ThrowIfCancellationRequested();
                    if (++i % 200 == 0)
                    {
                        progress?.Report($"mailbox {i} of {mailboxes.Count}");
                    }

                    if (m.Role == MailRole.Admin)
                    {
                        Add(Admins, MailFindingSeverity.Info, m.Address, "has the Admin role: review that it still needs it.");
                    }

                    if (!m.Enabled)
                    {
                        Add(DisabledMailbox, MailFindingSeverity.Warning, m.Address,
                            "is disabled but not removed: its mail and rights stay; remove it or note why it is kept.");
                    }

                    if (logins != null && m.Enabled && m.HasPassword)
                    {
                        // Dovecot records the login name: the ASCII (A-label) form of an internationalised address
                        var loginName = MailNames.TryNormalizeAddress(m.Address, out var ascii) ? ascii : m.Address;
                        if (!logins.TryGetValue(loginName, out var last) && !logins.TryGetValue(m.Address, out last))
                        {
                            if ((now - m.CreatedAt).TotalDays > 30)
                            {
                                Add(NeverSignedIn, MailFindingSeverity.Warning, m.Address,
                                    $"has a password but never signed in to IMAP or POP3 since it was made on {m.CreatedAt:yyyy-MM-dd}: disable it, or hand "
                                        + "the password over.");
                            }
                        }
                        else if ((now - last).TotalDays > staleDays)
                            Add(Dormant, MailFindingSeverity.Info, m.Address, $"last signed in {last:yyyy-MM-dd}, {(int)(now - last).TotalDays} days ago.");
                    }
                    // a shared mailbox has no password by design
                    if (!m.HasPassword && !m.IsShared)
                        Add(NoPassword, MailFindingSeverity.Info, m.Address,
                            "has no password: nobody can sign in to it (if nobody should, make it a shared mailbox: Set-Mailbox -Type Shared).");
                    else if (m.PasswordLastSet.HasValue && (now - m.PasswordLastSet.Value).TotalDays > staleDays)
                    {
                        Add(StalePassword, MailFindingSeverity.Warning, m.Address,
                            $"password last set {m.PasswordLastSet.Value:yyyy-MM-dd}, {(int)(now - m.PasswordLastSet.Value).TotalDays} days ago (limit "
                                + $"{staleDays}).");
                    }

                    if (m.QuotaUsedPercent >= 90)
                    {
                        Add(QuotaNearlyFull, MailFindingSeverity.Warning, m.Address,
                            $"uses {m.UsedMB:0.##} MB of its {m.QuotaMB} MB quota ({m.QuotaUsedPercent:0.#}%): mail to it is refused once it is full. Raise "
                                + "QuotaMB or clean up.");
                    }

                    if (settings != null && m.Enabled)
                    {
                        try
                        {
                            var s = await settings.GetSettingsAsync(m.Address, ct).ConfigureAwait(false);
                            if (!s.ForceSecureLogin && !(policy?.ForceSecureLogin ?? false))
                            {
                                Add(NoSecureLogin, MailFindingSeverity.Warning, m.Address,
                                    "signs in to IMAP/POP/SMTP with its main password (ForceSecureLogin is off).");
                            }
                        }
                        catch (MailAdminException e) when (e.Kind == MailErrorKind.NotSupported)
                        {
                            settings = null;
                        }
                    }
                }
            }
            if (provider is IMailRuleStore rs)
            {
                progress?.Report("rules");
                foreach (var r in await rs.GetRulesAsync(null, ct).ConfigureAwait(false))
                {
                    var external = (r.ForwardTo ?? new string[0]).Where(f => f.Contains("@") && !ours.Contains(f.Substring(f.LastIndexOf('@') + 1))).ToList();
                    if (external.Count > 0 && r.Enabled)
                    {
                        Add(ExternalForward, MailFindingSeverity.High, r.Mailbox,
                            $"rule '{r.Name}' forwards mail outside the organisation to {string.Join(", ", external)}.");
                    }
                }
            }
            if (provider is IGroupStore gs)
            {
                progress?.Report("groups");
                List<MailGroup> groups = null;
                try
                {
                    groups = await All(gs.ListGroups(null), ct).ConfigureAwait(false);
                }
                catch (MailAdminException e) when (e.Kind == MailErrorKind.NotSupported)
                {
                    Add(OpenGroup, MailFindingSeverity.Info, provider.Name, "groups were not reviewed: " + e.Message);
                }
                foreach (var g in groups ?? new List<MailGroup>())
                    if (g.WhoCanSend == MailGroupSenderPolicy.Anyone)
                    {
                        Add(OpenGroup, MailFindingSeverity.Warning, g.Address,
                            "takes mail from anyone on the internet (WhoCanSend Anyone): a spam and phishing target.");
                    }
            }
            if (provider is IMailServerStateStore server)
            {
                progress?.Report("the mail server's state");
                foreach (var c in server.Reconcile(false, null, ct))
                {
                    if (c.Component == "Sieve" && c.Change == "Reported")
                    {
                        Add(UserSieveScript, c.Detail.Contains("redirects") ? MailFindingSeverity.High : MailFindingSeverity.Warning, c.Mailbox,
                            c.Detail + ": review it (Postfix still holds its forwards to the mailbox's send scope).");
                    }
                    else
                    {
                        Add(ServerDrift, MailFindingSeverity.Warning, c.Mailbox ?? provider.Name,
                            $"{c.Component}: {c.Detail}. Run Sync-MailServerState to make the server match the store.");
                    }
                }
            }
            if (checkDomain != null)
                foreach (var d in domains)
                {
                    progress?.Report("the DNS of " + d);
                    findings.AddRange(FromDomainReport(await checkDomain(d, ct).ConfigureAwait(false), provider.Name));
                }
            return findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Category, StringComparer.Ordinal).ThenBy(
                f => f.Target, StringComparer.Ordinal).ToList();
        }

        /// <summary>Findings from Test-MailDomain reports: each failed check becomes one.</summary>
        public static IEnumerable<MailSecurityFinding> FromDomainReport(MailDomainReport report, string provider)
            => report.Checks.Where(c => c.Status == MailCheckStatus.Fail).Select(c => new MailSecurityFinding
            {
                Category = DomainDns,
                Severity = MailFindingSeverity.High,
                Target = report.Domain,
                Provider = provider,
                Detail = $"check {c.Id} {c.Name}: {c.Summary}",
            });

        /// <summary>A self-contained HTML page (no scripts, no external files) of the findings.</summary>
        public static string ToHtml(IReadOnlyList<MailSecurityFinding> findings, string title, DateTime generated)
        {
            string E(string s) => WebUtility.HtmlEncode(s ?? "");
            var sb = new StringBuilder();
            sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n<style>")
              .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}")
              .Append("th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f3f3f3}")
              .Append(".High{background:#fde2e2}.Warning{background:#fff4d6}.Info{background:#eef5ff}h2{margin-top:1.5em}</style></head><body>\n");
            sb.Append("<h1>").Append(E(title)).Append("</h1>\n<p>Generated ").Append(E(generated.ToString("yyyy-MM-dd HH:mm 'UTC'"))).Append(". ")
              .Append(findings.Count).Append(" finding(s): ")
              .Append(string.Join(", ", findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key).Select(g => $"{g.Count()} {g.Key}"))).Append(".</p>\n");
            sb.Append("<table><tr><th>Category</th><th>Count</th></tr>\n");
            foreach (var g in findings.GroupBy(f => f.Category).OrderBy(g => g.Key))
            {
                sb.Append("<tr><td><a href=\"#").Append(E(g.Key)).Append("\">").Append(E(g.Key)).Append("</a></td><td>").Append(g.Count()).Append(
                    "</td></tr>\n");
            }

            sb.Append("</table>\n");
            foreach (var g in findings.GroupBy(f => f.Category).OrderBy(g => g.Key))
            {
                sb.Append("<h2 id=\"").Append(E(g.Key)).Append("\">").Append(E(g.Key)).Append(
                    "</h2>\n<table><tr><th>Severity</th><th>Target</th><th>Detail</th></tr>\n");
                foreach (var f in g.OrderByDescending(f => f.Severity).ThenBy(f => f.Target, StringComparer.Ordinal))
                {
                    sb.Append("<tr class=\"").Append(f.Severity).Append("\"><td>").Append(f.Severity).Append("</td><td>").Append(E(f.Target)).Append(
                        "</td><td>").Append(E(f.Detail)).Append("</td></tr>\n");
                }

                sb.Append("</table>\n");
            }
            return sb.Append("</body></html>\n").ToString();
        }
    }
}
