using System;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Gets a mailbox's automatic reply.</summary>
    /// <remarks>A mailbox that never had one shows Enabled $false. Times are in UTC.</remarks>
    /// <example>
    /// <code>Get-MailAutoReply li.lei@contoso.com</code>
    /// <para>Shows whether it is on, its text and its dates.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox | Get-MailAutoReply | Where-Object Enabled</code>
    /// <para>Everyone who is away.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailAutoReply")]
    [OutputType(typeof(MailAutoReply))]
    public sealed class GetMailAutoReplyCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mailbox", "Address")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        protected override void ProcessItem()
            => WriteObject(Await(Require<IAutoReplyStore>("automatic replies").GetAutoReplyAsync(Identity, StopToken)));
    }
}
