using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using MailAdmin.Abstractions;
using MailAdmin.Models;
using MailAdmin.Providers.Local;

namespace MailAdmin.PowerShell
{
    /// <summary>The providers this module knows, and the connections open in each runspace (one default per runspace).</summary>
    public static class MailSession
    {
        public static ProviderCatalog Catalog { get; } = CreateCatalog();

        private static ProviderCatalog CreateCatalog()
        {
            var c = new ProviderCatalog { DefaultProvider = LocalMailProvider.ProviderName };
            c.Register(LocalMailProvider.Descriptor);
            c.Register(MailAdmin.Providers.Exmail.ExmailProvider.Descriptor);
            c.Register(MailAdmin.Providers.Alimail.AlimailProvider.Descriptor);
            c.Register(MailAdmin.Providers.Alimail.DingTalkProvider.Descriptor);
            c.Register(MailAdmin.Providers.WeCom.WeComProvider.Descriptor);
            return c;
        }

        private sealed class State
        {
            public MailConnection Current; public readonly List<MailConnection> Open = new List<MailConnection>();
        }
        private static readonly Dictionary<Guid, State> States = new Dictionary<Guid, State>();

        private static State Mine
        {
            get
            {
                var id = Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;
                lock (States)
                {
                    if (!States.TryGetValue(id, out var s))
                    {
                        States[id] = s = new State();
                    }

                    return s;
                }
            }
        }

        public static MailConnection Current => Mine.Current;
        public static IReadOnlyList<MailConnection> Connections
        {
            get
            {
                var s = Mine;
                lock (s)
                {
                    return s.Open.Where(c => c.IsOpen).ToList();
                }
            }
        }

        public static MailConnection Open(IMailProvider provider, bool makeDefault)
        {
            var conn = new MailConnection(provider);
            var s = Mine;
            lock (s)
            {
                s.Open.Add(conn);
                if (makeDefault || s.Current == null || !s.Current.IsOpen)
                {
                    s.Current = conn;
                }
            }
            return conn;
        }

        public static void Close(MailConnection conn)
        {
            var s = Mine;
            lock (s)
            {
                s.Open.Remove(conn);
                if (s.Current == conn)
                {
                    s.Current = null;
                }
            }
            conn.Dispose();
        }
    }
}
