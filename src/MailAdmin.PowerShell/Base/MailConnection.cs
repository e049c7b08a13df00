using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using MailAdmin.Abstractions;
using MailAdmin.Models;
using MailAdmin.Providers.Local;

namespace MailAdmin.PowerShell
{
    /// <summary>An open connection to a provider. Holds the provider; shows no secret.</summary>
    public sealed class MailConnection : IDisposable
    {
        private static int _next;
        internal MailConnection(IMailProvider provider)
        {
            Provider = provider;
            Id = System.Threading.Interlocked.Increment(ref _next);
            ConnectedAt = DateTime.Now;
        }
        public int Id { get; }
        public string ProviderName => Provider.Name;
        /// <summary>Where it points: a store file or an API host.</summary>
        public string Target => Provider.Target;
        public DateTime ConnectedAt { get; }
        public bool IsDefault => MailSession.Current == this;
        public bool IsOpen { get; private set; } = true;
        internal IMailProvider Provider { get; }
        public MailCapability Capabilities => Provider.Capabilities;
        public void Dispose()
        {
            if (IsOpen)
            {
                IsOpen = false;
                Provider.Dispose();
            }
        }
        public override string ToString() => $"{ProviderName}: {Target}";
    }
}
