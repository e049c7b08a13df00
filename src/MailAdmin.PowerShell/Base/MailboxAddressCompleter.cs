using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace MailAdmin.PowerShell
{
    /// <summary>Completes mailbox addresses from the current connection (bounded: first 100 matches).</summary>
    public sealed class MailboxAddressCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            if (!(MailSession.Current?.Provider is MailAdmin.Abstractions.IMailboxStore store))
            {
                return new List<CompletionResult>();
            }

            return CompletionStream.First(
                () => store.ListMailboxes(new MailAdmin.Models.MailboxQuery
                {
                    Identity = (wordToComplete ?? "").Trim('\'', '"') + "*",
                    PageSize = CompletionStream.Most,
                }),
                m => new CompletionResult(m.Address, m.Address, CompletionResultType.ParameterValue, m.DisplayName ?? m.Address));
        }
    }
}
