using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace MailAdmin.PowerShell
{
    /// <summary>Completes provider names from the catalog (local, instant).</summary>
    public sealed class ProviderNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var p = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            return MailSession.Catalog.All.Where(d => p.IsMatch(d.Name)).Select(d => new CompletionResult(d.Name, d.Name, CompletionResultType.ParameterValue, d.Description));
        }
    }

    /// <summary>Completes domain names from the current connection (bounded: first 100).</summary>
    public sealed class DomainNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var list = new List<CompletionResult>();
            if (!(MailSession.Current?.Provider is MailAdmin.Abstractions.IDomainStore store)) return list;
            try
            {
                using (var c = store.ListDomains((wordToComplete ?? "").Trim('\'', '"') + "*"))
                    while (list.Count < 100 && c.MoveNextAsync(default).GetAwaiter().GetResult())
                        list.Add(new CompletionResult(c.Current.Name, c.Current.Name, CompletionResultType.ParameterValue, c.Current.Name));
            }
            catch (MailAdmin.Errors.MailAdminException) { }
            return list;
        }
    }

    /// <summary>Completes mailbox addresses from the current connection (bounded: first 100 matches).</summary>
    public sealed class MailboxAddressCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var list = new List<CompletionResult>();
            if (!(MailSession.Current?.Provider is MailAdmin.Abstractions.IMailboxStore store)) return list;
            try
            {
                using (var c = store.ListMailboxes(new MailAdmin.Models.MailboxQuery { Identity = (wordToComplete ?? "").Trim('\'', '"') + "*", PageSize = 100 }))
                    while (list.Count < 100 && c.MoveNextAsync(default).GetAwaiter().GetResult())
                        list.Add(new CompletionResult(c.Current.Address, c.Current.Address, CompletionResultType.ParameterValue, c.Current.DisplayName ?? c.Current.Address));
            }
            catch (MailAdmin.Errors.MailAdminException) { }
            return list;
        }
    }
}
