using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using MailAdmin.Transport;

namespace MailAdmin.PowerShell.Commands
{
    internal static class ScheduledMailCommands
    {
        public static ScheduledMailQueue Queue(PSCmdlet cmdlet, string path)
        {
            var p = !string.IsNullOrEmpty(path) ? cmdlet.GetUnresolvedProviderPathFromPSPath(path)
                : Environment.GetEnvironmentVariable("MAILADMIN_QUEUE") is string env && env.Length > 0 ? env
                : System.IO.Path.Combine(
                    Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "MailAdmin",
                    "scheduled-mail.db");
            return new ScheduledMailQueue(p);
        }
    }
}
