using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell
{
    /// <summary>Adds -Connection (default: the session's connection, else the default Local store) and capability checks.</summary>
    public abstract class MailAdminConnectedCmdlet : MailAdminCmdlet, IDisposable
    {
        private Action<string> _traceHandler;
        private MailAdmin.Remote.RemoteApiClient _traced;

        /// <summary>PowerShell disposes the cmdlet when the pipeline ends (also when it is stopped): the request log handler goes.</summary>
        public void Dispose()
        {
            if (_traced != null && _traceHandler != null)
            {
                _traced.Trace -= _traceHandler;
            }

            _traced = null;
        }

        /// <summary>The connection to use (from Connect-MailProvider -PassThru or Get-MailConnection); default: the session's current connection.</summary>
        [Parameter]
        public MailConnection Connection { get; set; }

        protected IMailProvider Provider { get; private set; }

        protected override void BeginProcessing()
        {
            var conn = Connection ?? MailSession.Current;
            if (conn == null)
            {
                try
                {
                    var d = MailSession.Catalog.Get(MailSession.Catalog.DefaultProvider);
                    conn = MailSession.Open(d.Open(new ProviderOptions()), makeDefault: true);
                    WriteVerbose($"No connection yet: opened the default {conn.ProviderName} store at {conn.Target}.");
                }
                catch (MailAdminException e)
                {
                    ThrowTerminatingError(ToErrorRecord(e, null));
                }
            }
            if (!conn.IsOpen)
                ThrowTerminatingError(
                    new ErrorRecord(new InvalidOperationException($"The connection {conn} is closed. Connect again with Connect-MailProvider."),
                    "MailConnectionClosed", ErrorCategory.ConnectionError, conn));
            Provider = conn.Provider;
            // a remote provider's requests and answers (secrets redacted) go to -Debug when it is wanted
            var pref = GetVariableValue("DebugPreference");
            var wanted = MyInvocation.BoundParameters.ContainsKey("Debug") || (pref is ActionPreference p && p != ActionPreference.SilentlyContinue)
                || (pref != null && !(pref is ActionPreference) && !string.Equals(pref.ToString(), "SilentlyContinue", StringComparison.OrdinalIgnoreCase));
            if (wanted && Provider is MailAdmin.Remote.IRemoteProvider remote)
            {
                _traced = remote.Api;
                _traceHandler = EnqueueTrace;
                _traced.Trace += _traceHandler;
            }
        }

        /// <summary>The capability this cmdlet needs, or one terminating error naming the provider and what it supports.</summary>
        /// <summary>Stops with NotImplemented, naming the provider, when it lacks the capability.</summary>
        protected void Require(MailCapability capability, string operation)
        {
            try
            {
                Capabilities.Require(Provider, capability, operation);
            }
            catch (MailAdminException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, Provider.Name));
            }
        }

        protected T Require<T>(string operation) where T : class
        {
            try
            {
                return Capabilities.Require<T>(Provider, operation);
            }
            catch (MailAdminException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, Provider.Name));
                return null;
            }
        }
    }
}
