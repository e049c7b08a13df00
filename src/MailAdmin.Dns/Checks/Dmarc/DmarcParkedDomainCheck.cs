using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>A domain that takes no mail (null MX) and sends none should reject all mail in its name (126).</summary>
    internal sealed class DmarcParkedDomainCheck : IMailDomainCheck
    {
        public Task RunAsync(CheckContext context)
        {
            if (context.NullMx && context.DmarcPolicy != null)
            {
                var reject = context.DmarcPolicy == "reject";
                context.Sink.Add(
                    MailCheckId.DmarcParkedDomain,
                    "Parked domain DMARC",
                    reject ? MailCheckStatus.Pass : MailCheckStatus.Warning,
                    reject
                        ? "The domain takes no mail (null MX) and its DMARC policy rejects mail in its name."
                        : "The domain takes no mail (null MX); if it sends none, use p=reject.",
                    "RFC 7505, RFC 7489");
            }

            return Task.CompletedTask;
        }
    }
}
