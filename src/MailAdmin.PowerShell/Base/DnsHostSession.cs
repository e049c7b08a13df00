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
        public void Dispose() { if (IsOpen) { IsOpen = false; Host.Dispose(); } }
        public override string ToString() => $"{Provider}: {Target}";
    }

    /// <summary>The DNS host connections of each runspace, one of them the default.</summary>
    public static class DnsHostSession
    {
        private static readonly Dictionary<Guid, MailDnsHostConnection> Defaults = new Dictionary<Guid, MailDnsHostConnection>();
        private static Guid Me => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

        public static MailDnsHostConnection Current { get { lock (Defaults) return Defaults.TryGetValue(Me, out var c) && c.IsOpen ? c : null; } }

        public static MailDnsHostConnection Open(IDnsHost host)
        {
            var conn = new MailDnsHostConnection(host);
            lock (Defaults) Defaults[Me] = conn;
            return conn;
        }
    }

    /// <summary>Adds -DnsHost (default: the session's DNS host connection) and sends the host's request log to -Debug.</summary>
    public abstract class DnsHostCmdlet : MailAdminCmdlet, IDisposable
    {
        private Action<string> _traceHandler;
        private MailAdmin.Remote.RemoteApiClient _traced;

        /// <summary>The DNS host connection to use (from Connect-MailDnsHost -PassThru); default: the session's.</summary>
        [Parameter]
        public MailDnsHostConnection DnsHost { get; set; }

        protected IDnsHost Host { get; private set; }
        protected MailDnsHostConnection HostConnection { get; private set; }

        protected override void BeginProcessing()
        {
            var conn = DnsHost ?? DnsHostSession.Current;
            if (conn == null || !conn.IsOpen)
                ThrowTerminatingError(MailAdminCmdlet.ToErrorRecord(new MailAdminException(MailErrorKind.InvalidOperation, "NoDnsHostConnection",
                    "No DNS host connection: run Connect-MailDnsHost first, or give -DnsHost.", null), null));
            HostConnection = conn;
            Host = conn.Host;
            var pref = GetVariableValue("DebugPreference");
            var wanted = MyInvocation.BoundParameters.ContainsKey("Debug") || (pref is ActionPreference p && p != ActionPreference.SilentlyContinue);
            if (wanted && Host is MailAdmin.Remote.IRemoteProvider remote)
            {
                _traced = remote.Api;
                _traceHandler = EnqueueTrace;
                _traced.Trace += _traceHandler;
            }
        }

        public void Dispose()
        {
            if (_traced != null && _traceHandler != null) _traced.Trace -= _traceHandler;
            _traced = null;
        }
    }
}
