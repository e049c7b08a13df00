using System.Threading.Tasks;

namespace MailAdmin.Dns.Checks
{
    /// <summary>One check family of Test-MailDomain: it reads the shared context (resolver, options, facts found by the
    /// checks before it), adds its rows to the context's sink, and records the facts later checks need.</summary>
    internal interface IMailDomainCheck
    {
        /// <summary>Runs the check for the context's domain.</summary>
        Task RunAsync(CheckContext context);
    }
}
