using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MailAdmin.DnsHosting;
using MailAdmin.Errors;

namespace MailAdmin.PowerShell
{
    /// <summary>An open connection to a DNS host account. Shows the host and API address, never a secret.</summary>
    public sealed class MailDnsHostConnection : IDisposable
    {
        private static int _next;
        internal MailDnsHostConnection(IDnsHost host)
        {
            Host = host;
            Id = System.Threading.Interlocked.Increment(ref _next);
            ConnectedAt = DateTime.Now;
        }
        public int Id { get; }
        public string Provider => Host.Name;
        public string Target => Host.Target;
        public DateTime ConnectedAt { get; }
        public bool IsDefault => DnsHostSession.Current == this;
        public bool IsOpen { get; private set; } = true;
        /// <summary>API requests sent so far on this connection.</summary>
        public long Requests => Host.Requests;
        internal IDnsHost Host { get; }
        public void Dispose()
        {
            if (IsOpen)
            {
                IsOpen = false;
                Host.Dispose();
            }
        }
        public override string ToString() => $"{Provider}: {Target}";
    }
}
