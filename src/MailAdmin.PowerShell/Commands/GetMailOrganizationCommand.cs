using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Gets the organisation's record at a hosted provider.</summary>
    /// <remarks>Name, primary domain, telephone, address, language and creation time, as the provider keeps them (Alimail:
    /// /v2/organization/$current).</remarks>
    /// <example>
    /// <code>Get-MailOrganization</code>
    /// <para>Shows the connected organisation.</para>
    /// </example>
    /// <example>
    /// <code>Get-MailConnection | ForEach-Object { Get-MailOrganization -Connection $_ }</code>
    /// <para>Shows the organisation behind each open connection.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailOrganization")]
    [OutputType(typeof(MailOrganization))]
    public sealed class GetMailOrganizationCommand : MailAdminConnectedCmdlet
    {
        protected override void ProcessItem()
        {
            var info = Require<IOrganizationInfo>("organisation information");
            WriteObject(Await(info.GetOrganizationAsync(StopToken)));
        }
    }
}
