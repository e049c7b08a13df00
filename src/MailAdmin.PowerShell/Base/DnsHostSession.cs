using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MailAdmin.DnsHosting;
using MailAdmin.Errors;

namespace MailAdmin.PowerShell
{
    /// <summary>The DNS host connections of each runspace, one of them the default.</summary>
    public static class DnsHostSession
    {
        private static readonly Dictionary<Guid, MailDnsHostConnection> Defaults = new Dictionary<Guid, MailDnsHostConnection>();
        private static Guid Me => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

        public static MailDnsHostConnection Current
        {
            get
            {
                lock (Defaults)
                {
                    return Defaults.TryGetValue(Me, out var c) && c.IsOpen ? c : null;
                }
            }
        }

        public static MailDnsHostConnection Open(IDnsHost host)
        {
            var conn = new MailDnsHostConnection(host);
            lock (Defaults)
            {
                Defaults[Me] = conn;
            }

            return conn;
        }
    }
}
