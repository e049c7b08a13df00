using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MailAdmin.Models;

namespace MailAdmin.DnsHosting
{
    /// <summary>
    /// Compares what a zone needs with what its DNS host holds and makes the host hold exactly that: per required record
    /// Add, Update, Unchanged or Refused, then Remove for every other record of a required name and type (for TXT: of the
    /// same kind, so an unrelated TXT at the apex stays). Records of other names and types are left alone. A name never
    /// keeps a second SPF or DMARC record: existing SPF records are merged into one with the required terms (within the
    /// 10-lookup limit), the others removed; a TXT record of a kind (v=DKIM1, v=DMARC1, v=STSv1, v=TLSRPTv1, any TXT at a
    /// DKIM selector) is updated in place and its duplicates removed. Nothing is planned at a name that holds a CNAME, nor
    /// a CNAME at a name that holds anything else. A TTL difference alone is an Update. Removals come last in the plan:
    /// they run only after the adds and updates of their name and type succeeded, so a domain is never left with no MX.
    /// </summary>
    public static class DnsPublishPlanner
    {
        public const int SpfLookupLimit = 10;

        public static List<DnsPlanItem> Plan(string zone, IEnumerable<MailDnsRecord> required, IReadOnlyList<DnsHostRecord> existing,
            string dnsHost = null, DnsPlanOptions options = null)
        {
            zone = Norm(zone);
            options = options ?? new DnsPlanOptions();
            var plan = new List<DnsPlanItem>();
            var have = existing.Where(r => !r.Disabled).ToList();
            var reqs = required.ToList();
            var claimed = new HashSet<DnsHostRecord>();
            // (name, type, kind) whose other records are removed; kind: null for every record of the type, else a TXT kind
            var scopes = new List<(string name, string type, string kind)>();
            var blocked = new HashSet<(string, string, string)>();

            var spfDone = new HashSet<string>();
            foreach (var r in reqs)
            {
                var name = Norm(r.Name);
                var type = (r.Type ?? "").ToUpperInvariant();
                var ttl = r.Ttl > 0 ? r.Ttl : 3600;
                var item = new DnsPlanItem
                {
                    Zone = zone,
                    Name = name,
                    Type = type,
                    Value = Canon(type, r.Value),
                    Priority = r.Priority,
                    Ttl = options.EffectiveTtl?.Invoke(ttl) ?? ttl,
                    Purpose = r.Purpose,
                    DnsHost = dnsHost,
                };
                if (name != zone && !name.EndsWith("." + zone, StringComparison.Ordinal))
                {
                    Refuse(item, "DnsRecordOutsideZone", $"{name} is not in the zone {zone}.");
                    plan.Add(item);
                    continue;
                }
                var atName = have.Where(h => Norm(h.Name) == name).ToList();
                var cname = atName.FirstOrDefault(h => Eq(h.Type, "CNAME"));
                if (type != "CNAME" && cname != null)
                {
                    Refuse(item, "DnsCnameConflict", $"{name} holds a CNAME (to {cname.Value}); a name with a CNAME can hold no {type} record "
                        + "(RFC 1034 3.6.2). Remove the CNAME first.");
                    item.Existing = cname;
                    plan.Add(item);
                    continue;
                }
                var free = atName.Where(h => !claimed.Contains(h)).ToList();
                string kind = null;
                switch (type)
                {
                    case "CNAME":
                        {
                            var others = atName.Where(h => !Eq(h.Type, "CNAME")).ToList();
                            if (others.Count > 0)
                            {
                                var types = string.Join(", ", others.Select(o => o.Type).Distinct());
                                Refuse(item, "DnsCnameConflict", $"{name} already holds {types} records; a CNAME must be alone at its name (RFC 1034 3.6.2).");
                                break;
                            }
                            var same = free.FirstOrDefault(h => Eq(h.Type, "CNAME") && Eq(Canon("CNAME", h.Value), item.Value))
                                ?? free.FirstOrDefault(h => Eq(h.Type, "CNAME"));
                            Match(item, same, same != null && Eq(Canon("CNAME", same.Value), item.Value));
                            break;
                        }
                    case "MX":
                        {
                            var same = free.FirstOrDefault(h => Eq(h.Type, "MX") && Eq(Canon("MX", h.Value), item.Value));
                            Match(item, same, same != null && same.Priority == item.Priority);
                            break;
                        }
                    case "SRV":
                        {
                            var target = SrvPortTarget(item.Value);
                            var same = free.FirstOrDefault(h => Eq(h.Type, "SRV") && SrvPortTarget(Canon("SRV", h.Value)) == target);
                            Match(item, same, same != null && same.Priority == item.Priority && Eq(Canon("SRV", same.Value), item.Value));
                            break;
                        }
                    case "TXT":
                        if (IsSpf(item.Value))
                        {
                            kind = SpfKind;
                            if (!spfDone.Add(name))
                            {
                                continue; // merged into the first SPF item of this name
                            }

                            var all = reqs.Where(x => Norm(x.Name) == name && Eq(x.Type, "TXT") && IsSpf(x.Value)).Select(x => x.Value).ToList();
                            PlanSpf(item, free.Where(h => Eq(h.Type, "TXT") && IsSpf(h.Value)).ToList(), all, options);
                        }
                        else
                        {
                            kind = Kind(name, item.Value);
                            var txt = free.Where(h => Eq(h.Type, "TXT")).ToList();
                            var exact = txt.FirstOrDefault(h => TxtEquals(h.Value, item.Value));
                            var sameKind = kind == null ? null : txt.FirstOrDefault(h => Kind(name, h.Value) == kind);
                            Match(item, exact ?? sameKind, exact != null);
                        }
                        break;
                    default:
                        {
                            var same = free.FirstOrDefault(h => Eq(h.Type, type) && Eq(Canon(type, h.Value), item.Value) && h.Priority == item.Priority);
                            Match(item, same, same != null);
                            break;
                        }
                }
                if (item.Existing != null && item.Action != DnsChangeAction.Refused)
                {
                    claimed.Add(item.Existing);
                }

                if (type != "TXT" || kind != null)
                {
                    var scope = (name, type, kind);
                    if (!scopes.Contains(scope))
                    {
                        scopes.Add(scope);
                    }

                    if (item.Action == DnsChangeAction.Refused)
                    {
                        blocked.Add(scope);
                    }
                }
                plan.Add(item);
            }

            foreach (var (name, type, kind) in scopes.Where(s => !blocked.Contains(s)))
            {
                foreach (var h in have.Where(h => Norm(h.Name) == name && Eq(h.Type, type) && !claimed.Contains(h)))
                {
                    if (type == "TXT" && (kind == SpfKind ? !IsSpf(h.Value) : Kind(name, h.Value) != kind))
                    {
                        continue;
                    }

                    claimed.Add(h);
                    plan.Add(new DnsPlanItem
                    {
                        Zone = zone,
                        Name = name,
                        Type = type,
                        Value = h.Value,
                        Priority = h.Priority,
                        Ttl = h.Ttl,
                        Existing = h,
                        Action = DnsChangeAction.Remove,
                        DnsHost = dnsHost,
                        Reason = $"{name} needs only the {type} record(s) published here",
                    });
                }
            }
            foreach (var p in plan)
            {
                if (p.Action == DnsChangeAction.Unchanged)
                {
                    p.Status = "Unchanged";
                }
                else if (p.Action == DnsChangeAction.Refused)
                {
                    p.Status = "Refused";
                }
            }
            return plan;
        }

        private const string SpfKind = "v=spf1";

        /// <summary>
        /// The items to apply: Add, Update and Remove items that <paramref name="shouldProcess"/> accepts; the others are
        /// marked Skipped. A Remove is skipped too when an Add or Update of its name and type was declined.
        /// </summary>
        public static List<DnsPlanItem> Accept(IReadOnlyList<DnsPlanItem> plan, Func<DnsPlanItem, bool> shouldProcess)
        {
            var accepted = new List<DnsPlanItem>();
            foreach (var p in plan.Where(p => p.Action == DnsChangeAction.Add || p.Action == DnsChangeAction.Update))
            {
                if (shouldProcess(p))
                {
                    accepted.Add(p);
                }
                else
                {
                    p.Status = "Skipped";
                }
            }
            foreach (var p in plan.Where(p => p.Action == DnsChangeAction.Remove))
            {
                if (!MayRemove(p, plan))
                {
                    p.Status = "Skipped";
                    p.Reason = $"kept: a new {p.Type} record of {p.Name} was not applied";
                }
                else if (shouldProcess(p)) accepted.Add(p);
                else p.Status = "Skipped";
            }
            return accepted;
        }

        /// <summary>
        /// True when no Add or Update of the removal's name and type was declined or failed: the record a removal makes
        /// room for is in place first (an old MX goes only once the new one is there).
        /// </summary>
        public static bool MayRemove(DnsPlanItem removal, IEnumerable<DnsPlanItem> items)
            => !items.Any(p => (p.Action == DnsChangeAction.Add || p.Action == DnsChangeAction.Update)
                && Norm(p.Name) == Norm(removal.Name) && Eq(p.Type, removal.Type)
                && (p.Status == "Skipped" || p.Status == "Failed"));

        private static void Match(DnsPlanItem item, DnsHostRecord existing, bool sameValue)
        {
            if (item.Action == DnsChangeAction.Refused)
            {
                return;
            }

            if (existing == null)
            {
                item.Action = DnsChangeAction.Add;
                return;
            }
            item.Existing = existing;
            var sameTtl = existing.Ttl == item.Ttl;
            item.Action = sameValue && sameTtl ? DnsChangeAction.Unchanged : DnsChangeAction.Update;
            if (sameValue && !sameTtl)
            {
                item.Reason = $"TTL {existing.Ttl} -> {item.Ttl}";
            }
        }

        private static void Refuse(DnsPlanItem item, string errorId, string reason)
        {
            item.Action = DnsChangeAction.Refused;
            item.ErrorId = errorId;
            item.Reason = reason;
        }

        private static void PlanSpf(DnsPlanItem item, List<DnsHostRecord> existing, List<string> required, DnsPlanOptions options)
        {
            // several existing SPF records (a permerror for every receiver) are merged into the first; the others go
            var current = existing.Count > 0 ? existing[0].Value : null;
            var merged = current;
            foreach (var other in existing.Skip(1))
            {
                merged = SpfMerge.Merge(merged, other.Value, out var whyNot);
                if (merged == null)
                {
                    Refuse(item, "DuplicateSpfRecord", $"{item.Name} already holds {existing.Count} SPF records, which makes SPF fail with permerror "
                        + $"(RFC 7208 4.5), and they cannot be merged: {whyNot} Merge them into one at the DNS host, then publish again.");
                    item.Existing = existing[0];
                    return;
                }
            }
            foreach (var r in required)
            {
                var m = SpfMerge.Merge(merged, r, out var why);
                if (m == null)
                {
                    Refuse(item, "SpfMergeRefused", $"{item.Name}: {why}");
                    item.Existing = existing.FirstOrDefault();
                    return;
                }
                merged = m;
            }
            var changing = current == null || existing.Count > 1 || !SpfMerge.SameTerms(current, merged);
            var lookups = SpfMerge.CountLookups(merged);
            var detail = "at its top level alone";
            if (changing && options.CountSpfLookups != null)
            {
                var counted = options.CountSpfLookups(item.Name, merged);
                lookups = counted.Count;
                detail = $"following include: and redirect= ({counted.Detail})";
            }
            if (changing && lookups > SpfLookupLimit)
            {
                Refuse(item, "SpfLookupLimit", $"{item.Name}: SPF would need {lookups} DNS lookups {detail} for '{merged}', over the limit of "
                    + $"{SpfLookupLimit} (RFC 7208 4.6.4). Remove a sender or replace an include with ip4:/ip6: ranges, then publish again.");
                item.Existing = existing.FirstOrDefault();
                item.Value = merged;
                return;
            }
            if (current == null)
            {
                item.Value = merged;
                item.Action = DnsChangeAction.Add;
                return;
            }
            item.Value = changing ? merged : current;
            Match(item, existing[0], !changing);
            if (changing)
                item.Reason = existing.Count > 1
                    ? $"{existing.Count} SPF records merged into one with the required terms ({lookups} of {SpfLookupLimit} lookups)"
                    : $"merged with the existing SPF record, keeping its other terms ({lookups} of {SpfLookupLimit} lookups)";
        }

        internal static string Norm(string name) => (name ?? "").Trim().TrimEnd('.').ToLowerInvariant();
        private static bool Eq(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        /// <summary>Host names as compared: lower case, no trailing dot (MX, CNAME, the SRV target); other values as given.</summary>
        public static string Canon(string type, string value)
        {
            if (value == null)
            {
                return null;
            }

            switch ((type ?? "").ToUpperInvariant())
            {
                case "MX": case "CNAME": case "NS": return Norm(value);
                case "SRV":
                    {
                        var p = value.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                        if (p.Length > 0)
                        {
                            p[p.Length - 1] = Norm(p[p.Length - 1]);
                        }

                        return string.Join(" ", p);
                    }
                default: return value;
            }
        }

        private static string SrvPortTarget(string value)
        {
            var p = (value ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            return p.Length >= 2 ? p[p.Length - 2] + " " + p[p.Length - 1] : value;
        }

        public static bool IsSpf(string value) => value != null && Regex.IsMatch(value.TrimStart(), @"^v=spf1(\s|$)", RegexOptions.IgnoreCase);

        /// <summary>The kind of a TXT record that a name holds at most once: its v= tag, or "dkim" for any TXT at a DKIM selector.</summary>
        private static string Kind(string name, string value)
        {
            if (name.Contains("._domainkey."))
            {
                return "dkim";
            }

            var m = Regex.Match(value ?? "", @"^\s*v\s*=\s*([A-Za-z0-9.]+)\s*(;|$)");
            if (!m.Success)
            {
                return null;
            }

            var v = "v=" + m.Groups[1].Value.ToLowerInvariant();
            return v == "v=dkim1" ? "dkim" : v;
        }

        private static string KindName(string kind) => kind == "dkim" ? "DKIM" : kind == "v=dmarc1" ? "DMARC" : kind;

        /// <summary>Equal TXT values: SPF by its terms; tag=value lists (DMARC, DKIM, MTA-STS, TLS-RPT) tag by tag, ignoring
        /// spaces; anything else exactly.</summary>
        public static bool TxtEquals(string a, string b)
        {
            if (a == null || b == null)
            {
                return a == b;
            }

            if (IsSpf(a) || IsSpf(b))
            {
                return SpfMerge.SameTerms(a, b);
            }

            var ta = Tags(a);
            var tb = Tags(b);
            if (ta != null && tb != null)
            {
                return ta.SequenceEqual(tb);
            }

            return a == b;
        }

        private static List<string> Tags(string v)
        {
            if (!v.Contains("="))
            {
                return null;
            }

            var list = new List<string>();
            foreach (var part in v.Split(';'))
            {
                var t = Regex.Replace(part, @"\s+", "");
                if (t.Length == 0)
                {
                    continue;
                }

                var eq = t.IndexOf('=');
                if (eq <= 0)
                {
                    return null;
                }

                list.Add(t.Substring(0, eq).ToLowerInvariant() + "=" + t.Substring(eq + 1));
            }
            return list;
        }
    }
}
