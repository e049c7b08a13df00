using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>Logs the provider keeps (Get-MailLog).</summary>
    public interface IMailLogSource
    {
        IAsyncEnumerable<MailLogEntry> GetLogs(MailLogQuery query);
    }
}
