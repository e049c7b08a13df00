using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MailAdmin.Models;

namespace MailAdmin.DnsHosting
{
    /// <summary>
    /// Compares what a zone needs with what its DNS host holds and says, per required record, Add, Update, Unchanged or
    /// Refused. Rules: records the requirements do not name are left alone; a name never gets a second SPF or DMARC record
    /// (an existing SPF record is merged with the required terms, within the 10-lookup limit); a TXT record of a kind
    /// (v=DKIM1, v=STSv1, v=TLSRPTv1, any TXT at a DKIM selector) is updated in place; nothing is planned at a name that
    /// holds a CNAME, nor a CNAME at a name that holds anything else. TTL differences alone change nothing.
    /// </summary>
    public static class DnsPublishPlanner
    {
        public const int SpfLookupLimit = 10;

        public static List<DnsPlanItem> Plan(string zone, IEnumerable<MailDnsRecord> required, IReadOnlyList<DnsHostRecord> existing, string dnsHost = null)
        {
            zone = Norm(zone);
            var plan = new List<DnsPlanItem>();
            var have = existing.Where(r => !r.Disabled).ToList();
            var reqs = required.ToList();

            // SPF requirements of one name are merged together first
            var spfDone = new HashSet<string>();
            foreach (var r in reqs)
            {
                var name = Norm(r.Name); var type = (r.Type ?? "").ToUpperInvariant();
                var item = new DnsPlanItem { Zone = zone, Name = name, Type = type, Value = Canon(type, r.Value), Priority = r.Priority, Ttl = r.Ttl > 0 ? r.Ttl : 3600, Purpose = r.Purpose, DnsHost = dnsHost };
                if (name != zone && !name.EndsWith("." + zone, StringComparison.Ordinal))
                {
                    Refuse(item, "DnsRecordOutsideZone", $"{name} is not in the zone {zone}."); plan.Add(item); continue;
                }
                var atName = have.Where(h => Norm(h.Name) == name).ToList();
                var cname = atName.FirstOrDefault(h => Eq(h.Type, "CNAME"));
                if (type != "CNAME" && cname != null)
                {
                    Refuse(item, "DnsCnameConflict", $"{name} holds a CNAME (to {cname.Value}); a name with a CNAME can hold no {type} record (RFC 1034 3.6.2). Remove the CNAME first.");
                    item.Existing = cname; plan.Add(item); continue;
                }
                if (type == "CNAME")
                {
                    var others = atName.Where(h => !Eq(h.Type, "CNAME")).ToList();
                    if (others.Count > 0) { Refuse(item, "DnsCnameConflict", $"{name} already holds {string.Join(", ", others.Select(o => o.Type).Distinct())} records; a CNAME must be alone at its name (RFC 1034 3.6.2)."); plan.Add(item); continue; }
                    Single(item, atName.Where(h => Eq(h.Type, "CNAME")).ToList(), (a, b) => Eq(Canon("CNAME", a.Value), b.Value));
                    plan.Add(item); continue;
                }
                switch (type)
                {
                    case "MX":
                        {
                            var mx = atName.Where(h => Eq(h.Type, "MX")).ToList();
                            var same = mx.FirstOrDefault(h => Eq(Canon("MX", h.Value), item.Value));
                            if (same == null) item.Action = DnsChangeAction.Add;
                            else { item.Existing = same; item.Action = same.Priority == item.Priority ? DnsChangeAction.Unchanged : DnsChangeAction.Update; }
                            break;
                        }
                    case "SRV":
                        {
                            var srv = atName.Where(h => Eq(h.Type, "SRV")).ToList();
                            var target = SrvPortTarget(item.Value);
                            var same = srv.FirstOrDefault(h => SrvPortTarget(Canon("SRV", h.Value)) == target);
                            if (same == null) item.Action = DnsChangeAction.Add;
                            else { item.Existing = same; item.Action = same.Priority == item.Priority && Eq(Canon("SRV", same.Value), item.Value) ? DnsChangeAction.Unchanged : DnsChangeAction.Update; }
                            break;
                        }
                    case "TXT":
                        if (IsSpf(item.Value))
                        {
                            if (!spfDone.Add(name)) continue; // merged into the first SPF item of this name
                            var all = reqs.Where(x => Norm(x.Name) == name && Eq(x.Type, "TXT") && IsSpf(x.Value)).Select(x => x.Value).ToList();
                            PlanSpf(item, atName.Where(h => Eq(h.Type, "TXT") && IsSpf(h.Value)).ToList(), all);
                        }
                        else
                        {
                            var kind = Kind(name, item.Value);
                            var txt = atName.Where(h => Eq(h.Type, "TXT")).ToList();
                            var exact = txt.FirstOrDefault(h => TxtEquals(h.Value, item.Value));
                            if (exact != null) { item.Existing = exact; item.Action = DnsChangeAction.Unchanged; break; }
                            if (kind == null) { item.Action = DnsChangeAction.Add; break; }
                            var sameKind = txt.Where(h => Kind(name, h.Value) == kind).ToList();
                            if (sameKind.Count == 0) item.Action = DnsChangeAction.Add;
                            else if (sameKind.Count == 1) { item.Existing = sameKind[0]; item.Action = DnsChangeAction.Update; }
                            else Refuse(item, kind == "v=dmarc1" ? "DuplicateDmarcRecord" : "DuplicateDnsRecord",
                                $"{name} already holds {sameKind.Count} {KindName(kind)} records; receivers then ignore them all. Delete all but one at the DNS host, then publish again.");
                        }
                        break;
                    default:
                        {
                            var same = atName.FirstOrDefault(h => Eq(h.Type, type) && Eq(Canon(type, h.Value), item.Value) && h.Priority == item.Priority);
                            if (same != null) { item.Existing = same; item.Action = DnsChangeAction.Unchanged; }
                            else item.Action = DnsChangeAction.Add;
                            break;
                        }
                }
                plan.Add(item);
            }
            foreach (var p in plan) if (p.Action == DnsChangeAction.Unchanged) p.Status = "Unchanged"; else if (p.Action == DnsChangeAction.Refused) p.Status = "Refused";
            return plan;
        }

        private static void Single(DnsPlanItem item, List<DnsHostRecord> same, Func<DnsHostRecord, DnsPlanItem, bool> equal)
        {
            if (same.Count == 0) { item.Action = DnsChangeAction.Add; return; }
            item.Existing = same[0];
            item.Action = equal(same[0], item) ? DnsChangeAction.Unchanged : DnsChangeAction.Update;
        }

        private static void Refuse(DnsPlanItem item, string errorId, string reason)
        {
            item.Action = DnsChangeAction.Refused; item.ErrorId = errorId; item.Reason = reason;
        }

        private static void PlanSpf(DnsPlanItem item, List<DnsHostRecord> existing, List<string> required)
        {
            if (existing.Count > 1)
            {
                Refuse(item, "DuplicateSpfRecord", $"{item.Name} already holds {existing.Count} SPF records, which makes SPF fail with permerror (RFC 7208 4.5). Merge them into one at the DNS host, then publish again.");
                return;
            }
            var current = existing.Count == 1 ? existing[0].Value : null;
            string merged = current;
            foreach (var r in required)
            {
                var m = SpfMerge.Merge(merged, r, out var why);
                if (m == null) { Refuse(item, "SpfMergeRefused", $"{item.Name}: {why}"); item.Existing = existing.FirstOrDefault(); return; }
                merged = m;
            }
            var lookups = SpfMerge.CountLookups(merged);
            if (lookups > SpfLookupLimit)
            {
                Refuse(item, "SpfLookupLimit", $"{item.Name}: SPF would need {lookups} DNS lookups at its top level alone ('{merged}'), over the limit of {SpfLookupLimit} (RFC 7208 4.6.4). Remove a sender or replace an include with ip4:/ip6: ranges, then publish again.");
                item.Existing = existing.FirstOrDefault(); item.Value = merged; return;
            }
            item.Value = merged;
            if (current == null) { item.Action = DnsChangeAction.Add; return; }
            item.Existing = existing[0];
            if (SpfMerge.SameTerms(current, merged)) { item.Action = DnsChangeAction.Unchanged; item.Value = current; return; }
            item.Action = DnsChangeAction.Update;
            item.Reason = $"merged with the existing SPF record, keeping its other terms ({lookups} of {SpfLookupLimit} lookups at the top level)";
        }

        internal static string Norm(string name) => (name ?? "").Trim().TrimEnd('.').ToLowerInvariant();
        private static bool Eq(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        /// <summary>Host names as compared: lower case, no trailing dot (MX, CNAME, the SRV target); other values as given.</summary>
        public static string Canon(string type, string value)
        {
            if (value == null) return null;
            switch ((type ?? "").ToUpperInvariant())
            {
                case "MX": case "CNAME": case "NS": return Norm(value);
                case "SRV":
                    {
                        var p = value.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                        if (p.Length > 0) p[p.Length - 1] = Norm(p[p.Length - 1]);
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
            if (name.Contains("._domainkey.")) return "dkim";
            var m = Regex.Match(value ?? "", @"^\s*v\s*=\s*([A-Za-z0-9.]+)\s*(;|$)");
            if (!m.Success) return null;
            var v = "v=" + m.Groups[1].Value.ToLowerInvariant();
            return v == "v=dkim1" ? "dkim" : v;
        }

        private static string KindName(string kind) => kind == "dkim" ? "DKIM" : kind == "v=dmarc1" ? "DMARC" : kind;

        /// <summary>Equal TXT values: SPF by its terms; tag=value lists (DMARC, DKIM, MTA-STS, TLS-RPT) tag by tag, ignoring
        /// spaces; anything else exactly.</summary>
        public static bool TxtEquals(string a, string b)
        {
            if (a == null || b == null) return a == b;
            if (IsSpf(a) || IsSpf(b)) return SpfMerge.SameTerms(a, b);
            var ta = Tags(a); var tb = Tags(b);
            if (ta != null && tb != null) return ta.SequenceEqual(tb);
            return a == b;
        }

        private static List<string> Tags(string v)
        {
            if (!v.Contains("=")) return null;
            var list = new List<string>();
            foreach (var part in v.Split(';'))
            {
                var t = Regex.Replace(part, @"\s+", "");
                if (t.Length == 0) continue;
                var eq = t.IndexOf('=');
                if (eq <= 0) return null;
                list.Add(t.Substring(0, eq).ToLowerInvariant() + "=" + t.Substring(eq + 1));
            }
            return list;
        }
    }

    /// <summary>Merging SPF records (RFC 7208): terms the existing record lacks are added before its "all", keeping its own.</summary>
    public static class SpfMerge
    {
        private static readonly Regex All = new Regex(@"^[+\-~?]?all$", RegexOptions.IgnoreCase);

        public static List<string> Terms(string spf)
            => (spf ?? "").Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();

        private static string Key(string term)
        {
            var t = term.ToLowerInvariant();
            return t.StartsWith("+", StringComparison.Ordinal) ? t.Substring(1) : t;
        }

        public static bool SameTerms(string a, string b)
        {
            if (!DnsPublishPlanner.IsSpf(a) || !DnsPublishPlanner.IsSpf(b)) return false;
            return Terms(a).Select(Key).SequenceEqual(Terms(b).Select(Key));
        }

        /// <summary>Mechanisms and modifiers that cost a DNS lookup (RFC 7208 4.6.4), counted at the top level.</summary>
        public static int CountLookups(string spf)
            => Terms(spf).Select(t => Key(t.TrimStart('-', '~', '?'))).Count(t =>
                Regex.IsMatch(t, @"^(include:|exists:|redirect=)") || Regex.IsMatch(t, @"^(a|mx|ptr)([:/]|$)"));

        /// <summary>The existing record with the required terms added; null with <paramref name="why"/> when they cannot be merged.</summary>
        public static string Merge(string existing, string required, out string why)
        {
            why = null;
            if (existing == null) return Normalise(required);
            var have = Terms(existing);
            var add = Terms(required);
            var haveAll = have.FirstOrDefault(t => All.IsMatch(t));
            var haveRedirect = have.FirstOrDefault(t => t.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase));
            var result = have.Where(t => !All.IsMatch(t)).ToList();
            var keys = new HashSet<string>(have.Select(Key));
            foreach (var t in add)
            {
                if (All.IsMatch(t)) continue;
                if (t.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase) || t.StartsWith("exp=", StringComparison.OrdinalIgnoreCase))
                {
                    if (keys.Contains(Key(t))) continue;
                    why = $"the required SPF uses '{t}', which cannot be merged into the existing record '{existing}'; merge them by hand.";
                    return null;
                }
                if (keys.Add(Key(t))) result.Insert(InsertAt(result), t);
            }
            if (haveAll != null) result.Add(haveAll);
            else if (haveRedirect == null)
            {
                var reqAll = add.FirstOrDefault(t => All.IsMatch(t));
                if (reqAll != null) result.Add(reqAll);
            }
            return "v=spf1" + (result.Count > 0 ? " " + string.Join(" ", result) : "");
        }

        /// <summary>Mechanisms go before the modifiers (redirect=, exp=) that the existing record ends with.</summary>
        private static int InsertAt(List<string> terms)
        {
            var i = terms.FindIndex(t => Regex.IsMatch(t, @"^[A-Za-z][A-Za-z0-9\-_.]*=", RegexOptions.None));
            return i < 0 ? terms.Count : i;
        }

        private static string Normalise(string spf) => "v=spf1" + string.Concat(Terms(spf).Select(t => " " + t));
    }
}
