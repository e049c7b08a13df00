using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Tells what addresses are at the provider: available, a mailbox, an alias or a group.</summary>
    /// <remarks>
    /// Checks many addresses in few calls (Exmail: 20 per call). Status is Available (free to create), Mailbox, Alias, Group or
    /// Invalid; IsAvailable is $true only for free addresses. Useful before a bulk import: the rows whose address is taken
    /// are found without trying to create them.
    /// </remarks>
    /// <example>
    /// <code>Test-MailAddress sales@contoso.com, li.lei@contoso.com</code>
    /// <para>Shows what each address is.</para>
    /// </example>
    /// <example>
    /// <code>$taken = Import-Csv staff.csv | Test-MailAddress | Where-Object { -not $_.IsAvailable }</code>
    /// <para>Finds the rows of an HR export whose address is already in use.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "MailAddress")]
    [OutputType(typeof(MailAddressCheck))]
    public sealed class TestMailAddressCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The addresses.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PrimarySmtpAddress", "EmailAddress", "Email")]
        public string[] Address { get; set; }

        private readonly List<string> _batch = new List<string>();

        protected override void ProcessItem()
        {
            _batch.AddRange(Address.Where(a => !string.IsNullOrWhiteSpace(a)));
            if (_batch.Count >= 100)
            {
                Flush();
            }
        }

        protected override void EndItems() => Flush();

        private void Flush()
        {
            if (_batch.Count == 0)
            {
                return;
            }

            var checker = Require<IAddressChecker>("address checks");
            var list = _batch.ToList();
            _batch.Clear();
            TryRun(list[0], () =>
            {
                foreach (var r in Await(checker.CheckAddressesAsync(list, StopToken)))
                {
                    WriteObject(r);
                }
            });
        }
    }
}
