// Rules and auto-replies: kept in the store, compiled to one Sieve script per mailbox for Dovecot.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;
using System.Data.Common;
using Newtonsoft.Json;

namespace MailAdmin.Providers.Local
{
    using static LocalLookups;
    using static LocalMailboxStore;
    using static LocalDomainStore;


    internal sealed class LocalRuleStore : LocalStorePart
    {
        internal LocalRuleStore(LocalStore s) : base(s)
        {
        }
        // ---------------------------------------------------------------- Sieve

        internal const string ScriptedMailboxes = @"SELECT mailbox FROM mail_rule UNION SELECT mailbox FROM auto_reply WHERE enabled = 1
            UNION SELECT mailbox FROM mailbox_sender_filter UNION SELECT mailbox FROM mailbox_policy WHERE spam_filter_level IS NOT NULL";

        internal SieveInput ReadSieveInput(DbConnection c, string mailbox)
        {
            var policy = _s.Security.EffectivePolicy(c, null, mailbox);
            var own = LocalDatabase.Query(
                c, null, "SELECT entry, action FROM mailbox_sender_filter WHERE mailbox = $m", r => (r.GetString(0), r.GetString(1)), ("$m", mailbox));
            var scope = ForwardScope.Read(c, null, mailbox);
            return new SieveInput
            {
                Mailbox = mailbox,
                // a forward the send scope no longer allows (it changed after the rule was made) is left out of the script
                Rules = ReadRules(c, null, mailbox).Select(r =>
                {
                    r.ForwardTo = scope.Allowed(r.ForwardTo);
                    return r;
                }).ToList(),
                AutoReply = ReadAutoReply(c, null, mailbox),
                SpamLevel = policy.SpamFilterLevel ?? LocalSecurityStore.DefaultSpamLevel,
                OwnSpamLevel = policy.Overrides.Contains(nameof(MailSecurityPolicy.SpamFilterLevel)),
                // the store's blocked senders never get this far (Postfix refuses them); its allowed ones still skip Junk
                Blocked = own.Where(f => f.Item2 == "Block").Select(f => f.Item1).ToList(),
                Allowed = policy.AllowedSenders,
                Domains = scope.Domains,
                Aliases = LocalDatabase.Query(
                    c, null, "SELECT address FROM mailbox_alias WHERE mailbox = $m ORDER BY address", r => r.GetString(0), ("$m", mailbox)),
            };
        }

        /// <summary>The send scope changed: a mailbox with forwarding rules gets its script again (forwards it may no longer make drop out).</summary>
        internal void ReapplyForwards(string mailbox)
        {
            if (_db.Read(
                c => LocalDatabase.Scalar(
                c, null, "SELECT 1 FROM mail_rule WHERE mailbox = $m AND definition LIKE '%\"ForwardTo\"%'", ("$m", mailbox))) != null)
            {
                ApplySieve(mailbox);
            }
        }

        /// <summary>Where a mailbox may forward: nowhere with SendScope None, only to the store's domains with Internal.</summary>
        private sealed class ForwardScope
        {
            public string Scope;
            public List<string> Domains;

            public static ForwardScope Read(DbConnection c, DbTransaction tx, string mailbox) => new ForwardScope
            {
                Scope = LocalDatabase.Scalar(c, tx, "SELECT send_scope FROM mailbox WHERE username = $u", ("$u", mailbox)) as string,
                Domains = LocalDatabase.Query(c, tx, "SELECT domain FROM postfix_domains ORDER BY domain", r => r.GetString(0)),
            };

            /// <summary>The forwards the scope refuses.</summary>
            public List<string> Refused(IEnumerable<string> forwardTo)
                => Scope == "None" ? forwardTo.ToList()
                 : Scope == "Internal" ? forwardTo.Where(f => !Domains.Contains(MailNames.DomainOf(f))).ToList()
                 : new List<string>();

            public string[] Allowed(string[] forwardTo)
            {
                if (forwardTo == null)
                {
                    return null;
                }

                var refused = Refused(forwardTo);
                var kept = forwardTo.Where(f => !refused.Contains(f)).ToArray();
                return kept.Length > 0 ? kept : null;
            }
        }

        /// <summary>Rewrites the mailbox's script in Dovecot from the store (or removes it when nothing is left).</summary>
        internal void ApplySieve(string mailbox)
        {
            if (!_s.ServesMail())
            {
                return;
            }

            var input = _db.Read(c => ReadSieveInput(c, mailbox));
            _s.Server.ApplySieve(mailbox, input.IsEmpty ? null : SieveCompiler.Compile(input));
        }

        // ---------------------------------------------------------------- rules

        private sealed class RuleDefinition
        {
            public bool Enabled = true;
            public string[] From, To, SubjectContains, HeaderContains, BodyContains, ForwardTo;
            public long? SizeAbove;
            public bool IsSpam, MarkRead, Flag, Delete, StopProcessing;
            public string MoveToFolder, CopyToFolder;
        }

        private List<MailRule> ReadRules(DbConnection c, DbTransaction tx, string mailbox)
            => LocalDatabase.Query(c, tx, mailbox == null
                    ? "SELECT mailbox, name, priority, definition FROM mail_rule ORDER BY mailbox, priority, name"
                    : "SELECT mailbox, name, priority, definition FROM mail_rule WHERE mailbox = $m ORDER BY priority, name",
                r =>
                {
                    var d = JsonConvert.DeserializeObject<RuleDefinition>(r.GetString(3));
                    return new MailRule
                    {
                        Mailbox = r.GetString(0),
                        Name = r.GetString(1),
                        Priority = r.GetInt32(2),
                        Enabled = d.Enabled,
                        From = d.From,
                        To = d.To,
                        SubjectContains = d.SubjectContains,
                        HeaderContains = d.HeaderContains,
                        BodyContains = d.BodyContains,
                        SizeAbove = d.SizeAbove,
                        IsSpam = d.IsSpam,
                        MoveToFolder = d.MoveToFolder,
                        CopyToFolder = d.CopyToFolder,
                        MarkRead = d.MarkRead,
                        Flag = d.Flag,
                        ForwardTo = d.ForwardTo,
                        Delete = d.Delete,
                        StopProcessing = d.StopProcessing,
                        Provider = Name,
                    };
                }, ("$m", mailbox));

        private static string[] Clean(string[] values) => values?.Select(v => v?.Trim()).Where(v => !string.IsNullOrEmpty(v)).ToArray() is string[] a
            && a.Length > 0 ? a : null;

        /// <summary>Checks a rule against the rules and the mailbox's send scope; returns it normalized.</summary>
        private MailRule ValidateRule(DbConnection c, DbTransaction tx, MailRule rule, string owner)
        {
            string name = rule.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 100 || name.Any(char.IsControl))
            {
                throw MailAdminException.Invalid(
                    "InvalidRuleName", $"The rule name '{rule.Name}' must be 1 to 100 characters without control characters.", rule.Name);
            }

            void Folder(string f, string what)
            {
                if (f == null)
                {
                    return;
                }

                if (f.Trim().Length == 0 || f.Length > 200 || f.Any(char.IsControl) || f.StartsWith("/", StringComparison.Ordinal)
                    || f.EndsWith("/", StringComparison.Ordinal) || f.Contains("//"))
                {
                    throw MailAdminException.Invalid(
                        "InvalidFolder", $"-{what} '{f}' is not a folder name: use names like 'Projects' or 'Projects/Alpha' (no leading or trailing '/', no "
                            + $"control characters, at most 200 characters).", f);
                }
            }
            Folder(rule.MoveToFolder, "MoveToFolder");
            Folder(rule.CopyToFolder, "CopyToFolder");
            if (rule.Delete && rule.MoveToFolder != null)
            {
                throw MailAdminException.Invalid(
                    "ConflictingActions", $"Rule '{name}': -Delete and -MoveToFolder both decide where the message goes; keep one.", name);
            }

            var forward = Clean(rule.ForwardTo)?.SelectMany(f => f.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries)).Select(f =>
                MailNames.TryNormalizeAddress(f.Trim(), out var a) ? a
                    : throw MailAdminException.Invalid(
                        "InvalidForwardAddress", $"Rule '{name}': -ForwardTo '{f}' is not a mail address.", f)).Distinct().ToArray();
            if (forward != null)
            {
                if (forward.Contains(owner))
                {
                    throw MailAdminException.Invalid("ForwardLoop", $"Rule '{name}' would forward {owner}'s mail to itself.", owner);
                }

                var scope = ForwardScope.Read(c, tx, owner);
                var refused = scope.Refused(forward);
                if (scope.Scope == "None")
                {
                    throw new MailAdminException(
                        MailErrorKind.PermissionDenied, "ForwardNotAllowed",
                        $"Rule '{name}': {owner} may not send mail (SendScope None), so it may not forward either.", owner) { Provider = Name };
                }

                if (refused.Count > 0)
                {
                    throw new MailAdminException(
                        MailErrorKind.PermissionDenied, "ExternalForwardNotAllowed",
                        $"Rule '{name}': {owner} may send only inside the organisation (SendScope Internal), so it may not forward to "
                            + $"{string.Join(", ", refused)}.", refused[0]) { Provider = Name };
                }
            }
            string[] Patterns(string[] v, string what) => Clean(v)?.Select(x =>
            {
                var t = x.Trim().ToLowerInvariant();
                if (t.Any(char.IsControl) || t.Contains(" ") || t.Length > 254)
                {
                    throw MailAdminException.Invalid(
                        "InvalidAddressPattern", $"Rule '{name}': -{what} '{x}' is not an address, domain or wildcard (e.g. a@b.com, b.com, *@b.com).", x);
                }

                return t;
            }).ToArray();
            var headers = Clean(rule.HeaderContains);
            foreach (var h in headers ?? new string[0])
            {
                var colon = h.IndexOf(':');
                if (colon <= 0 || !MailNames.IsHeaderFieldName(h.Substring(0, colon).Trim()) || h.Substring(colon + 1).Trim().Length == 0)
                {
                    throw MailAdminException.Invalid(
                        "InvalidHeaderCondition", $"Rule '{name}': -HeaderContains '{h}' must be 'Header-Name: text', e.g. 'X-Mailer: Bulk'.", h);
                }
            }
            if (rule.SizeAbove.HasValue && rule.SizeAbove <= 0)
            {
                throw MailAdminException.Invalid(
                    "InvalidSize", $"Rule '{name}': -SizeAbove {rule.SizeAbove} must be a positive number of bytes (e.g. 5MB).", rule.SizeAbove);
            }

            var r2 = new MailRule
            {
                Mailbox = owner,
                Name = name,
                Priority = rule.Priority,
                Enabled = rule.Enabled,
                From = Patterns(rule.From, "From"),
                To = Patterns(rule.To, "To"),
                SubjectContains = Clean(rule.SubjectContains),
                HeaderContains = headers,
                BodyContains = Clean(rule.BodyContains),
                SizeAbove = rule.SizeAbove,
                IsSpam = rule.IsSpam,
                MoveToFolder = rule.MoveToFolder?.Trim(),
                CopyToFolder = rule.CopyToFolder?.Trim(),
                MarkRead = rule.MarkRead,
                Flag = rule.Flag,
                ForwardTo = forward,
                Delete = rule.Delete,
                StopProcessing = rule.StopProcessing,
                Provider = Name,
            };
            if (r2.MoveToFolder == null && r2.CopyToFolder == null && !r2.MarkRead && !r2.Flag && r2.ForwardTo == null && !r2.Delete && !r2.StopProcessing)
            {
                throw MailAdminException.Invalid(
                    "RuleWithoutAction", $"Rule '{name}' does nothing: give at least one action (-MoveToFolder, -CopyToFolder, -MarkRead, -Flag, -ForwardTo, "
                        + $"-Delete, -StopProcessing).", name);
            }

            return r2;
        }

        private static string Definition(MailRule r) => JsonConvert.SerializeObject(new RuleDefinition
        {
            Enabled = r.Enabled,
            From = r.From,
            To = r.To,
            SubjectContains = r.SubjectContains,
            HeaderContains = r.HeaderContains,
            BodyContains = r.BodyContains,
            SizeAbove = r.SizeAbove,
            IsSpam = r.IsSpam,
            MoveToFolder = r.MoveToFolder,
            CopyToFolder = r.CopyToFolder,
            MarkRead = r.MarkRead,
            Flag = r.Flag,
            ForwardTo = r.ForwardTo,
            Delete = r.Delete,
            StopProcessing = r.StopProcessing,
        }, new JsonSerializerSettings { NullValueHandling = NullValueHandling.Ignore });

        public Task<IReadOnlyList<MailRule>> GetRulesAsync(string mailbox, CancellationToken ct)
            => Task.FromResult<IReadOnlyList<MailRule>>(_db.Read(c => ReadRules(c, null, mailbox == null ? null : ResolveMailbox(c, null, mailbox))));

        public Task<MailRule> AddRuleAsync(MailRule rule, CancellationToken ct)
        {
            var saved = _db.Write((c, tx) =>
            {
                var owner = ResolveMailbox(c, tx, rule.Mailbox);
                var r = ValidateRule(c, tx, rule, owner);
                if (LocalDatabase.Scalar(c, tx, "SELECT 1 FROM mail_rule WHERE mailbox = $m AND name = $n", ("$m", owner), ("$n", r.Name)) != null)
                {
                    throw MailAdminException.Exists(
                        "MailRuleExists", $"{owner} already has a rule named '{r.Name}'; change it with Set-MailRule or pick another name.", r.Name);
                }

                if (r.Priority <= 0)
                {
                    r.Priority = Convert.ToInt32(
                        LocalDatabase.Scalar(c, tx, "SELECT coalesce(max(priority), 0) + 1 FROM mail_rule WHERE mailbox = $m", ("$m", owner)),
                        CultureInfo.InvariantCulture);
                }

                LocalDatabase.Exec(
                    c, tx, "INSERT INTO mail_rule(mailbox, name, priority, definition) VALUES($m, $n, $p, $d)", ("$m", owner), ("$n", r.Name),
                    ("$p", r.Priority), ("$d", Definition(r)));
                return r;
            });
            ApplySieve(saved.Mailbox);
            return Task.FromResult(saved);
        }

        public Task<MailRule> SetRuleAsync(MailRule rule, CancellationToken ct)
        {
            var saved = _db.Write((c, tx) =>
            {
                var owner = ResolveMailbox(c, tx, rule.Mailbox);
                var r = ValidateRule(c, tx, rule, owner);
                var old = LocalDatabase.Scalar(c, tx, "SELECT priority FROM mail_rule WHERE mailbox = $m AND name = $n", ("$m", owner), ("$n", r.Name));
                if (old == null)
                {
                    throw RuleNotFound(owner, r.Name);
                }

                if (r.Priority <= 0)
                {
                    r.Priority = Convert.ToInt32(old, CultureInfo.InvariantCulture);
                }

                LocalDatabase.Exec(
                    c, tx, "UPDATE mail_rule SET priority = $p, definition = $d WHERE mailbox = $m AND name = $n", ("$m", owner), ("$n", r.Name),
                    ("$p", r.Priority), ("$d", Definition(r)));
                return r;
            });
            ApplySieve(saved.Mailbox);
            return Task.FromResult(saved);
        }

        public Task RemoveRuleAsync(string mailbox, string name, CancellationToken ct)
        {
            var owner = _db.Write((c, tx) =>
            {
                var m = ResolveMailbox(c, tx, mailbox);
                if (LocalDatabase.Exec(c, tx, "DELETE FROM mail_rule WHERE mailbox = $m AND name = $n", ("$m", m), ("$n", name?.Trim())) == 0)
                {
                    throw RuleNotFound(m, name);
                }

                return m;
            });
            ApplySieve(owner);
            return Task.CompletedTask;
        }

        private MailAdminException RuleNotFound(string mailbox, string name)
            => new MailAdminException(MailErrorKind.ObjectNotFound, "MailRuleNotFound", $"{mailbox} has no rule named '{name}'.", name) { Provider = Name };

        // ---------------------------------------------------------------- auto-reply

        private MailAutoReply ReadAutoReply(DbConnection c, DbTransaction tx, string mailbox)
        {
            using (var cmd = LocalDatabase.Command(
                c, tx, "SELECT enabled, subject, body, start_time, end_time, external_only, days FROM auto_reply WHERE mailbox = $m", ("$m", mailbox)))
            using (var r = cmd.ExecuteReader())
            {
                if (!r.Read())
                {
                    return new MailAutoReply { Mailbox = mailbox, Enabled = false, Provider = Name };
                }

                return new MailAutoReply
                {
                    Mailbox = mailbox,
                    Enabled = r.GetInt64(0) != 0,
                    Subject = r.IsDBNull(1) ? null : r.GetString(1),
                    Body = r.IsDBNull(2) ? null : r.GetString(2),
                    StartTime = r.IsDBNull(3) ? (DateTime?)null : LocalDatabase.ParseTime(r.GetString(3)),
                    EndTime = r.IsDBNull(4) ? (DateTime?)null : LocalDatabase.ParseTime(r.GetString(4)),
                    ExternalOnly = r.GetInt64(5) != 0,
                    DaysBetweenReplies = r.GetInt32(6),
                    Provider = Name,
                };
            }
        }

        public Task<MailAutoReply> GetAutoReplyAsync(string mailbox, CancellationToken ct)
            => Task.FromResult(_db.Read(c => ReadAutoReply(c, null, ResolveMailbox(c, null, mailbox))));

        public Task<MailAutoReply> SetAutoReplyAsync(string mailbox, MailAutoReplyUpdate u, CancellationToken ct)
        {
            if (u.DaysBetweenReplies.HasValue && (u.DaysBetweenReplies < 1 || u.DaysBetweenReplies > 365))
            {
                throw MailAdminException.Invalid(
                    "InvalidReplyPeriod", $"DaysBetweenReplies {u.DaysBetweenReplies} is out of range: use 1 to 365 (Sieve vacation answers a sender at most "
                        + $"once a day).", u.DaysBetweenReplies);
            }

            if (u.Subject != null && (u.Subject.Length > 200 || u.Subject.Any(char.IsControl)))
            {
                throw MailAdminException.Invalid("InvalidSubject", "The auto-reply subject must be one line of at most 200 characters.", null);
            }

            var saved = _db.Write((c, tx) =>
            {
                var m = ResolveMailbox(c, tx, mailbox);
                var a = ReadAutoReply(c, tx, m);
                if (u.Enabled.HasValue)
                {
                    a.Enabled = u.Enabled.Value;
                }

                if (u.Subject != null)
                {
                    a.Subject = u.Subject;
                }

                if (u.Body != null)
                {
                    a.Body = u.Body;
                }

                if (u.ClearStartTime)
                {
                    a.StartTime = null;
                }

                if (u.ClearEndTime)
                {
                    a.EndTime = null;
                }

                if (u.StartTime.HasValue)
                {
                    a.StartTime = u.StartTime.Value.ToUniversalTime();
                }

                if (u.EndTime.HasValue)
                {
                    a.EndTime = u.EndTime.Value.ToUniversalTime();
                }

                if (u.ExternalOnly.HasValue)
                {
                    a.ExternalOnly = u.ExternalOnly.Value;
                }

                if (u.DaysBetweenReplies.HasValue)
                {
                    a.DaysBetweenReplies = u.DaysBetweenReplies.Value;
                }

                if (a.StartTime.HasValue && a.EndTime.HasValue && a.EndTime <= a.StartTime)
                {
                    throw MailAdminException.Invalid("InvalidReplyPeriod", $"The auto-reply ends ({a.EndTime:u}) before it starts ({a.StartTime:u}).", mailbox);
                }

                if (a.Enabled && string.IsNullOrWhiteSpace(a.Body))
                {
                    throw MailAdminException.Invalid("AutoReplyWithoutBody", $"The auto-reply of {m} has no -Body to send.", mailbox);
                }

                string T(DateTime? t) => t?.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);
                LocalDatabase.Exec(c, tx, @"INSERT INTO auto_reply(mailbox, enabled, subject, body, start_time, end_time, external_only, days)
                    VALUES($m, $e, $s, $b, $st, $et, $x, $d) ON CONFLICT(mailbox) DO UPDATE SET enabled = excluded.enabled, subject = excluded.subject,
                    body = excluded.body, start_time = excluded.start_time, end_time = excluded.end_time, external_only = excluded.external_only,
                    days = excluded.days",
                    ("$m", m), ("$e", a.Enabled ? 1 : 0), ("$s", (object)a.Subject ?? DBNull.Value), ("$b", (object)a.Body ?? DBNull.Value),
                    ("$st", (object)T(a.StartTime) ?? DBNull.Value), ("$et", (object)T(a.EndTime) ?? DBNull.Value), ("$x", a.ExternalOnly ? 1 : 0),
                        ("$d", a.DaysBetweenReplies));
                return a;
            });
            ApplySieve(saved.Mailbox);
            return Task.FromResult(saved);
        }
    }
}
