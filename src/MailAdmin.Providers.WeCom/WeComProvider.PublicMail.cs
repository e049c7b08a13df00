using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
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
    /// Shared mailboxes are WeCom's public mailboxes (公共邮箱, exmail/publicmail/*, PROVIDERS-ADDENDUM.md 1.1): a numeric id, an
    /// address, a name, aliases, and who may use them (members by UserID, departments, tags; never all empty). Their users read
    /// and send as them, so Set-MailPermission FullAccess adds a member. Their client-specific passwords (客户端专用密码) are the
    /// app-password cmdlets: created through publicmail/update (shown once), listed and deleted by auth-code id.
    /// </summary>
    public sealed partial class WeComProvider : IPermissionStore, IAppPasswordStore
    {
        /// <summary>Documented: at most 10 client-specific passwords created through the API per public mailbox (WC/98000).</summary>
        public const int MaxApiAuthCodes = 10;

        private static string PublicKey(long id) => "public:" + id.ToString(CultureInfo.InvariantCulture);

        /// <summary>The public mailbox of an address (its own or an alias), or null: publicmail/search matches names and addresses
        /// fuzzily, so the hits are checked exactly, then read in full with publicmail/get.</summary>
        private async Task<JObject> FindPublic(string identity, CancellationToken ct)
        {
            var s = (identity ?? "").Trim();
            if (!s.Contains("@"))
            {
                return null;
            }

            var a = MailNames.NormalizeAddress(s);
            var json = await Get("exmail/publicmail/search", $"find public mailbox {a}", a, ct, ("fuzzy", "1"), ("email", a)).ConfigureAwait(false);
            var hit = await ExactPublic(json, a, ct).ConfigureAwait(false);
            if (hit != null)
            {
                return hit;
            }
            // the search is documented to match names and addresses, not aliases: an alias is looked for among all of them
            json = await Get("exmail/publicmail/search", "list public mailboxes", a, ct, ("fuzzy", "0")).ConfigureAwait(false);
            return await ExactPublic(json, a, ct).ConfigureAwait(false);
        }

        private async Task<JObject> ExactPublic(JObject search, string address, CancellationToken ct)
        {
            var ids = (search["list"] as JArray ?? new JArray()).OfType<JObject>().Select(o => Json.Long(o["id"])).Where(i => i.HasValue)
                .Select(i => i.Value).ToList();
            if (ids.Count == 0)
            {
                return null;
            }

            foreach (var p in await GetPublic(ids, ct).ConfigureAwait(false))
            {
                if (string.Equals(Json.Str(p["email"]), address, StringComparison.OrdinalIgnoreCase))
                {
                    return p;
                }

                if (Unwrap(p["alias_list"]).Select(Json.Str).Any(x => string.Equals(x, address, StringComparison.OrdinalIgnoreCase)))
                {
                    return p;
                }
            }
            return null;
        }

        private async Task<List<JObject>> GetPublic(IReadOnlyList<long> ids, CancellationToken ct)
        {
            var all = new List<JObject>();
            for (var i = 0; i < ids.Count; i += 100)
            {
                var chunk = ids.Skip(i).Take(100).ToList();
                var json = await Post("exmail/publicmail/get", $"read {chunk.Count} public mailbox(es)", null,
                    new JObject { ["id_list"] = new JArray(chunk) }, ct).ConfigureAwait(false);
                all.AddRange((json["list"] as JArray ?? new JArray()).OfType<JObject>());
            }
            return all;
        }

        private async Task<JObject> RequirePublic(string identity, CancellationToken ct)
        {
            var p = await FindPublic(identity, ct).ConfigureAwait(false);
            if (p != null)
            {
                return p;
            }

            throw MailAdminException.NotFound("MailboxNotFound", $"WeCom has no public mailbox '{identity}'.", identity);
        }

        private Mailbox PublicToMailbox(JObject p, IDictionary<long, (string name, long parent)> deps)
        {
            var id = Json.Long(p["id"]) ?? 0;
            var address = Json.Str(p["email"])?.ToLowerInvariant();
            var depIds = Unwrap(p["department_list"]).Select(Json.Long).Where(x => x.HasValue).Select(x => x.Value).ToList();
            return new Mailbox
            {
                Address = address,
                Id = id.ToString(CultureInfo.InvariantCulture),
                DisplayName = Json.Str(p["name"]),
                Department = depIds.Count == 0 ? null : PathOf(deps, depIds[0]),
                Type = MailboxType.Shared,
                Aliases = Unwrap(p["alias_list"]).Select(Json.Str).Where(x => x != null).Select(x => x.ToLowerInvariant()).ToArray(),
                Enabled = Map.EnabledOf(PublicKey(id)),
                Domain = address != null && address.Contains("@") ? MailNames.DomainOf(address) : null,
                HasPassword = false,
                Provider = Name,
            };
        }

        private async Task<List<Mailbox>> ListPublic(CancellationToken ct)
        {
            var json = await Get("exmail/publicmail/search", "list public mailboxes", null, ct, ("fuzzy", "0")).ConfigureAwait(false);
            var ids = (json["list"] as JArray ?? new JArray()).OfType<JObject>().Select(o => Json.Long(o["id"])).Where(i => i.HasValue)
                .Select(i => i.Value).ToList();
            if (ids.Count == 0)
            {
                return new List<Mailbox>();
            }

            var deps = await Departments().ConfigureAwait(false);
            return (await GetPublic(ids, ct).ConfigureAwait(false)).Select(p => PublicToMailbox(p, deps)).OrderBy(m => m.Address, StringComparer.Ordinal)
                .ToList();
        }

        private static JObject Longs(IEnumerable<long> ids) => new JObject { ["list"] = new JArray(ids.Cast<object>().ToArray()) };

        private async Task<Mailbox> CreatePublicAsync(MailboxCreateRequest request, string address, CancellationToken ct)
        {
            var name = request.DisplayName.Trim();
            if (name.Length > 64)
                throw MailAdminException
                    .Invalid("InvalidDisplayName",
                        $"WeCom allows a public mailbox name of at most 64 characters (32 Chinese characters); '{name}' is longer.", request.Address);
            if (string.IsNullOrWhiteSpace(request.Department))
                throw MailAdminException.Invalid("WeComPublicMailboxNeedsUsers",
                    $"WeCom needs to know who may use the public mailbox '{request.Address}' when it is made: give -Department (its members may use it); "
                    + "add members afterwards with Set-MailPermission -AccessRights FullAccess.", request.Address);
            var dep = await ResolveDepartment(request.Department, request.CreateDepartment, request.Address, ct).ConfigureAwait(false);
            var aliases = (request.Aliases ?? new string[0]).Select(MailNames.NormalizeAddress).Distinct().ToList();
            var body = new JObject { ["email"] = address, ["name"] = name, ["department_list"] = Longs(new[] { dep }), ["create_auth_code"] = 0 };
            long? id = null;
            await RemoteCreate.OnceAsync(async () =>
            {
                var json = await Post("exmail/publicmail/create", $"create public mailbox {address}", address, body, ct, idempotent: false)
                    .ConfigureAwait(false);
                id = Json.Long(json["id"]);
            }, async () =>
            {
                var found = await FindPublic(address, ct).ConfigureAwait(false);
                if (found != null)
                {
                    id = Json.Long(found["id"]);
                }

                return found != null;
            }, ct).ConfigureAwait(false);
            if (!id.HasValue) throw new MailAdminException(MailErrorKind.InvalidOperation, "WeComBadAnswer",
                "WeCom created a public mailbox but returned no id.", address)
            { Provider = Name };
            if (aliases.Count > 0)
                await Post("exmail/publicmail/update", $"add aliases to {address}", address,
                    new JObject { ["id"] = id.Value, ["alias_list"] = Wrap(aliases.Select(x => (JToken)x)) }, ct)
                    .ConfigureAwait(false);
            if (!request.Enabled)
            {
                await ActPublic(id.Value, false, address, ct).ConfigureAwait(false);
            }

            return PublicToMailbox(new JObject
            {
                ["id"] = id.Value,
                ["email"] = address,
                ["name"] = name,
                ["department_list"] = Longs(new[] { dep }),
                ["alias_list"] = Wrap(aliases.Select(x => (JToken)x)),
            }, await Departments().ConfigureAwait(false));
        }

        private async Task<Mailbox> UpdatePublicAsync(JObject p, string address, MailboxUpdate update, CancellationToken ct)
        {
            if (update.JobTitle != null || update.Mobile != null)
            {
                throw NotSupported("WeComPublicMailboxField", "a public mailbox has a name, aliases and its users; no job title or mobile number.", address);
            }

            var id = Json.Long(p["id"]) ?? 0;
            var body = new JObject { ["id"] = id };
            if (update.DisplayName != null)
            {
                body["name"] = update.DisplayName.Trim();
            }

            if (update.Department != null) body["department_list"] = Longs(new[]
            {
                await ResolveDepartment(update.Department, false, address, ct)
                .ConfigureAwait(false)
            });
            if ((update.AddAliases?.Length ?? 0) + (update.RemoveAliases?.Length ?? 0) > 0)
            {
                // alias_list replaces the whole set (WC/98000)
                var set = Unwrap(p["alias_list"]).Select(Json.Str).Where(x => x != null).Select(x => x.ToLowerInvariant()).ToList();
                foreach (var x in update.AddAliases ?? new string[0])
                {
                    var n = MailNames.NormalizeAddress(x);
                    if (!set.Contains(n))
                    {
                        set.Add(n);
                    }
                }
                foreach (var x in update.RemoveAliases ?? new string[0])
                {
                    set.Remove(MailNames.NormalizeAddress(x));
                }

                body["alias_list"] = Wrap(set.Select(x => (JToken)x));
            }
            if (body.Count > 1)
            {
                await Post("exmail/publicmail/update", $"update public mailbox {address}", address, body, ct).ConfigureAwait(false);
            }

            return PublicToMailbox((await GetPublic(new[] { id }, ct).ConfigureAwait(false)).First(), await Departments().ConfigureAwait(false));
        }

        private async Task ActPublic(long id, bool enabled, object target, CancellationToken ct)
        {
            await Post("exmail/account/act_email", $"{(enabled ? "enable" : "disable")} public mailbox {target}", target,
                new JObject { ["publicemail_id"] = id, ["type"] = enabled ? 1 : 2 }, ct).ConfigureAwait(false);
            Map.SetEnabled(PublicKey(id), enabled);
        }

        // ---------------------------------------------------------------- who may use a public mailbox (Set-MailPermission)

        private MailAdminException PermissionNotSupported(string what, object target)
            => NotSupported("WeComPermissionNotSupported", what, target);

        private async Task ChangeUsers(string mailbox, string trustee, MailAccessRight right, bool add, CancellationToken ct)
        {
            if (right != MailAccessRight.FullAccess)
                throw PermissionNotSupported(
                    $"the users of a public mailbox read and send as it, so the API knows one right only: grant FullAccess (not {right}).", mailbox);
            var p = await FindPublic(mailbox, ct).ConfigureAwait(false);
            if (p == null)
                throw PermissionNotSupported(
                    $"only public mailboxes have users through the API; '{mailbox}' is not one (a member's mailbox cannot be delegated).", mailbox);
            var (userId, _) = await Resolve(trustee, ct).ConfigureAwait(false);
            var users = Unwrap(p["userid_list"]).Select(Json.Str).Where(x => x != null).ToList();
            var had = users.Any(u => string.Equals(u, userId, StringComparison.OrdinalIgnoreCase));
            if (add == had)
            {
                return;
            }

            if (add)
            {
                users.Add(userId);
            }
            else
            {
                users.RemoveAll(u => string.Equals(u, userId, StringComparison.OrdinalIgnoreCase));
            }

            var body = new JObject { ["id"] = Json.Long(p["id"]), ["userid_list"] = Wrap(users.Select(x => (JToken)x)) };
            await Post("exmail/publicmail/update", $"{(add ? "let" : "stop")} {userId} {(add ? "use" : "using")} {mailbox}", mailbox, body, ct)
                .ConfigureAwait(false);
        }

        public Task GrantAsync(string mailbox, string trustee, MailAccessRight right, CancellationToken ct) => ChangeUsers(mailbox, trustee, right, true, ct);

        public Task RevokeAsync(string mailbox, string trustee, MailAccessRight right, CancellationToken ct) => ChangeUsers(mailbox, trustee, right, false, ct);

        public Task SetRoleAsync(string mailbox, MailRole role, CancellationToken ct)
            => throw PermissionNotSupported("the API cannot make a member a mail administrator; set admins in the WeCom admin console.", mailbox);

        public Task SetSendScopeAsync(string mailbox, MailSendScope scope, CancellationToken ct)
            => throw PermissionNotSupported("the API has no send scope; limit external sending in the WeCom admin console.", mailbox);

        /// <summary>FullAccess rows of public mailboxes: one per member (by address where the map knows it) and one per department
        /// ("department:Sales/East") or tag ("tag:7") that may use it.</summary>
        public IAsyncEnumerable<MailPermission> ListPermissions(string mailbox, string trustee)
        {
            return RemotePages.Stream<MailPermission>(async ct =>
            {
                List<JObject> boxes;
                if (mailbox != null)
                {
                    var p = await FindPublic(mailbox, ct).ConfigureAwait(false);
                    boxes = p == null ? new List<JObject>() : new List<JObject> { p };
                }
                else
                {
                    var json = await Get("exmail/publicmail/search", "list public mailboxes", null, ct, ("fuzzy", "0")).ConfigureAwait(false);
                    var ids = (json["list"] as JArray ?? new JArray()).OfType<JObject>().Select(o => Json.Long(o["id"])).Where(i => i.HasValue)
                        .Select(i => i.Value).ToList();
                    boxes = ids.Count == 0 ? new List<JObject>() : await GetPublic(ids, ct).ConfigureAwait(false);
                }
                var deps = await Departments().ConfigureAwait(false);
                var rows = new List<MailPermission>();
                foreach (var p in boxes)
                {
                    var who = Unwrap(p["userid_list"]).Select(Json.Str).Where(x => x != null).Select(u => Map.AddressOf(u) ?? u)
                        .Concat(Unwrap(p["department_list"]).Select(Json.Long).Where(x => x.HasValue)
                            .Select(d => "department:" + (PathOf(deps, d.Value) ?? d.Value.ToString(CultureInfo.InvariantCulture))))
                        .Concat(Unwrap(p["tag_list"]).Select(Json.Str).Where(x => x != null).Select(t => "tag:" + t));
                    foreach (var w in who)
                        rows.Add(new MailPermission
                        {
                            Identity = Json.Str(p["email"])?.ToLowerInvariant(),
                            Trustee = w,
                            AccessRights = MailAccessRight.FullAccess,
                            Provider = Name
                        });
                }
                if (trustee != null)
                {
                    var t = trustee.Contains("@") ? MailNames.NormalizeAddress(trustee) : trustee;
                    var asUser = Map.UserIdOf(t);
                    rows = rows.Where(r => string.Equals(r.Trustee, t, StringComparison.OrdinalIgnoreCase)
                        || (asUser != null && string.Equals(r.Trustee, asUser, StringComparison.OrdinalIgnoreCase))).ToList();
                }
                return rows;
            });
        }

        // ---------------------------------------------------------------- client-specific passwords of public mailboxes

        private static DateTime? UnixTime(JToken t)
        {
            var s = Json.Long(t);
            return s.HasValue && s.Value > 0 ? DateTimeOffset.FromUnixTimeSeconds(s.Value).UtcDateTime : (DateTime?)null;
        }

        private MailAdminException AppPasswordsOnlyPublic(string mailbox)
            => NotSupported("WeComAppPasswordNotSupported",
                $"client-specific passwords can be managed through the API for public mailboxes only; '{mailbox}' is a member's mailbox, "
                + "whose client passwords the member makes in WeCom mail's settings.", mailbox);

        public async Task<(MailAppPassword info, SecretText secret)> CreateAppPasswordAsync(string mailbox, string name, CancellationToken ct)
        {
            var n = name?.Trim();
            if (string.IsNullOrEmpty(n) || Encoding.UTF8.GetByteCount(n) > 128 || n.Any(char.IsControl))
                throw MailAdminException
                    .Invalid("InvalidAppPasswordName",
                        $"WeCom keeps the name as the password's remark: 1 to 128 bytes (UTF-8), no control characters ('{name}').", name);
            var p = await FindPublic(mailbox, ct).ConfigureAwait(false) ?? throw AppPasswordsOnlyPublic(mailbox);
            var id = Json.Long(p["id"]) ?? 0;
            // not repeated after a lost answer: a second call would make a second password (the first cannot be shown again)
            var json = await Post("exmail/publicmail/update", $"create a client-specific password for {mailbox}", mailbox,
                new JObject { ["id"] = id, ["create_auth_code"] = 1, ["auth_code_info"] = new JObject { ["remark"] = n } }, ct, idempotent: false)
                    .ConfigureAwait(false);
            var code = Json.Str(json["auth_code"]);
            if (string.IsNullOrEmpty(code))
                throw new MailAdminException(MailErrorKind.InvalidOperation, "WeComBadAnswer",
                    $"WeCom made no client-specific password for '{mailbox}' (no auth_code in the answer).", mailbox)
                { Provider = Name };
            var info = new MailAppPassword
            {
                Mailbox = Json.Str(p["email"])?.ToLowerInvariant(),
                Name = n,
                Id = Json.Str(json["auth_code_id"]),
                CreatedAt = DateTime.UtcNow,
                Provider = Name,
            };
            return (info, new SecretText(code));
        }

        private async Task<(JObject box, List<MailAppPassword> list)> AuthCodes(string mailbox, CancellationToken ct)
        {
            var p = await FindPublic(mailbox, ct).ConfigureAwait(false) ?? throw AppPasswordsOnlyPublic(mailbox);
            var json = await Post("exmail/publicmail/get_auth_code_list", $"list the client-specific passwords of {mailbox}", mailbox,
                new JObject { ["id"] = Json.Long(p["id"]) }, ct)
                .ConfigureAwait(false);
            var list = (json["auth_code_list"] as JArray ?? new JArray()).OfType<JObject>().Select(o => new MailAppPassword
            {
                Mailbox = Json.Str(p["email"])?.ToLowerInvariant(),
                Name = Json.Str(o["remark"]),
                Id = Json.Str(o["auth_code_id"]),
                CreatedAt = UnixTime(o["create_time"]) ?? DateTime.MinValue,
                LastUsedAt = UnixTime(o["last_use_time"]),
                Provider = Name,
            }).ToList();
            return (p, list);
        }

        public async Task<IReadOnlyList<MailAppPassword>> GetAppPasswordsAsync(string mailbox, CancellationToken ct)
            => (await AuthCodes(mailbox, ct).ConfigureAwait(false)).list;

        /// <summary>Deletes by name (the remark) or by the auth-code id Get-MailAppPassword shows; a name several passwords share is refused.</summary>
        public async Task RemoveAppPasswordAsync(string mailbox, string name, CancellationToken ct)
        {
            var (p, list) = await AuthCodes(mailbox, ct).ConfigureAwait(false);
            var hits = list.Where(a => a.Id == name).ToList();
            if (hits.Count == 0)
            {
                hits = list.Where(a => string.Equals(a.Name, name?.Trim(), StringComparison.Ordinal)).ToList();
            }

            if (hits.Count == 0)
            {
                throw MailAdminException.NotFound("AppPasswordNotFound", $"'{mailbox}' has no client-specific password named '{name}'.", name);
            }

            if (hits.Count > 1)
                throw MailAdminException.Invalid("AppPasswordAmbiguous",
                    $"{hits.Count} client-specific passwords of '{mailbox}' are named '{name}' (WeCom does not keep names unique): "
                    + $"remove one by its Id ({string.Join(", ", hits.Select(h => h.Id))}).", name);
            await Post("exmail/publicmail/delete_auth_code", $"delete a client-specific password of {mailbox}", mailbox,
                new JObject { ["id"] = Json.Long(p["id"]), ["auth_code_id"] = Json.Long(hits[0].Id) ?? (JToken)hits[0].Id }, ct).ConfigureAwait(false);
        }
    }
}
