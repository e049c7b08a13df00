using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using MailAdmin.Validation;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.Exmail
{
    public sealed partial class ExmailProvider
    {
        // allow_type (PROVIDERS.md 1.4): 0 company members, 1 anyone, 2 group members, 3 listed users
        private static int AllowType(MailGroupSenderPolicy p)
            => p == MailGroupSenderPolicy.Organization ? 0 : p == MailGroupSenderPolicy.Anyone ? 1 : p == MailGroupSenderPolicy.Members ? 2 : 3;

        private static MailGroupSenderPolicy Policy(int? t)
            => t == 1 ? MailGroupSenderPolicy.Anyone : t == 2 ? MailGroupSenderPolicy.Members : t == 3 ? MailGroupSenderPolicy.Listed
                : MailGroupSenderPolicy.Organization;

        private MailGroup ToGroup(string address, JObject g)
        {
            var members = Json.Strings(g["userlist"]).Concat(Json.Strings(g["grouplist"])).Select(x => x.ToLowerInvariant()).Distinct().ToArray();
            return new MailGroup
            {
                Address = address,
                DisplayName = Json.Str(g["groupname"]),
                WhoCanSend = Policy(Json.Int(g["allow_type"])),
                AllowedSenders = Json.Strings(g["allow_userlist"]).Select(x => x.ToLowerInvariant()).ToArray(),
                Members = members,
                Domain = MailNames.DomainOf(address),
                Provider = Name,
            };
        }

        private async Task<JObject> TryGetGroup(string address, CancellationToken ct)
        {
            try
            {
                return await GetJ("group/get", $"get group {address}", address, ct, ExmailProtocol.Contacts, ("groupid", address)).ConfigureAwait(false);
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ObjectNotFound || e.ProviderCode == "60111" || e.ProviderCode == "60123")
            {
                return null;
            }
        }

        /// <summary>Splits members into users and groups (Exmail keeps them in two lists) with batchcheck.</summary>
        private async Task<(List<string> users, List<string> groups)> SplitMembers(IEnumerable<string> members, object target, CancellationToken ct)
        {
            var list = members.Select(MailNames.NormalizeAddress).Distinct().ToList();
            var users = new List<string>();
            var groups = new List<string>();
            if (list.Count == 0)
            {
                return (users, groups);
            }

            foreach (var c in await CheckAddressesAsync(list, ct).ConfigureAwait(false))
            {
                switch (c.Status)
                {
                    case MailAddressStatus.Mailbox: case MailAddressStatus.Alias: users.Add(c.Address); break;
                    case MailAddressStatus.Group: groups.Add(c.Address); break;
                    default:
                        throw MailAdminException.NotFound(
                            "MemberNotFound", $"'{c.Address}' is not a mailbox or group at Exmail ({c.Status}); Exmail groups hold its own members only.",
                                target);
                }
            }
            return (users, groups);
        }

        public async Task<MailGroup> CreateGroupAsync(MailGroup group, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(group.Address);
            if (string.IsNullOrWhiteSpace(group.DisplayName))
            {
                throw MailAdminException.Invalid("DisplayNameRequired", $"Exmail requires a group name (-DisplayName) for '{group.Address}'.", group.Address);
            }

            var (users, groups) = await SplitMembers(group.Members ?? new string[0], group.Address, ct).ConfigureAwait(false);
            if (users.Count + groups.Count == 0)
            {
                throw MailAdminException.Invalid(
                    "GroupNeedsMembers", $"Exmail cannot create the empty group '{group.Address}': give at least one member with -Members.", group.Address);
            }

            var body = new JObject
            {
                ["groupid"] = a,
                ["groupname"] = group.DisplayName.Trim(),
                ["userlist"] = new JArray(users),
                ["grouplist"] = new JArray(groups),
                ["allow_type"] = AllowType(group.WhoCanSend),
            };
            if (group.WhoCanSend == MailGroupSenderPolicy.Listed)
            {
                body["allow_userlist"] = new JArray((group.AllowedSenders ?? new string[0]).Select(MailNames.NormalizeAddress));
            }

            await CreateOnce(() => Post("group/create", $"create group {a}", a, body, ct, idempotent: false),
                async () => await TryGetGroup(a, ct).ConfigureAwait(false) != null, ct).ConfigureAwait(false);
            return await GetGroupAsync(a, ct).ConfigureAwait(false);
        }

        public async Task<MailGroup> GetGroupAsync(string address, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            var g = await TryGetGroup(a, ct).ConfigureAwait(false);
            if (g == null)
            {
                throw MailAdminException.NotFound("MailGroupNotFound", $"Exmail has no group '{address}'.", address);
            }

            return ToGroup(a, g);
        }

        /// <summary>
        /// Without addresses (or with a wildcard), every group through the group search (fuzzy=0) and then each one read. The doc
        /// index lists 模糊(全量)搜索邮件群组 but its path is unconfirmed, so WeCom's shape is used (GET group/search?fuzzy=0); when
        /// the service refuses it, the pattern must name addresses (comma-separated), each checked with batchcheck and read when
        /// it is a group, as before.
        /// </summary>
        public IAsyncEnumerable<MailGroup> ListGroups(string pattern) => StreamGroups(pattern, default);

        private async IAsyncEnumerable<MailGroup> StreamGroups(string pattern, [EnumeratorCancellation] CancellationToken ct)
        {
            var names = (pattern ?? "").Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (names.Length == 0 || names.Any(n => n.IndexOfAny(new[] { '*', '?' }) >= 0))
            {
                JObject json;
                try
                {
                    json = await GetJ("group/search", "list mail groups", pattern, ct, ExmailProtocol.Contacts, ("fuzzy", "0")).ConfigureAwait(false);
                }
                catch (MailAdminException e) when (
                    e.Kind == MailErrorKind.NotSupported || e.Kind == MailErrorKind.PermissionDenied || e.ErrorId == "ExmailBadAnswer"
                    || e.ErrorId == "ExmailError")
                {
                    throw new MailAdminException(MailErrorKind.NotSupported, "ExmailGroupListNotSupported",
                        $"Exmail refused the group search ({e.Message}), so it cannot list mail groups: name the group addresses (Get-MailGroup "
                            + $"sales@contoso.com, hr@contoso.com).", pattern, e)
                    { Provider = Name };
                }
                var patterns = names.Select(
                    n => new System.Text.RegularExpressions.Regex(
                    "^" + System.Text.RegularExpressions.Regex.Escape(n.ToLowerInvariant()).Replace("\\*", ".*").Replace("\\?", ".") + "$")).ToList();
                foreach (var o in (json["groups"] as JArray ?? new JArray()).OfType<JObject>())
                {
                    var address = (Json.Str(o["groupid"]) ?? "").ToLowerInvariant();
                    var name = (Json.Str(o["groupname"]) ?? "").ToLowerInvariant();
                    if (address.Length == 0 || (patterns.Count > 0 && !patterns.Any(p => p.IsMatch(address) || p.IsMatch(name))))
                    {
                        continue;
                    }

                    var g = await TryGetGroup(address, ct).ConfigureAwait(false);
                    if (g != null)
                    {
                        yield return ToGroup(address, g);
                    }
                }
                yield break;
            }
            foreach (var c in await CheckAddressesAsync(names, ct).ConfigureAwait(false))
            {
                if (c.Status == MailAddressStatus.Group)
                {
                    yield return await GetGroupAsync(c.Address, ct).ConfigureAwait(false);
                }
            }
        }

        public async Task<MailGroup> UpdateGroupAsync(string address, MailGroupUpdate update, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            var body = new JObject { ["groupid"] = a };
            if (update.DisplayName != null)
            {
                body["groupname"] = update.DisplayName.Trim();
            }

            if (update.WhoCanSend.HasValue)
            {
                body["allow_type"] = AllowType(update.WhoCanSend.Value);
            }

            if (update.AllowedSenders != null)
            {
                body["allow_userlist"] = new JArray(update.AllowedSenders.Select(MailNames.NormalizeAddress));
            }

            if (body.Count > 1)
            {
                await Post("group/update", $"update group {a}", a, body, ct).ConfigureAwait(false);
            }

            return await GetGroupAsync(a, ct).ConfigureAwait(false);
        }

        public async Task RemoveGroupAsync(string address, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            await GetJ("group/delete", $"remove group {a}", a, ct, ExmailProtocol.Contacts, ("groupid", a)).ConfigureAwait(false);
        }

        private async Task<MailGroup> ChangeMembers(string address, IReadOnlyList<string> add, IReadOnlyList<string> remove, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            var g = await TryGetGroup(a, ct).ConfigureAwait(false);
            if (g == null)
            {
                throw MailAdminException.NotFound("MailGroupNotFound", $"Exmail has no group '{address}'.", address);
            }

            var users = Json.Strings(g["userlist"]).Select(x => x.ToLowerInvariant()).ToList();
            var groups = Json.Strings(g["grouplist"]).Select(x => x.ToLowerInvariant()).ToList();
            if (add.Count > 0)
            {
                var (u, gr) = await SplitMembers(add, address, ct).ConfigureAwait(false);
                users.AddRange(u.Where(x => !users.Contains(x)));
                groups.AddRange(gr.Where(x => !groups.Contains(x)));
            }
            foreach (var r in remove.Select(MailNames.NormalizeAddress))
            {
                users.Remove(r);
                groups.Remove(r);
            }
            if (users.Count + groups.Count == 0)
            {
                throw MailAdminException.Invalid(
                    "GroupNeedsMembers", $"Exmail does not allow the group '{address}' to become empty; remove the group instead.", address);
            }

            await Post("group/update", $"change the members of {a}", a,
                new JObject { ["groupid"] = a, ["userlist"] = new JArray(users), ["grouplist"] = new JArray(groups) }, ct).ConfigureAwait(false);
            return await GetGroupAsync(a, ct).ConfigureAwait(false);
        }

        public Task<MailGroup> AddMembersAsync(string address, IReadOnlyList<string> members, CancellationToken ct) =>
            ChangeMembers(address, members, new string[0], ct);
        public Task<MailGroup> RemoveMembersAsync(string address, IReadOnlyList<string> members, CancellationToken ct) =>
            ChangeMembers(address, new string[0], members, ct);

        public async Task<IReadOnlyList<MailGroupMember>> GetMembersAsync(string address, CancellationToken ct)
        {
            var g = await GetGroupAsync(address, ct).ConfigureAwait(false);
            return g.Members.Select(m => new MailGroupMember { Group = g.Address, Address = m, IsInternal = true }).ToList();
        }

        // ---------------------------------------------------------------- logs

        private static readonly Dictionary<int, string> MailStatus = new Dictionary<int, string>
        {
            [0] = "Other",
            [1] = "Sending",
            [2] = "Bounced",
            [3] = "Sent",
            [4] = "SendFailed",
            [11] = "Blocked",
            [12] = "Spam",
            [13] = "Inbox",
            [14] = "Folder",
        };
        private static readonly string[] LoginTypes = { "Unknown", "Web", "Mobile", "QQMailApp", "Client", "Other" };
        private static readonly string[] BatchTypes =
        {
            "Other", "MassMail", "UserImport", "DeleteAnnouncement", "AliasImport", "PublishAnnouncement", "RtxBinding", "SetSignature",
            "RemoveSignature", "ActivateMember",
        };
        private static readonly string[] OperationTypes =
        {
            "Unknown", "Login", "PasswordChange", "AddDomain", "RemoveDomain", "SetLogo", "DeleteLogo", "ChangeSecurityEmail", "ChangeAdminEmail",
            "PostAnnouncement", "MassMail", "BlacklistAdd", "BlacklistDelete", "BlacklistClear", "WhitelistAdd", "WhitelistDelete", "WhitelistClear",
            "DomainWhitelistAdd", "DomainWhitelistDelete", "AddUser", "DeleteUser", "EnableUser", "DisableUser", "EditUser", "EditAlias", "BulkImport",
            "AddSubAdmin", "DeleteSubAdmin", "AddDepartment", "DeleteDepartment", "EditDepartment", "MoveDepartment", "AddGroup", "DeleteGroup",
            "EditGroup", "MailBackup", "MailTransfer", "IpLoginRestriction", "RestrictOutbound", "EnableApi", "RegenerateKey", "DisableApi",
        };

        private static string EnumName(string[] names, int? i) => i.HasValue && i.Value >= 0 && i.Value < names.Length ? names[i.Value]
            : i?.ToString(CultureInfo.InvariantCulture);
        private static DateTime? Unix(JToken t)
        {
            var s = Json.Long(t);
            return s.HasValue ? DateTimeOffset.FromUnixTimeSeconds(s.Value).UtcDateTime : (DateTime?)null;
        }

        /// <summary>The longest range one log call may cover; longer ranges are split (the service refuses about 3 months with 601002).</summary>
        public static readonly TimeSpan LogChunk = TimeSpan.FromDays(30);

        public IAsyncEnumerable<MailLogEntry> GetLogs(MailLogQuery q)
        {
            if (q.End < q.Start)
            {
                throw MailAdminException.Invalid("InvalidLogRange", $"The end {q.End:yyyy-MM-dd} is before the start {q.Start:yyyy-MM-dd}.", q.End);
            }

            if ((q.Kind == MailLogKind.Login) && string.IsNullOrEmpty(q.Mailbox))
            {
                throw MailAdminException.Invalid("MailboxRequired", "Exmail's login log is per mailbox: name it with -Mailbox.", null);
            }

            if (q.Kind == MailLogKind.Summary && string.IsNullOrEmpty(q.Domain))
            {
                throw MailAdminException.Invalid("DomainRequired", "Exmail's mail summary is per domain: name it with -Domain.", null);
            }

            var chunks = new List<(DateTime from, DateTime to)>();
            for (var from = q.Start.Date; from <= q.End.Date; from = from.Add(LogChunk))
            {
                var to = from.Add(LogChunk).AddDays(-1);
                chunks.Add((from, to > q.End.Date ? q.End.Date : to));
            }
            return RemotePages.Stream<MailLogEntry>(chunks.Count, (i, ct) => LogChunkAsync(q, chunks[i].from, chunks[i].to, ct));
        }

        private async Task<List<MailLogEntry>> LogChunkAsync(MailLogQuery q, DateTime from, DateTime to, CancellationToken ct)
        {
            var body = new JObject
            {
                ["begin_date"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["end_date"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            var range = $"{body["begin_date"]}..{body["end_date"]}";
            var list = new List<MailLogEntry>();
            switch (q.Kind)
            {
                case MailLogKind.Summary:
                    {
                        body["domain"] = MailNames.NormalizeDomain(q.Domain);
                        var j = await Post("log/mailstatus", $"read the mail summary {range}", q.Domain, body, ct, ExmailProtocol.Logs).ConfigureAwait(false);
                        list.Add(new MailLogEntry
                        {
                            Kind = q.Kind, Time = from, Domain = q.Domain, SentCount = Json.Long(j["sendsum"]), ReceivedCount = Json.Long(j["recvsum"]),
                            Remark = range, Provider = Name,
                        });
                        return list;
                    }
                case MailLogKind.Mail:
                    {
                        body["mailtype"] = q.Direction == MailDirection.Sent ? 1 : q.Direction == MailDirection.Received ? 2 : 0;
                        if (!string.IsNullOrEmpty(q.Mailbox))
                        {
                            body["userid"] = MailNames.NormalizeAddress(q.Mailbox);
                        }

                        if (!string.IsNullOrEmpty(q.Subject))
                        {
                            body["subject"] = q.Subject;
                        }

                        var j = await Post("log/mail", $"read the mail log {range}", q.Mailbox, body, ct, ExmailProtocol.Logs).ConfigureAwait(false);
                        foreach (var o in (j["list"] as JArray ?? new JArray()).OfType<JObject>())
                        {
                            var st = Json.Int(o["status"]);
                            list.Add(new MailLogEntry
                            {
                                Kind = q.Kind,
                                Time = Unix(o["time"]),
                                Direction = Json.Int(o["mailtype"]) == 1 ? MailDirection.Sent : MailDirection.Received,
                                Sender = Json.Str(o["sender"]),
                                Recipient = Json.Str(o["receiver"]),
                                Subject = Json.Str(o["subject"]),
                                Status = st.HasValue && MailStatus.TryGetValue(st.Value, out var n) ? n : st?.ToString(CultureInfo.InvariantCulture),
                                Mailbox = q.Mailbox,
                                Provider = Name,
                            });
                        }
                        return list;
                    }
                case MailLogKind.Login:
                    {
                        body["userid"] = MailNames.NormalizeAddress(q.Mailbox);
                        var j = await Post("log/login", $"read the login log of {q.Mailbox} {range}", q.Mailbox, body, ct, ExmailProtocol.Logs)
                            .ConfigureAwait(false);
                        foreach (var o in (j["list"] as JArray ?? new JArray()).OfType<JObject>())
                        {
                            list.Add(new MailLogEntry
                            {
                                Kind = q.Kind, Time = Unix(o["time"]), ClientAddress = Json.Str(o["ip"]), Type = EnumName(LoginTypes, Json.Int(o["type"])),
                                Mailbox = q.Mailbox, Provider = Name,
                            });
                        }

                        return list;
                    }
                case MailLogKind.BatchJob:
                    {
                        var j = await Post("log/batchjob", $"read the batch job log {range}", null, body, ct, ExmailProtocol.Logs).ConfigureAwait(false);
                        foreach (var o in (j["list"] as JArray ?? new JArray()).OfType<JObject>())
                        {
                            list.Add(new MailLogEntry
                            {
                                Kind = q.Kind, Time = Unix(o["time"]), Operator = Json.Str(o["operator"]), Type = EnumName(BatchTypes, Json.Int(o["type"])),
                                Status = Json.Str(o["status"]), Provider = Name,
                            });
                        }

                        return list;
                    }
                default:
                    {
                        body["type"] = q.Category ?? 1;
                        var j = await Post("log/operation", $"read the admin operation log {range}", null, body, ct, ExmailProtocol.Logs).ConfigureAwait(false);
                        foreach (var o in (j["list"] as JArray ?? new JArray()).OfType<JObject>())
                        {
                            var type = Json.Int(o["type"]);
                            var remark = Json.Str(o["remark"]);
                            list.Add(new MailLogEntry
                            {
                                Kind = q.Kind,
                                Time = Unix(o["time"]),
                                Operator = Json.Str(o["operator"]),
                                Type = EnumName(OperationTypes, type),
                                Operand = Json.Str(o["operand"]),
                                Remark = type == 20 && remark == "1" ? "Restored" : remark,
                                Provider = Name,
                            });
                        }
                        return list;
                    }
            }
        }
    }
}
