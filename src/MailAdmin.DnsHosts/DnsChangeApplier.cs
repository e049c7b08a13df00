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
    /// How the hosts with one API call per record (Cloudflare, DNSPod, AliDns) apply a plan: updates in place, creates at most
    /// once (a create whose answer was lost is looked up before it is sent again), and each record ends Applied or Failed
    /// with its error; an authentication or connection failure stops the run.
    /// </summary>
    internal static class DnsChangeApplier
    {
        public static async Task ApplyEachAsync(IReadOnlyList<DnsPlanItem> changes, Func<DnsPlanItem, Task> update,
            Func<DnsPlanItem, Task> create, Func<Task<IReadOnlyList<DnsHostRecord>>> readZone, CancellationToken ct)
        {
            foreach (var c in changes.Where(c => c.Action == DnsChangeAction.Add || c.Action == DnsChangeAction.Update))
            {
                try
                {
                    if (c.Action == DnsChangeAction.Update && c.Existing != null)
                        await update(c).ConfigureAwait(false);
                    else
                        await RemoteCreate.OnceAsync(() => create(c), async () => IsPresent(await readZone().ConfigureAwait(false), c), ct)
                            .ConfigureAwait(false);
                    c.Status = "Applied";
                }
                catch (MailAdminException e) when (e.ErrorId == "DnsRecordExists")
                {
                    // the identical record is there already (the retry of a create whose answer was lost)
                    c.Status = "Applied";
                }
                catch (MailAdminException e) when (e.Kind != MailErrorKind.AuthenticationError && e.Kind != MailErrorKind.ConnectionError)
                {
                    c.Status = "Failed";
                    c.Error = e;
                }
            }
        }

        private static bool IsPresent(IReadOnlyList<DnsHostRecord> zone, DnsPlanItem c)
            => zone.Any(h => h.Name == DnsPublishPlannerNames.Norm(c.Name) && h.Type == c.Type
                && DnsPublishPlanner.Canon(c.Type, h.Value) == DnsPublishPlanner.Canon(c.Type, c.Value));
    }
}
