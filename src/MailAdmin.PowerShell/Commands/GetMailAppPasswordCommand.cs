using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Lists a mailbox's app passwords (names and dates; never the secrets).</summary>
    /// <remarks>The secrets are stored only as hashes and cannot be shown again; make a new one when a device loses it.</remarks>
    /// <example>
    /// <code>Get-MailAppPassword li.lei@contoso.com</code>
    /// <para>Which clients have their own password.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox | Get-MailAppPassword | Where-Object CreatedAt -lt (Get-Date).AddYears(-1)</code>
    /// <para>App passwords older than a year, to review.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailAppPassword")]
    [OutputType(typeof(MailAppPassword))]
    public sealed class GetMailAppPasswordCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Identity", "Address")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Mailbox { get; set; }

        protected override void ProcessItem()
        {
            foreach (var a in Await(Require<IAppPasswordStore>("app passwords").GetAppPasswordsAsync(Mailbox, StopToken)))
            {
                WriteObject(a);
            }
        }
    }
}
