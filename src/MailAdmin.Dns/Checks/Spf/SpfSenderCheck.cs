using System.Threading.Tasks;
using MailAdmin.Dns.Spf;
using MailAdmin.Models;

namespace MailAdmin.Dns.Checks
{
    /// <summary>-SpfIp: RFC 7208 check_host() for the sender (125); runs also when the domain is missing (result none).</summary>
    internal sealed class SpfSenderCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            var options = context.Options;
            if (options.SpfIp == null)
            {
                return;
            }

            var domain = context.Domain;
            var report = context.Report;
            var sender = string.IsNullOrEmpty(options.SpfSender) ? "postmaster@" + domain : options.SpfSender;
            var eval = await new SpfEvaluator(context.Dns).CheckHostAsync(options.SpfIp, sender, options.Helo ?? domain, context.Ct).ConfigureAwait(false);
            report.SpfResult = eval.Result.ToString().ToLowerInvariant();
            report.SpfExplanation = eval.Explanation;
            MailCheckStatus status;
            if (eval.Result == SpfResult.Pass)
            {
                status = MailCheckStatus.Pass;
            }
            else if (eval.Result == SpfResult.PermError || eval.Result == SpfResult.Fail)
            {
                status = MailCheckStatus.Fail;
            }
            else
            {
                status = MailCheckStatus.Warning;
            }

            var explanation = eval.Explanation != null ? " Explanation: " + eval.Explanation : string.Empty;
            context.Sink.Add(
                MailCheckId.SpfSenderEvaluation,
                $"SPF for {options.SpfIp}",
                status,
                $"check_host({options.SpfIp}, {sender}) = {report.SpfResult}: {eval.Reason}{explanation}",
                "RFC 7208 4",
                new[] { $"lookups {eval.DnsLookups}, void {eval.VoidLookups}" });
        }
    }
}
