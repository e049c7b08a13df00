using System.Threading.Tasks;

namespace MailAdmin.Dns.Checks
{
    /// <summary>The MTA-STS policy fetched over HTTPS (83-87), when the record is published and fetching is on.</summary>
    internal sealed class MtaStsPolicyCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            var options = context.Options;
            if (!context.MtaStsPublished || !options.FetchMtaStsPolicy)
            {
                return;
            }

            var fetcher = new MtaStsFetcher(context.Dns)
            {
                Port = options.MtaStsPort,
                TrustedRoots = options.TrustedRoots,
                AllowPrivateAddresses = context.AllowPrivateAddresses,
            };
            context.MtaStsMode = await fetcher.CheckAsync(context.Domain, context.MxRecords, context.Sink, context.Ct).ConfigureAwait(false);
        }
    }
}
