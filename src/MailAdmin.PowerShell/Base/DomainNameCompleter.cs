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
            var list = new List<CompletionResult>();
            if (!(MailSession.Current?.Provider is MailAdmin.Abstractions.IDomainStore store))
            {
                return list;
            }

            try
            {
                using (var c = store.ListDomains((wordToComplete ?? "").Trim('\'', '"') + "*"))
                    while (list.Count < 100 && c.MoveNextAsync(default).GetAwaiter().GetResult())
                    {
                        list.Add(new CompletionResult(c.Current.Name, c.Current.Name, CompletionResultType.ParameterValue, c.Current.Name));
                    }
            }
            catch (MailAdmin.Errors.MailAdminException)
            {
                // completion must not fail the command line: offer what was read before the store refused (not connected, no rights)
                return list;
            }

            return list;
        }
    }
}
