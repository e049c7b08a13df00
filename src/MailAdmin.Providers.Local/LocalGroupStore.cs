using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;
using System.Data.Common;

namespace MailAdmin.Providers.Local
{
    using static LocalLookups;
    using static LocalMailboxStore;
    using static LocalDomainStore;

    internal sealed class LocalGroupStore : LocalStorePart
    {
        internal LocalGroupStore(LocalStore s) : base(s)
        {
        }
        private const string GroupColumns = @"g.address, g.display_name, g.who_can_send, g.domain, g.created_at,
            (SELECT group_concat(member, ',') FROM (SELECT member FROM group_member WHERE group_address = g.address ORDER BY member) AS members),
            (SELECT group_concat(sender, ',') FROM (SELECT sender FROM group_sender WHERE group_address = g.address ORDER BY sender) AS senders)";

        private MailGroup MapGroup(DbDataReader r) => new MailGroup
        {
            Address = MailNames.AddressToUnicode(r.GetString(0)),
            DisplayName = r.IsDBNull(1) ? null : r.GetString(1),
            WhoCanSend = (MailGroupSenderPolicy)Enum.Parse(typeof(MailGroupSenderPolicy), r.GetString(2)),
            Domain = MailNames.ToUnicode(r.GetString(3)),
            CreatedAt = LocalDatabase.ParseTime(r.GetString(4)),
            Members = r.IsDBNull(5) ? new string[0] : r.GetString(5).Split(',').Select(MailNames.AddressToUnicode).ToArray(),
            AllowedSenders = r.IsDBNull(6) ? new string[0] : r.GetString(6).Split(',').Select(MailNames.AddressToUnicode).ToArray(),
            Provider = Name,
        };

        private MailGroup ReadGroup(DbConnection c, DbTransaction tx, string address)
            => LocalDatabase.Query(c, tx, $"SELECT {GroupColumns} FROM mail_group g WHERE g.address = $a", MapGroup, ("$a", address)).FirstOrDefault();

        private string ResolveGroup(DbConnection c, DbTransaction tx, string identity)
        {
            var a = MailNames.NormalizeAddress(identity);
            if (LocalDatabase.Scalar(c, tx, "SELECT 1 FROM mail_group WHERE address = $a", ("$a", a)) == null)
            {
                throw MailAdminException.NotFound("MailGroupNotFound", $"There is no group '{identity}' in the Local store.", identity);
            }

            return a;
        }

        private static List<string> NormalizeList(IEnumerable<string> addresses)
            => (addresses ?? Enumerable.Empty<string>()).Where(s => !string.IsNullOrWhiteSpace(s)).Select(MailNames.NormalizeAddress).Distinct().ToList();

        private static void CheckSenders(MailGroupSenderPolicy policy, List<string> senders, string group)
        {
            if (policy == MailGroupSenderPolicy.Listed && senders.Count == 0)
            {
                throw MailAdminException.Invalid(
                    "AllowedSendersRequired", $"WhoCanSend Listed for '{group}' needs at least one address in -AllowedSenders.", group);
            }
        }

        /// <summary>Postfix checks who may send only against the address mail is sent to; the members of a group inside it are
        /// reached without a second check. So a group may not hold (directly or through other groups) a group that is stricter
        /// than itself (Anyone, then Organization, then Members/Listed): the outer group's senders would reach the inner group's
        /// members whatever its own WhoCanSend. Runs inside the write, before commit.</summary>
        private static void CheckNesting(DbConnection c, DbTransaction tx)
        {
            var bad = LocalDatabase.Query(c, tx, @"WITH RECURSIVE reach(outer_group, inner_group) AS (
                    SELECT gm.group_address, gm.member FROM group_member gm JOIN mail_group o ON o.address = gm.group_address
                        WHERE o.who_can_send <> 'Members' AND o.who_can_send <> 'Listed'
                    UNION
                    SELECT r.outer_group, gm.member FROM reach r JOIN group_member gm ON gm.group_address = r.inner_group)
                SELECT r.outer_group, r.inner_group, g.who_can_send, o.who_can_send FROM reach r JOIN mail_group g ON g.address = r.inner_group
                    JOIN mail_group o ON o.address = r.outer_group
                WHERE (CASE g.who_can_send WHEN 'Anyone' THEN 0 WHEN 'Organization' THEN 1 ELSE 2 END)
                    > (CASE o.who_can_send WHEN 'Anyone' THEN 0 WHEN 'Organization' THEN 1 ELSE 2 END) LIMIT 1",
                r => (outer: r.GetString(0), inner: r.GetString(1), policy: r.GetString(2), outerPolicy: r.GetString(3)));
            if (bad.Count > 0)
                throw MailAdminException.Invalid("GroupNestingBypassesWhoCanSend",
                    $"'{MailNames.AddressToUnicode(bad[0].inner)}' (WhoCanSend {bad[0].policy}) would be inside '{MailNames.AddressToUnicode(bad[0].outer)}' "
                        + $"(WhoCanSend {bad[0].outerPolicy}): mail to the outer group reaches the inner group's members without their own check. Open the "
                            + $"inner group as far as the outer one, restrict the outer one, or add the inner group's members instead.",
                    MailNames.AddressToUnicode(bad[0].inner));
        }

        public Task<MailGroup> CreateGroupAsync(MailGroup group, CancellationToken ct)
        {
            var address = MailNames.NormalizeAddress(group.Address);
            RequireNoDelimiter(address, group.Address);
            var members = NormalizeList(group.Members);
            var senders = NormalizeList(group.AllowedSenders);
            CheckSenders(group.WhoCanSend, senders, group.Address);
            if (members.Contains(address))
            {
                throw MailAdminException.Invalid("GroupMemberOfItself", $"The group '{group.Address}' cannot be a member of itself.", group.Address);
            }

            return Task.FromResult(_db.Write((c, tx) =>
            {
                RequireDomain(c, tx, MailNames.DomainOf(address), group.Address);
                var used = AddressInUse(c, tx, address);
                if (used != null)
                {
                    throw MailAdminException.Exists("MailGroupExists", $"'{group.Address}' already exists in the Local store (as {used}).", group.Address);
                }

                LocalDatabase.Exec(c, tx, "INSERT INTO mail_group(address, domain, display_name, who_can_send, created_at) VALUES($a, $d, $n, $w, $t)",
                    ("$a", address), ("$d", MailNames.DomainOf(address)), ("$n", Clean(group.DisplayName)), ("$w", group.WhoCanSend.ToString()),
                        ("$t", LocalDatabase.Now()));
                foreach (var m in members)
                {
                    LocalDatabase.Exec(c, tx, "INSERT INTO group_member(group_address, member) VALUES($g, $m)", ("$g", address), ("$m", m));
                }

                foreach (var s in senders)
                {
                    LocalDatabase.Exec(c, tx, "INSERT INTO group_sender(group_address, sender) VALUES($g, $s)", ("$g", address), ("$s", s));
                }

                CheckNesting(c, tx);
                return ReadGroup(c, tx, address);
            }));
        }

        public Task<MailGroup> GetGroupAsync(string identity, CancellationToken ct)
            => Task.FromResult(_db.Read(c => ReadGroup(c, null, ResolveGroup(c, null, identity))));

        public IAsyncEnumerable<MailGroup> ListGroups(string pattern)
        {
            var glob = string.IsNullOrEmpty(pattern) ? "*" : GlobForAddress(pattern);
            return KeysetPages.Stream((last, size) => _db.Read(c => LocalDatabase.Query(c, null,
                $"SELECT {GroupColumns} FROM mail_group g WHERE g.address > $last AND glob($g, g.address) ORDER BY g.address LIMIT $n",
                MapGroup, ("$last", last), ("$g", glob), ("$n", size))), g => MailNames.NormalizeAddress(g.Address), 500);
        }

        public Task<MailGroup> UpdateGroupAsync(string identity, MailGroupUpdate update, CancellationToken ct)
        {
            var senders = update.AllowedSenders == null ? null : NormalizeList(update.AllowedSenders);
            return Task.FromResult(_db.Write((c, tx) =>
            {
                var a = ResolveGroup(c, tx, identity);
                if (update.DisplayName != null)
                {
                    LocalDatabase.Exec(c, tx, "UPDATE mail_group SET display_name = $n WHERE address = $a", ("$n", Clean(update.DisplayName)), ("$a", a));
                }

                if (senders != null)
                {
                    LocalDatabase.Exec(c, tx, "DELETE FROM group_sender WHERE group_address = $a", ("$a", a));
                    foreach (var s in senders)
                    {
                        LocalDatabase.Exec(c, tx, "INSERT INTO group_sender(group_address, sender) VALUES($g, $s)", ("$g", a), ("$s", s));
                    }
                }
                if (update.WhoCanSend.HasValue)
                {
                    LocalDatabase.Exec(
                        c, tx, "UPDATE mail_group SET who_can_send = $w WHERE address = $a", ("$w", update.WhoCanSend.Value.ToString()), ("$a", a));
                }

                var g = ReadGroup(c, tx, a);
                CheckSenders(g.WhoCanSend, NormalizeList(g.AllowedSenders), identity);
                if (update.WhoCanSend.HasValue)
                {
                    CheckNesting(c, tx);
                }

                return g;
            }));
        }

        public Task RemoveGroupAsync(string identity, CancellationToken ct)
        {
            _db.Write((c, tx) =>
            {
                var a = ResolveGroup(c, tx, identity);
                LocalDatabase.Exec(c, tx, "DELETE FROM group_member WHERE member = $a", ("$a", a));
                LocalDatabase.Exec(c, tx, "DELETE FROM mail_group WHERE address = $a", ("$a", a));
                return 0;
            });
            return Task.CompletedTask;
        }

        public Task<MailGroup> AddMembersAsync(string identity, IReadOnlyList<string> members, CancellationToken ct)
        {
            var list = NormalizeList(members);
            return Task.FromResult(_db.Write((c, tx) =>
            {
                var a = ResolveGroup(c, tx, identity);
                if (list.Contains(a))
                {
                    throw MailAdminException.Invalid("GroupMemberOfItself", $"The group '{identity}' cannot be a member of itself.", identity);
                }

                foreach (var m in list)
                {
                    LocalDatabase.Exec(c, tx, "INSERT INTO group_member(group_address, member) VALUES($g, $m) ON CONFLICT DO NOTHING", ("$g", a), ("$m", m));
                }

                CheckNesting(c, tx);
                return ReadGroup(c, tx, a);
            }));
        }

        public Task<MailGroup> RemoveMembersAsync(string identity, IReadOnlyList<string> members, CancellationToken ct)
        {
            var list = NormalizeList(members);
            return Task.FromResult(_db.Write((c, tx) =>
            {
                var a = ResolveGroup(c, tx, identity);
                foreach (var m in list)
                {
                    if (LocalDatabase.Exec(c, tx, "DELETE FROM group_member WHERE group_address = $g AND member = $m", ("$g", a), ("$m", m)) == 0)
                    {
                        throw MailAdminException.NotFound("MailGroupMemberNotFound", $"'{MailNames.AddressToUnicode(m)}' is not a member of '{identity}'.", m);
                    }
                }
                return ReadGroup(c, tx, a);
            }));
        }

        public Task<IReadOnlyList<MailGroupMember>> GetMembersAsync(string identity, CancellationToken ct)
            => Task.FromResult<IReadOnlyList<MailGroupMember>>(_db.Read(c =>
            {
                var a = ResolveGroup(c, null, identity);
                return LocalDatabase.Query(c, null, @"SELECT gm.member, coalesce(m.display_name, g2.display_name),
                        CASE WHEN m.username IS NOT NULL OR g2.address IS NOT NULL OR al.address IS NOT NULL THEN 1 ELSE 0 END
                    FROM group_member gm
                    LEFT JOIN mailbox m ON m.username = gm.member
                    LEFT JOIN mail_group g2 ON g2.address = gm.member
                    LEFT JOIN mailbox_alias al ON al.address = gm.member
                    WHERE gm.group_address = $a ORDER BY gm.member",
                    r => new MailGroupMember
                    {
                        Group = MailNames.AddressToUnicode(a),
                        Address = MailNames.AddressToUnicode(r.GetString(0)),
                        DisplayName = r.IsDBNull(1) ? null : r.GetString(1),
                        IsInternal = r.GetInt64(2) != 0,
                    }, ("$a", a));
            }));
    }
}
