using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.DnsHosting;
using MailAdmin.Errors;
using MailAdmin.Remote;

namespace MailAdmin.DnsHosts
{
    /// <summary>
    /// How the hosts with one API call per record (Cloudflare, DNSPod, AliDns) apply a plan: updates in place, creates at
    /// most once (a create whose answer was lost is looked up before it is sent again; an "already exists" answer is checked
    /// against the zone), then removals, each only when the adds and updates of its name and type were applied (so an old MX
    /// goes only after the new one is in place); a removal the host answers with "no such record" is checked against the zone
    /// and counts as done when the record is gone. Each record ends Applied, Skipped or Failed with its error; an
    /// authentication or connection failure stops the run.
    /// </summary>
    internal static class DnsChangeApplier
    {
        public static async Task ApplyEachAsync(IReadOnlyList<DnsPlanItem> changes, Func<DnsPlanItem, Task> update,
            Func<DnsPlanItem, Task> create, Func<DnsPlanItem, Task> remove, Func<Task<IReadOnlyList<DnsHostRecord>>> readZone,
            CancellationToken ct)
        {
            foreach (var c in changes.Where(c => c.Action == DnsChangeAction.Add || c.Action == DnsChangeAction.Update))
            {
                try
                {
                    if (c.Action == DnsChangeAction.Update && c.Existing != null)
                    {
                        await update(c).ConfigureAwait(false);
                    }
                    else
                        await RemoteCreate.OnceAsync(() => create(c), async () => IsPresent(await readZone().ConfigureAwait(false), c), ct)
                            .ConfigureAwait(false);
                    c.Status = "Applied";
                }
                catch (MailAdminException e) when (e.ErrorId == "DnsRecordExists")
                {
                    // done when the identical record is there (the retry of a create whose answer was lost); DNSPod gives the
                    // same code for a CNAME clash, so "exists" alone is not taken as success
                    if (IsPresent(await readZone().ConfigureAwait(false), c)) c.Status = "Applied";
                    else
                    {
                        c.Status = "Failed";
                        c.Error = e;
                    }
                }
                catch (MailAdminException e) when (e.Kind != MailErrorKind.AuthenticationError && e.Kind != MailErrorKind.ConnectionError)
                {
                    c.Status = "Failed";
                    c.Error = e;
                }
            }
            foreach (var c in changes.Where(c => c.Action == DnsChangeAction.Remove))
            {
                if (!DnsPublishPlanner.MayRemove(c, changes))
                {
                    c.Status = "Skipped";
                    c.Reason = $"kept: a new {c.Type} record of {c.Name} was not applied";
                    continue;
                }
                try
                {
                    await remove(c).ConfigureAwait(false);
                    c.Status = "Applied";
                }
                catch (MailAdminException e) when (e.Kind != MailErrorKind.AuthenticationError && e.Kind != MailErrorKind.ConnectionError)
                {
                    // "no such record" after a retried delete whose first answer was lost: done if the zone no longer holds it
                    var zone = await readZone().ConfigureAwait(false);
                    if (zone.Any(h => h.Id == c.Existing?.Id))
                    {
                        c.Status = "Failed";
                        c.Error = e;
                    }
                    else c.Status = "Applied";
                }
            }
        }

        private static bool IsPresent(IReadOnlyList<DnsHostRecord> zone, DnsPlanItem c)
            => zone.Any(h => h.Name == DnsPublishPlannerNames.Norm(c.Name) && h.Type == c.Type
                && DnsPublishPlanner.Canon(c.Type, h.Value) == DnsPublishPlanner.Canon(c.Type, c.Value));
    }
}
