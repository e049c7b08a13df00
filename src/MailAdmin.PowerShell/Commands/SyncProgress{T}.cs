using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using MailAdmin.Transport;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>An IProgress that reports on the reporting thread (Progress&lt;T&gt; would post to a thread-pool context, out of order).</summary>
    internal sealed class SyncProgress<T> : IProgress<T>
    {
        private readonly Action<T> _report;
        public SyncProgress(Action<T> report)
        {
            _report = report;
        }
        public void Report(T value) => _report(value);
    }
}
