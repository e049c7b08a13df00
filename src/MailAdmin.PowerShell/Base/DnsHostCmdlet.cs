using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MailAdmin.DnsHosting;
using MailAdmin.Errors;

namespace MailAdmin.PowerShell
{
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
            if (_traced != null && _traceHandler != null)
            {
                _traced.Trace -= _traceHandler;
            }

            _traced = null;
        }
    }
}
