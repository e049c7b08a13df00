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
using MailAdmin.Remote;
using MailAdmin.Validation;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.WeCom
{
    public sealed partial class WeComProvider
    {
        private static readonly Regex UserIdChars = new Regex("^[A-Za-z0-9_.@-]{1,64}$");

        /// <summary>The UserID New-Mailbox gives a member when none is named: the address's local part, refused characters as '_'.</summary>
        public static string UserIdFor(string address)
        {
            var local = MailNames.LocalPartOf(address);
            var id = Regex.Replace(local, "[^A-Za-z0-9_.-]", "_");
            return id.Length > 64 ? id.Substring(0, 64) : id;
        }

        /// <summary>
        /// The member behind an identity: a UserID (no '@') as it is; an address through the map, else a member whose UserID is
        /// the local part and whose biz_mail (where WeCom still returns it) is the address.
        /// </summary>
        private async Task<(string userId, JObject user)> Resolve(string identity, CancellationToken ct, bool required = true)
        {
            var s = (identity ?? "").Trim();
            if (s.Length == 0)
            {
                throw MailAdminException.Invalid("IdentityRequired", "Name the mailbox by address or WeCom UserID.", identity);
            }

            if (!s.Contains("@"))
            {
                var u = await TryGetUser(s, ct).ConfigureAwait(false);
                if (u == null && required)
                {
                    throw MailAdminException.NotFound("MailboxNotFound", $"WeCom has no member with the UserID '{s}'.", identity);
                }

                return (s, u);
            }
            var a = MailNames.NormalizeAddress(s);
            var mapped = Map.UserIdOf(a);
            if (mapped != null)
            {
                var u = await TryGetUser(mapped, ct).ConfigureAwait(false);
                if (u != null)
                {
                    return (mapped, u);
                }

                Map.Remove(mapped); // removed in the console meanwhile
            }
            else
            {
                var guess = UserIdFor(a);
                var u = await TryGetUser(guess, ct).ConfigureAwait(false);
                if (u != null && string.Equals(Json.Str(u["biz_mail"]), a, StringComparison.OrdinalIgnoreCase))
                {
                    Map.Record(guess, a);
                    return (guess, u);
                }
                if (u != null && Json.Str(u["biz_mail"]) == null && required)
                    throw MailAdminException.NotFound("WeComAddressUnknown",
                        $"WeCom no longer tells this application which member has '{a}' (user/get omits biz_mail since 2022-06-20), and it is not in the "
                            + $"UserID map ({Map.Path ?? "memory"}). Name the member by UserID (for example '{guess}'), or connect with the contact-sync "
                                + $"secret once so the map learns the addresses.", identity);
            }
            if (required)
            {
                throw MailAdminException.NotFound("MailboxNotFound", $"WeCom has no mailbox '{a}'.", identity);
            }

            return (null, null);
        }

        /// <summary>A member's mailbox, else a public mailbox of that address.</summary>
        private async Task<(string userId, JObject user, JObject pub)> ResolveAny(string identity, CancellationToken ct)
        {
            try
            {
                var (userId, user) = await Resolve(identity, ct).ConfigureAwait(false);
                return (userId, user, null);
            }
            catch (MailAdminException e) when (e.ErrorId == "MailboxNotFound" && (identity ?? "").Contains("@"))
            {
                var p = await FindPublic(identity, ct).ConfigureAwait(false);
                if (p == null)
                {
                    throw;
                }

                return (null, null, p);
            }
        }

        private async Task<JObject> TryGetUser(string userId, CancellationToken ct)
        {
            try
            {
                return await Get("user/get", $"get member {userId}", userId, ct, ("userid", userId)).ConfigureAwait(false);
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ObjectNotFound)
            {
                return null;
            }
        }

        private Mailbox ToMailbox(JObject u, IDictionary<long, (string name, long parent)> deps, ISet<string> vip)
        {
            var userId = Json.Str(u["userid"]);
            var shown = Json.Str(u["biz_mail"])?.ToLowerInvariant();
            if (shown != null)
            {
                Map.Record(userId, shown);
            }

            var address = shown ?? Map.AddressOf(userId);
            var depIds = (u["department"] as JArray ?? new JArray()).Select(Json.Long).Where(x => x.HasValue).Select(x => x.Value).ToList();
            var aliases = (u["biz_mail_alias"] is JObject ba ? Json.Strings(ba["item"]) : new string[0]).Select(x => x.ToLowerInvariant()).ToArray();
            return new Mailbox
            {
                Address = address,
                Id = userId,
                UserId = userId,
                DisplayName = Json.Str(u["name"]),
                Department = depIds.Count == 0 ? null : PathOf(deps, depIds[0]),
                JobTitle = NullIfEmpty(Json.Str(u["position"])),
                Mobile = NullIfEmpty(Json.Str(u["mobile"])),
                Enabled = MemberEnabled(u) && Map.EnabledOf(userId),
                Aliases = aliases,
                Domain = address != null && address.Contains("@") ? MailNames.DomainOf(address) : null,
                HasPassword = false,
                AdvancedFeatures = vip?.Contains(userId),
                Provider = Name,
            };
        }

        private static string NullIfEmpty(string s) => string.IsNullOrEmpty(s) ? null : s;

        /// <summary>
        /// What WeCom itself tells of the member (user/get and user/list, WC/90196): enable 0 or status 2 (disabled) means the member,
        /// and so its mailbox, cannot be used. No call reads act_email's mail state back, so that part comes from the map.
        /// </summary>
        private static bool MemberEnabled(JObject u) => Json.Int(u["enable"]) != 0 && Json.Int(u["status"]) != 2;

        public async Task<Mailbox> CreateMailboxAsync(MailboxCreateRequest request, CancellationToken ct)
        {
            var address = MailNames.NormalizeAddress(request.Address);
            if (string.IsNullOrWhiteSpace(request.DisplayName))
            {
                throw MailAdminException.Invalid(
                    "DisplayNameRequired", $"WeCom requires a member name (-DisplayName, 1-64 characters) for '{request.Address}'.", request.Address);
            }

            if (request.Password != null)
            {
                throw NotSupported(
                    "WeComPasswordNotSupported", $"the API cannot set a member's mail password, so '{request.Address}' was not created with one: leave "
                        + $"-Password out (the member signs in with WeCom, or sets a password in the mail client's settings).", request.Address);
            }

            if (request.Role == MailRole.Admin)
            {
                throw NotSupported(
                    "WeComRolesNotSupported", "the API cannot make a member a mail administrator; set admins in the WeCom admin console.", request.Address);
            }

            if (request.QuotaMB.HasValue)
            {
                throw NotSupported("WeComQuotaNotSupported", "the API does not set mailbox quotas.", request.Address);
            }

            if (request.Type == MailboxType.Shared)
            {
                return await CreatePublicAsync(request, address, ct).ConfigureAwait(false);
            }

            var userId = request.UserId ?? UserIdFor(address);
            if (!UserIdChars.IsMatch(userId))
            {
                throw MailAdminException.Invalid("InvalidUserId", $"'{userId}' is not a WeCom UserID: 1-64 letters, digits, _ . @ -.", request.Address);
            }

            var aliases = (request.Aliases ?? new string[0]).Select(MailNames.NormalizeAddress).Distinct().ToList();
            var dep = await ResolveDepartment(request.Department, request.CreateDepartment, request.Address, ct).ConfigureAwait(false);
            var body = new JObject { ["userid"] = userId, ["name"] = request.DisplayName.Trim(), ["department"] = new JArray(dep), ["biz_mail"] = address };
            if (!string.IsNullOrWhiteSpace(request.JobTitle))
            {
                body["position"] = request.JobTitle.Trim();
            }

            if (!string.IsNullOrWhiteSpace(request.Mobile))
            {
                body["mobile"] = request.Mobile.Trim();
            }
            // one request per mailbox; after a lost answer the member is looked up before the create is sent again
            await RemoteCreate.OnceAsync(
                () => Post("user/create", $"create mailbox {address}", address, body, ct, idempotent: false),
                async () => await TryGetUser(userId, ct).ConfigureAwait(false) != null, ct).ConfigureAwait(false);
            Map.Record(userId, address);
            // a member of the same UserID disabled here earlier and removed elsewhere: this one is new and enabled
            if (request.Enabled && !Map.EnabledOf(userId))
            {
                Map.SetEnabled(userId, true);
            }

            if (aliases.Count > 0)
            {
                await Post("user/update", $"add aliases to {address}", address,
                    new JObject { ["userid"] = userId, ["biz_mail_alias"] = new JObject { ["item"] = new JArray(aliases) } }, ct).ConfigureAwait(false);
            }

            if (!request.Enabled)
            {
                try
                {
                    await ActEmail(userId, false, address, ct).ConfigureAwait(false);
                }
                catch (MailAdminException e)
                {
                    try
                    {
                        await RemoveByUserId(userId, address, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (MailAdminException e2)
                    {
                        throw new MailAdminException(MailErrorKind.InvalidOperation, "MailboxCreatedEnabled",
                            $"'{address}' was created but could not be disabled ({e.Message}) nor removed again ({e2.Message}): it exists and is ENABLED. "
                                + $"Disable it with: Disable-Mailbox '{address}'", request.Address, e)
                        { Provider = Name };
                    }
                    throw new MailAdminException(
                        e.Kind == MailErrorKind.ConnectionError ? MailErrorKind.ConnectionError : MailErrorKind.InvalidOperation, "MailboxNotCreatedDisabled",
                        $"'{address}' was not created: WeCom creates mailboxes enabled and disabling it failed ({e.Message}), so the member was removed again.",
                            request.Address, e)
                    { Provider = Name };
                }
            }
            var deps = await Departments().ConfigureAwait(false);
            return new Mailbox
            {
                Address = address,
                Id = userId,
                UserId = userId,
                DisplayName = request.DisplayName.Trim(),
                Department = PathOf(deps, dep),
                JobTitle = NullIfEmpty(request.JobTitle?.Trim()),
                Mobile = NullIfEmpty(request.Mobile?.Trim()),
                Enabled = request.Enabled,
                Aliases = aliases.ToArray(),
                Domain = MailNames.DomainOf(address),
                HasPassword = false,
                AdvancedFeatures = false,
                CreatedAt = DateTime.UtcNow,
                Provider = Name,
            };
        }

        public async Task<Mailbox> GetMailboxAsync(string address, CancellationToken ct)
        {
            var (_, u, pub) = await ResolveAny(address, ct).ConfigureAwait(false);
            if (pub != null)
            {
                return PublicToMailbox(pub, await Departments().ConfigureAwait(false));
            }

            return ToMailbox(u, await Departments().ConfigureAwait(false), await AdvancedFeatureSeats(ct).ConfigureAwait(false));
        }

        public IAsyncEnumerable<Mailbox> ListMailboxes(MailboxQuery query)
        {
            return RemotePages.Stream<Mailbox>(async ct =>
            {
                var deps = await Departments(reload: true).ConfigureAwait(false);
                var pattern = string
                    .IsNullOrEmpty(query.Identity) ? null : new Regex("^"
                        + Regex.Escape(query.Identity.ToLowerInvariant()).Replace("\\*", ".*").Replace("\\?", ".") + "$");
                bool Wanted(Mailbox m) => (pattern == null || (m.Address != null && pattern.IsMatch(m.Address))
                    || (m.UserId != null && pattern.IsMatch(m.UserId.ToLowerInvariant()))
                        || m.Aliases.Any(pattern.IsMatch))
                    && (query.Domain == null || string.Equals(m.Domain, MailNames.NormalizeDomain(query.Domain), StringComparison.OrdinalIgnoreCase))
                    && (query.Enabled == null || m.Enabled == query.Enabled) && (query.Role == null || query.Role == MailRole.User);
                // public mailboxes: who may use them is not their department, so a department filter leaves them out
                if (query.Type == MailboxType.Shared)
                {
                    if (!string.IsNullOrEmpty(query.Department))
                    {
                        return new List<Mailbox>();
                    }

                    if (!string.IsNullOrEmpty(query.Identity) && query.Identity.IndexOfAny(new[] { '*', '?' }) < 0)
                    {
                        var p = await FindPublic(query.Identity, ct).ConfigureAwait(false);
                        return p == null ? new List<Mailbox>() : new List<Mailbox> { PublicToMailbox(p, deps) }.Where(Wanted).ToList();
                    }
                    return (await ListPublic(ct).ConfigureAwait(false)).Where(Wanted).ToList();
                }
                var dep = RootDepartment;
                if (!string.IsNullOrEmpty(query.Department))
                {
                    var w = Walk(deps, SplitPath(query.Department));
                    if (w.missingAt >= 0)
                    {
                        return new List<Mailbox>();
                    }

                    dep = w.id;
                }
                if (!string.IsNullOrEmpty(query.Identity) && query.Identity.IndexOfAny(new[] { '*', '?' }) < 0)
                {
                    var (_, u) = await Resolve(query.Identity, ct, required: false).ConfigureAwait(false);
                    if (u != null)
                    {
                        return new List<Mailbox> { ToMailbox(u, deps, await AdvancedFeatureSeats(ct).ConfigureAwait(false)) }.Where(Wanted).ToList();
                    }

                    var p = query.Type == null && string.IsNullOrEmpty(query.Department) ? await FindPublic(query.Identity, ct).ConfigureAwait(false) : null;
                    return p == null ? new List<Mailbox>() : new List<Mailbox> { PublicToMailbox(p, deps) }.Where(Wanted).ToList();
                }
                var json = await Get("user/list", "list members", query.Department, ct,
                    ("department_id", dep.ToString(CultureInfo.InvariantCulture)), ("fetch_child", "1")).ConfigureAwait(false);
                var vip = await AdvancedFeatureSeats(ct).ConfigureAwait(false);
                var list = (json["userlist"] as JArray ?? new JArray()).OfType<JObject>().Select(u => ToMailbox(u, deps, vip)).Where(Wanted).ToList();
                if (query.Type == null && string.IsNullOrEmpty(query.Department))
                {
                    list.AddRange((await ListPublic(ct).ConfigureAwait(false)).Where(Wanted));
                }

                return list;
            });
        }

        public async Task<Mailbox> UpdateMailboxAsync(string address, MailboxUpdate update, CancellationToken ct)
        {
            if (update.QuotaMB.HasValue || update.ClearQuota)
            {
                throw NotSupported("WeComQuotaNotSupported", "the API does not set mailbox quotas.", address);
            }

            if (update.Type.HasValue)
                throw NotSupported("WeComMailboxTypeFixed",
                    "a member's mailbox and a public mailbox are different objects: the API cannot turn one into the other. "
                    + "Create a public mailbox with New-Mailbox -Shared and move the mail in the mail client.", address);
            var (userId, u, pub) = await ResolveAny(address, ct).ConfigureAwait(false);
            if (pub != null)
            {
                return await UpdatePublicAsync(pub, address, update, ct).ConfigureAwait(false);
            }

            var body = new JObject { ["userid"] = userId };
            if (update.DisplayName != null)
            {
                body["name"] = update.DisplayName.Trim();
            }

            if (update.JobTitle != null)
            {
                body["position"] = update.JobTitle.Trim();
            }

            if (update.Mobile != null)
            {
                body["mobile"] = update.Mobile.Trim();
            }

            if (update.Department != null)
            {
                body["department"] = new JArray(await ResolveDepartment(update.Department, false, address, ct).ConfigureAwait(false));
            }

            if ((update.AddAliases?.Length ?? 0) + (update.RemoveAliases?.Length ?? 0) > 0)
            {
                var set = (u["biz_mail_alias"] is JObject ba ? Json.Strings(ba["item"]) : new string[0]).Select(x => x.ToLowerInvariant()).ToList();
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

                body["biz_mail_alias"] = new JObject { ["item"] = new JArray(set) };
            }
            if (body.Count > 1)
            {
                await Post("user/update", $"update mailbox {address}", address, body, ct).ConfigureAwait(false);
            }

            return await GetMailboxAsync(userId, ct).ConfigureAwait(false);
        }

        public async Task RemoveMailboxAsync(string address, CancellationToken ct)
        {
            var (userId, _, pub) = await ResolveAny(address, ct).ConfigureAwait(false);
            if (pub != null)
            {
                await Post("exmail/publicmail/delete", $"remove public mailbox {address}", address, new JObject { ["id"] = Json.Long(pub["id"]) }, ct)
                    .ConfigureAwait(false);
                Map.Remove(PublicKey(Json.Long(pub["id"]) ?? 0));
                return;
            }
            await RemoveByUserId(userId, address, ct).ConfigureAwait(false);
        }

        private async Task RemoveByUserId(string userId, object target, CancellationToken ct)
        {
            await Get("user/delete", $"remove member {userId}", target, ct, ("userid", userId)).ConfigureAwait(false);
            Map.Remove(userId);
        }

        private async Task ActEmail(string userId, bool enabled, object target, CancellationToken ct)
        {
            await Post("exmail/account/act_email", $"{(enabled ? "enable" : "disable")} the mailbox of {userId}", target,
                new JObject { ["userid"] = userId, ["type"] = enabled ? 1 : 2 }, ct).ConfigureAwait(false);
            Map.SetEnabled(userId, enabled);
        }

        public async Task<Mailbox> SetMailboxEnabledAsync(string address, bool enabled, CancellationToken ct)
        {
            var (userId, u, pub) = await ResolveAny(address, ct).ConfigureAwait(false);
            if (pub != null)
            {
                await ActPublic(Json.Long(pub["id"]) ?? 0, enabled, address, ct).ConfigureAwait(false);
                return PublicToMailbox(pub, await Departments().ConfigureAwait(false));
            }
            await ActEmail(userId, enabled, address, ct).ConfigureAwait(false);
            return ToMailbox(u, await Departments().ConfigureAwait(false), await AdvancedFeatureSeats(ct).ConfigureAwait(false));
        }

        /// <summary>WeCom has no API that sets a member's mail password (PROVIDERS-ADDENDUM.md 1.0): says so and what to do instead.</summary>
        public Task SetPasswordAsync(string address, SecretText password, bool forceChange, CancellationToken ct)
            => throw NotSupported("WeComPasswordNotSupported",
                $"the API cannot set or reset a member's mail password ('{address}'). The member signs in through WeCom (scan to log in) and manages "
                + "the mail password and client-specific passwords in WeCom mail's settings; "
                + "an administrator can reset it in the WeCom admin console (协作 → 邮件 → 成员邮箱). "
                + "A public mailbox has no password of its own: give it client-specific passwords with New-MailAppPassword.", address);

        // ---------------------------------------------------------------- advanced-feature seats (exmail/vip)

        /// <summary>Documented batch size of vip/batch_add and vip/batch_del (WC/99316, WC/99317).</summary>
        public const int SeatBatchSize = 100;

        /// <summary>
        /// The UserIDs holding a seat: vip/list page by page (200 a page, the documented maximum), looping on has_more; null (not
        /// reported) when the application may not read them, so that reading mailboxes does not depend on it.
        /// </summary>
        private async Task<ISet<string>> AdvancedFeatureSeats(CancellationToken ct)
        {
            try
            {
                return await ReadAdvancedFeatureSeats(ct).ConfigureAwait(false);
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.PermissionDenied || e.Kind == MailErrorKind.NotSupported)
            {
                return null;
            }
        }

        private async Task<ISet<string>> ReadAdvancedFeatureSeats(CancellationToken ct)
        {
            var seats = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string cursor = null;
            for (var guard = 0; guard < 10000; guard++)
            {
                var body = new JObject { ["limit"] = 200 };
                if (!string.IsNullOrEmpty(cursor))
                {
                    body["cursor"] = cursor;
                }

                var json = await Post("exmail/vip/list", "list advanced-feature seats", null, body, ct).ConfigureAwait(false);
                foreach (var id in Json.Strings(json["userid_list"]))
                {
                    seats.Add(id);
                }

                cursor = Json.Str(json["next_cursor"]);
                if (Json.Bool(json["has_more"]) != true || string.IsNullOrEmpty(cursor))
                {
                    break;
                }
            }
            return seats;
        }

        public async Task<IReadOnlyList<string>> SetAdvancedFeaturesAsync(IReadOnlyList<string> identities, bool enabled, CancellationToken ct)
        {
            var refused = new List<string>();
            var byUser = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var identity in identities)
            {
                var (userId, _) = await Resolve(identity, ct).ConfigureAwait(false);
                byUser[userId] = identity;
            }
            var ids = byUser.Keys.ToList();
            for (var i = 0; i < ids.Count; i += SeatBatchSize)
            {
                var chunk = ids.Skip(i).Take(SeatBatchSize).ToList();
                var json = await Post(
                    enabled ? "exmail/vip/batch_add" : "exmail/vip/batch_del", $"{(enabled ? "give" : "take")} {chunk.Count} advanced-feature seat(s)",
                    chunk[0],
                    new JObject { ["userid_list"] = new JArray(chunk) }, ct).ConfigureAwait(false);
                refused.AddRange(Json.Strings(json["fail_userid_list"]).Select(u => byUser.TryGetValue(u, out var who) ? who : u));
            }
            return refused;
        }

        // ---------------------------------------------------------------- settings (exmail/useroption)

        /// <summary>
        /// The member whose options useroption reads and sets. useroption names members by UserID only (WC/95513; unlike
        /// act_email it has no publicemail_id), so a public mailbox is refused with what to do instead, rather than "not found".
        /// </summary>
        private async Task<(string userId, JObject user)> ResolveMember(string mailbox, CancellationToken ct)
        {
            var (userId, u, pub) = await ResolveAny(mailbox, ct).ConfigureAwait(false);
            if (pub != null)
                throw NotSupported("WeComPublicMailboxSettingsNotSupported",
                    $"'{Json.Str(pub["email"]) ?? mailbox}' is a public mailbox (公共邮箱), and the API reads and switches IMAP, POP and "
                    + "secure login (exmail/useroption) for members only. Set its protocols in the WeCom admin console (协作 → 邮件); "
                    + "mail clients sign in to it with a client-specific password (New-MailAppPassword).", mailbox);
            return (userId, u);
        }

        public async Task<MailboxSettings> GetSettingsAsync(string mailbox, CancellationToken ct)
        {
            var (userId, u) = await ResolveMember(mailbox, ct).ConfigureAwait(false);
            var json = await Post(
                "exmail/useroption/get", $"read the settings of {mailbox}", mailbox, new JObject { ["userid"] = userId, ["type"] = new JArray(1, 2, 3, 4) },
                    ct).ConfigureAwait(false);
            var values = Unwrap(json["option"]).OfType<JObject>().ToDictionary(o => Json.Int(o["type"]) ?? 0, o => Json.Bool(o["value"]) ?? false);
            bool V(int t) => values.TryGetValue(t, out var v) && v;
            return new MailboxSettings
            {
                Identity = Json.Str(u["biz_mail"]) ?? Map.AddressOf(userId) ?? userId,
                ForceSecureLogin = V(1),
                ImapEnabled = V(2),
                PopEnabled = V(3),
                SmtpEnabled = V(2) || V(3),
                SecureLoginActive = values.ContainsKey(4) ? V(4) : (bool?)null,
                ExternalSendEnabled = true,
                ArchiveEnabled = false,
                Provider = Name,
            };
        }

        public async Task<MailboxSettings> SetSettingsAsync(string mailbox, MailboxSettingsUpdate update, CancellationToken ct)
        {
            if (update.SmtpEnabled.HasValue || update.ExternalSendEnabled.HasValue || update.ArchiveEnabled.HasValue)
                throw NotSupported("WeComSettingNotSupported",
                    "the API switches ForceSecureLogin, IMAP (with SMTP) and POP (with SMTP) only; SMTP alone, external sending and archiving are set in the "
                        + "admin console.", mailbox);
            var (userId, _) = await ResolveMember(mailbox, ct).ConfigureAwait(false);
            var options = new JArray();
            if (update.ForceSecureLogin.HasValue)
            {
                options.Add(new JObject { ["type"] = 1, ["value"] = update.ForceSecureLogin.Value ? "1" : "0" });
            }

            if (update.ImapEnabled.HasValue)
            {
                options.Add(new JObject { ["type"] = 2, ["value"] = update.ImapEnabled.Value ? "1" : "0" });
            }

            if (update.PopEnabled.HasValue)
            {
                options.Add(new JObject { ["type"] = 3, ["value"] = update.PopEnabled.Value ? "1" : "0" });
            }

            if (options.Count > 0)
            {
                await Post("exmail/useroption/update", $"change the settings of {mailbox}", mailbox,
                    new JObject { ["userid"] = userId, ["option"] = Wrap(options) }, ct).ConfigureAwait(false);
            }

            return await GetSettingsAsync(userId, ct).ConfigureAwait(false);
        }
    }
}
