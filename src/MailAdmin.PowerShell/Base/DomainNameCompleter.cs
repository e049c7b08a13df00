using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace MailAdmin.PowerShell
{
    /// <summary>Completes domain names from the current connection (bounded: first 100).</summary>
    public sealed class DomainNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            if (!(MailSession.Current?.Provider is MailAdmin.Abstractions.IDomainStore store))
            {
                return new List<CompletionResult>();
            }

            return CompletionStream.First(
                () => store.ListDomains((wordToComplete ?? "").Trim('\'', '"') + "*"),
                d => new CompletionResult(d.Name, d.Name, CompletionResultType.ParameterValue, d.Name));
        }
    }
}
