using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Lists the connections open in this session.</summary>
    /// <remarks>Shows each open connection with its provider, target and whether it is the default.</remarks>
    /// <example>
    /// <code>Get-MailConnection</code>
    /// <para>Lists the open connections.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailConnection | Where-Object IsDefault</code>
    /// <para>Shows the default connection only.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailConnection")]
    [OutputType(typeof(MailConnection))]
    public sealed class GetMailConnectionCommand : MailAdminCmdlet
    {
        protected override void ProcessItem()
        {
            foreach (var c in MailSession.Connections)
            {
                WriteObject(c);
            }
        }
    }
}
