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
            var list = new List<CompletionResult>();
            if (!(MailSession.Current?.Provider is MailAdmin.Abstractions.IMailboxStore store))
            {
                return list;
            }

            try
            {
                using (var c = store.ListMailboxes(
                    new MailAdmin.Models.MailboxQuery { Identity = (wordToComplete ?? "").Trim('\'', '"') + "*", PageSize = 100 }))
                    while (list.Count < 100 && c.MoveNextAsync(default).GetAwaiter().GetResult())
                    {
                        list.Add(new CompletionResult(
                            c.Current.Address, c.Current.Address, CompletionResultType.ParameterValue, c.Current.DisplayName ?? c.Current.Address));
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
