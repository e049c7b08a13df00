using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using MailAdmin.Validation;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.WeCom
{
    /// <summary>
    /// Mail groups (exmail/group/*, PROVIDERS-ADDENDUM.md 1.1). Members are addresses of mailboxes (email_list) or of other groups
    /// (group_list), or departments written "department:Sales/East" (department_list). WhoCanSend is allow_type: Organization 0,
    /// Anyone 1, Members 2, Listed 3 with AllowedSenders (addresses, or "department:..." entries).
    /// </summary>
    public sealed partial class WeComProvider
    {
        /// <summary>How a department is written as a group member or allowed sender.</summary>
        public const string DepartmentPrefix = "department:";

        private static int AllowType(MailGroupSenderPolicy p)
            => p == MailGroupSenderPolicy.Organization ? 0 : p == MailGroupSenderPolicy.Anyone ? 1 : p == MailGroupSenderPolicy.Members ? 2 : 3;

        private static MailGroupSenderPolicy Policy(int? t)
            => t == 1 ? MailGroupSenderPolicy.Anyone : t == 2 ? MailGroupSenderPolicy.Members : t == 3 ? MailGroupSenderPolicy.Listed
                : MailGroupSenderPolicy.Organization;

        private static bool IsDepartment(string s) => s.StartsWith(DepartmentPrefix, StringComparison.OrdinalIgnoreCase);

        private async Task<MailGroup> ToGroup(string address, JObject g)
        {
            var deps = await Departments().ConfigureAwait(false);
            IEnumerable<string> DepNames(JToken t) =>
                Unwrap(t).Select(Json.Long).Where(x => x.HasValue).Select(
                x => DepartmentPrefix + (PathOf(deps, x.Value) ?? x.Value.ToString(CultureInfo.InvariantCulture)));
            IEnumerable<string> Addresses(JToken t) => Unwrap(t).Select(Json.Str).Where(x => x != null).Select(x => x.ToLowerInvariant());
            return new MailGroup
            {
                Address = address,
                DisplayName = Json.Str(g["groupname"]),
                WhoCanSend = Policy(Json.Int(g["allow_type"])),
                AllowedSenders = Addresses(g["allow_emaillist"]).Concat(DepNames(g["allow_departmentlist"])).ToArray(),
                Members = Addresses(g["email_list"]).Concat(Addresses(g["group_list"])).Concat(DepNames(g["department_list"])).Distinct().ToArray(),
                Domain = MailNames.DomainOf(address),
                Provider = Name,
            };
        }

        private async Task<JObject> TryGetGroup(string address, CancellationToken ct)
        {
            try
            {
                return await Get("exmail/group/get", $"get group {address}", address, ct, ("groupid", address)).ConfigureAwait(false);
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ObjectNotFound)
            {
                return null;
            }
        }

        /// <summary>All group addresses (group/search with fuzzy=0 lists every group).</summary>
        private async Task<List<(string address, string name)>> SearchGroups(CancellationToken ct)
        {
            var json = await Get("exmail/group/search", "list mail groups", null, ct, ("fuzzy", "0")).ConfigureAwait(false);
            return (json["groups"] as JArray ?? new JArray()).OfType<JObject>()
                .Select(o => ((Json.Str(o["groupid"]) ?? "").ToLowerInvariant(), Json.Str(o["groupname"]))).Where(x => x.Item1.Length > 0).ToList();
        }

        /// <summary>Sorts members into the three lists; group addresses are told from mailboxes by one group/search.</summary>
        private async Task<(List<string> mail, List<string> groups, List<long> departments)> SplitMembers(
            IEnumerable<string> members, object target, CancellationToken ct)
        {
            var mail = new List<string>();
            var groups = new List<string>();
            var departments = new List<long>();
            var list = members.Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m.Trim()).ToList();
            HashSet<string> known = null;
            foreach (var m in list)
            {
                if (IsDepartment(m))
                {
                    departments.Add(await ResolveDepartment(m.Substring(DepartmentPrefix.Length), false, target, ct).ConfigureAwait(false));
                    continue;
                }
                var a = MailNames.NormalizeAddress(m);
                if (known == null)
                {
                    known = new HashSet<string>((await SearchGroups(ct).ConfigureAwait(false)).Select(g => g.address), StringComparer.OrdinalIgnoreCase);
                }

                (known.Contains(a) ? groups : mail).Add(a);
            }
            return (mail.Distinct().ToList(), groups.Distinct().ToList(), departments.Distinct().ToList());
        }

        private async Task PutSenders(JObject body, MailGroupSenderPolicy policy, IEnumerable<string> senders, object target, CancellationToken ct)
        {
            body["allow_type"] = AllowType(policy);
            if (policy != MailGroupSenderPolicy.Listed)
            {
                return;
            }

            var list = (senders ?? new string[0]).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToList();
            if (list.Count == 0)
            {
                throw MailAdminException.Invalid(
                    "AllowedSendersRequired", $"WhoCanSend Listed needs -AllowedSenders (addresses or \"{DepartmentPrefix}Sales\") on WeCom.", target);
            }

            var deps = new List<long>();
            foreach (var d in list.Where(IsDepartment))
            {
                deps.Add(await ResolveDepartment(d.Substring(DepartmentPrefix.Length), false, target, ct).ConfigureAwait(false));
            }

            body["allow_emaillist"] = Wrap(list.Where(s => !IsDepartment(s)).Select(s => (JToken)MailNames.NormalizeAddress(s)));
            body["allow_departmentlist"] = Wrap(deps.Select(d => (JToken)d));
        }

        public async Task<MailGroup> CreateGroupAsync(MailGroup group, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(group.Address);
            if (string.IsNullOrWhiteSpace(group.DisplayName))
            {
                throw MailAdminException.Invalid("DisplayNameRequired", $"WeCom requires a group name (-DisplayName) for '{group.Address}'.", group.Address);
            }

            var (mail, groups, departments) = await SplitMembers(group.Members ?? new string[0], group.Address, ct).ConfigureAwait(false);
            if (mail.Count + groups.Count + departments.Count == 0)
            {
                throw MailAdminException.Invalid(
                    "GroupNeedsMembers", $"WeCom cannot create the empty group '{group.Address}': give at least one member with -Members.", group.Address);
            }

            var body = new JObject
            {
                ["groupid"] = a,
                ["groupname"] = group.DisplayName.Trim(),
                ["email_list"] = Wrap(mail.Select(x => (JToken)x)),
                ["group_list"] = Wrap(groups.Select(x => (JToken)x)),
                ["department_list"] = Wrap(departments.Select(x => (JToken)x)),
            };
            await PutSenders(body, group.WhoCanSend, group.AllowedSenders, group.Address, ct).ConfigureAwait(false);
            await RemoteCreate.OnceAsync(() => Post("exmail/group/create", $"create group {a}", a, body, ct, idempotent: false),
                async () => await TryGetGroup(a, ct).ConfigureAwait(false) != null, ct).ConfigureAwait(false);
            return await GetGroupAsync(a, ct).ConfigureAwait(false);
        }

        public async Task<MailGroup> GetGroupAsync(string address, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            var g = await TryGetGroup(a, ct).ConfigureAwait(false);
            if (g == null)
            {
                throw MailAdminException.NotFound("MailGroupNotFound", $"WeCom has no group '{address}'.", address);
            }

            return await ToGroup(a, g).ConfigureAwait(false);
        }

        /// <summary>Every group (group/search, fuzzy=0), filtered by a wildcard pattern on the address or name.</summary>
        public IAsyncEnumerable<MailGroup> ListGroups(string pattern) => StreamGroups(pattern, default);

        private async IAsyncEnumerable<MailGroup> StreamGroups(string pattern, [EnumeratorCancellation] CancellationToken ct)
        {
            var re = string.IsNullOrEmpty(pattern) ? null
                : new Regex("^" + Regex.Escape(pattern.ToLowerInvariant()).Replace("\\*", ".*").Replace("\\?", ".") + "$");
            foreach (var (address, name) in await SearchGroups(ct).ConfigureAwait(false))
            {
                if (re != null && !re.IsMatch(address) && !re.IsMatch((name ?? "").ToLowerInvariant()))
                {
                    continue;
                }

                var g = await TryGetGroup(address, ct).ConfigureAwait(false);
                if (g != null)
                {
                    yield return await ToGroup(address, g).ConfigureAwait(false);
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

            if (update.WhoCanSend.HasValue || update.AllowedSenders != null)
            {
                var policy = update.WhoCanSend ?? (await GetGroupAsync(a, ct).ConfigureAwait(false)).WhoCanSend;
                await PutSenders(body, policy, update.AllowedSenders, address, ct).ConfigureAwait(false);
            }
            if (body.Count > 1)
            {
                await Post("exmail/group/update", $"update group {a}", a, body, ct).ConfigureAwait(false);
            }

            return await GetGroupAsync(a, ct).ConfigureAwait(false);
        }

        public async Task RemoveGroupAsync(string address, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            await Post("exmail/group/delete", $"remove group {a}", a, new JObject { ["groupid"] = a }, ct).ConfigureAwait(false);
        }

        private async Task<MailGroup> ChangeMembers(string address, IReadOnlyList<string> add, IReadOnlyList<string> remove, CancellationToken ct)
        {
            var a = MailNames.NormalizeAddress(address);
            var g = await TryGetGroup(a, ct).ConfigureAwait(false);
            if (g == null)
            {
                throw MailAdminException.NotFound("MailGroupNotFound", $"WeCom has no group '{address}'.", address);
            }

            var mail = Unwrap(g["email_list"]).Select(Json.Str).Where(x => x != null).Select(x => x.ToLowerInvariant()).ToList();
            var groups = Unwrap(g["group_list"]).Select(Json.Str).Where(x => x != null).Select(x => x.ToLowerInvariant()).ToList();
            var deps = Unwrap(g["department_list"]).Select(Json.Long).Where(x => x.HasValue).Select(x => x.Value).ToList();
            if (add.Count > 0)
            {
                var (m, gr, d) = await SplitMembers(add, address, ct).ConfigureAwait(false);
                mail.AddRange(m.Where(x => !mail.Contains(x)));
                groups.AddRange(gr.Where(x => !groups.Contains(x)));
                deps.AddRange(d.Where(x => !deps.Contains(x)));
            }
            if (remove.Count > 0)
            {
                var (m, gr, d) = await SplitMembers(remove, address, ct).ConfigureAwait(false);
                mail.RemoveAll(m.Contains);
                groups.RemoveAll(gr.Contains);
                deps.RemoveAll(d.Contains);
                foreach (var x in m)
                {
                    groups.Remove(x);
                }
            }
            if (mail.Count + groups.Count + deps.Count == 0)
            {
                throw MailAdminException.Invalid(
                    "GroupNeedsMembers", $"WeCom does not allow the group '{address}' to become empty; remove the group instead.", address);
            }
            // partial update: each list sent replaces that list
            await Post("exmail/group/update", $"change the members of {a}", a, new JObject
            {
                ["groupid"] = a,
                ["email_list"] = Wrap(mail.Select(x => (JToken)x)),
                ["group_list"] = Wrap(groups.Select(x => (JToken)x)),
                ["department_list"] = Wrap(deps.Select(x => (JToken)x)),
            }, ct).ConfigureAwait(false);
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
    }
}
