using System.Threading.Tasks;

namespace MailAdmin.Dns.Checks
{
    /// <summary>The BIMI logo (100) and mark certificate (101) fetched over HTTPS, when fetching is on.</summary>
    internal sealed class BimiFetchCheck : IMailDomainCheck
    {
        public async Task RunAsync(CheckContext context)
        {
            if (!context.Options.FetchMtaStsPolicy || (string.IsNullOrEmpty(context.BimiLogo) && string.IsNullOrEmpty(context.BimiCertificate)))
            {
                return;
            }

            var fetcher = new BimiFetcher(context.Dns)
            {
                TrustedRoots = context.Options.TrustedRoots,
                AllowPrivateAddresses = context.AllowPrivateAddresses,
            };
            await fetcher.CheckAsync(context.Domain, context.BimiLogo, context.BimiCertificate, context.Sink, context.Ct).ConfigureAwait(false);
        }
    }
}
