using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Closes a connection (by default the session's current one).</summary>
    /// <remarks>Closes the connection. When it was the default, cmdlets run afterwards without -Connection open the default Local store again.</remarks>
    /// <example>
    /// <code>Disconnect-MailProvider</code>
    /// <para>Closes the session's default connection.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailConnection | Disconnect-MailProvider</code>
    /// <para>Closes every open connection.</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Disconnect, "MailProvider")]
    [OutputType(typeof(void))]
    public sealed class DisconnectMailProviderCommand : MailAdminCmdlet
    {
        /// <summary>The connection to close; default: the current one.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public MailConnection Connection { get; set; }

        protected override void ProcessItem()
        {
            var conn = Connection ?? MailSession.Current;
            if (conn == null)
            {
                WriteVerbose("No connection is open.");
                return;
            }
            MailSession.Close(conn);
            WriteVerbose($"Disconnected from {conn}.");
        }
    }
}
