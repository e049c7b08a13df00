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
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var p = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            return MailSession.Catalog.All.Where(d => p.IsMatch(d.Name)).Select(
                d => new CompletionResult(d.Name, d.Name, CompletionResultType.ParameterValue, d.Description));
        }
    }
}
