using System.Linq;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>Under an enforced MTA-STS policy every probed MX must offer STARTTLS with a certificate valid for its name (88).</summary>
    internal sealed class MtaStsMxTlsCheck : IMailDomainCheck
    {
        private static readonly MailCheckId[] TlsChecks =
        {
            MailCheckId.SmtpGreeting, MailCheckId.SmtpStartTls, MailCheckId.TlsCertificate, MailCheckId.TlsCertificateTrust,
        };

        public Task RunAsync(CheckContext context)
        {
            if (context.MtaStsMode != "enforce" || !context.Options.ProbeSmtp)
            {
                return Task.CompletedTask;
            }

            var sink = context.Sink;
            var smtp = sink.Checks.Where(c => c.Area == "SMTP" && TlsChecks.Contains(c.Id)).ToList();
            if (smtp.Count == 0)
            {
                return Task.CompletedTask;
            }

            // an expiring (still valid) certificate is no reason for a sender to refuse; a missing STARTTLS, a wrong name or chain is
            var bad = smtp
                .Where(c => c.Status == MailCheckStatus.Fail
                    || (c.Id == MailCheckId.SmtpStartTls && c.Status != MailCheckStatus.Pass)
                    || (c.Id == MailCheckId.TlsCertificateTrust && c.Status != MailCheckStatus.Pass))
                .Select(c => c.Summary)
                .ToList();
            var status = bad.Count == 0 ? MailCheckStatus.Pass : MailCheckStatus.Fail;
            var summary = bad.Count == 0
                ? "Every MX probed offers STARTTLS with a certificate valid for its name, as the enforced policy requires."
                : "The policy is enforced, but senders that honour it will not deliver to an MX without valid TLS: " + string.Join(" ", bad);
            sink.Add(MailCheckId.MtaStsMxTls, "MX TLS under enforce", status, summary, "RFC 8461 4.2", bad);
            return Task.CompletedTask;
        }
    }
}
