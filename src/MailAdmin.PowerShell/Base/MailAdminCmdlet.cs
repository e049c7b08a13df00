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
    /// <summary>Owns the stop token (Ctrl+C), runs async core calls on the pipeline thread, and maps failures to ErrorRecords.</summary>
    public abstract class MailAdminCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        protected CancellationToken StopToken => _stop.Token;

        protected override void StopProcessing() => _stop.Cancel();

        protected sealed override void ProcessRecord()
        {
            try
            {
                ProcessItem();
            }
            catch (MailAdminException e) when (IsPerRecord(e))
            {
                WriteError(ToErrorRecord(e, e.Target));
            }
            catch (MailAdminException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, e.Target));
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        protected sealed override void EndProcessing()
        {
            try
            {
                EndItems();
            }
            catch (MailAdminException e) when (IsPerRecord(e))
            {
                WriteError(ToErrorRecord(e, e.Target));
            }
            catch (MailAdminException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, e.Target));
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Handles one pipeline record.</summary>
        protected abstract void ProcessItem();
        protected virtual void EndItems()
        {
        }

        /// <summary>A failure about one record goes on; a broken store or connection stops the pipeline.</summary>
        private static bool IsPerRecord(MailAdminException e)
            => e.Kind != MailErrorKind.ConnectionError && e.Kind != MailErrorKind.NotSupported && e.Kind != MailErrorKind.AuthenticationError;

        /// <summary>Debug lines from worker threads (a remote provider's request log), written on the pipeline thread.</summary>
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _trace = new System.Collections.Concurrent.ConcurrentQueue<string>();
        internal void EnqueueTrace(string line) => _trace.Enqueue(line);
        protected void DrainTrace()
        {
            while (_trace.TryDequeue(out var line))
            {
                WriteDebug(line);
            }
        }

        private void WaitDraining(Task task)
        {
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(100))
            {
                DrainTrace();
            }

            DrainTrace();
        }

        protected T Await<T>(Task<T> task)
        {
            try
            {
                WaitDraining(task);
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>A DNS resolver over the given servers (default: the system's), each question tried 3 times; a bad server is a
        /// terminating error naming it.</summary>
        protected MailAdmin.Dns.DnsResolver CreateResolver(string[] servers, int timeoutSec)
        {
            try
            {
                return new MailAdmin.Dns.DnsResolver(MailAdmin.Dns.DnsResolver.ParseServers(servers), TimeSpan.FromSeconds(timeoutSec), 2);
            }
            catch (MailAdminException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, servers));
                return null;
            }
        }

        /// <summary>Awaits a long task, calling tick on the pipeline thread about every 250 ms (for Write-Progress).</summary>
        protected T AwaitPolling<T>(Task<T> task, Action tick)
        {
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(250))
            {
                DrainTrace();
                tick();
            }
            return Await(task);
        }

        protected void Await(Task task)
        {
            try
            {
                WaitDraining(task);
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Awaits a step of a stream: one already done (the rest of a fetched page) is read without a wait.</summary>
        private T Await<T>(ValueTask<T> step)
        {
            if (!step.IsCompletedSuccessfully)
            {
                return Await(step.AsTask());
            }

            DrainTrace();
            return step.Result;
        }

        /// <summary>Writes every item of a provider's stream as it arrives (one page is held at a time); Ctrl+C cancels the stream.</summary>
        protected void WriteStream<T>(IAsyncEnumerable<T> items, Func<T, bool> filter = null)
        {
            var e = items.GetAsyncEnumerator(StopToken);
            try
            {
                while (Await(e.MoveNextAsync()))
                {
                    if (filter == null || filter(e.Current))
                    {
                        WriteObject(e.Current);
                    }
                }
            }
            finally
            {
                Await(e.DisposeAsync().AsTask());
            }
        }

        internal static ErrorCategory CategoryOf(MailErrorKind kind)
        {
            switch (kind)
            {
                case MailErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case MailErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case MailErrorKind.ResourceExists: return ErrorCategory.ResourceExists;
                case MailErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case MailErrorKind.AuthenticationError: return ErrorCategory.AuthenticationError;
                case MailErrorKind.LimitsExceeded: return ErrorCategory.LimitsExceeded;
                case MailErrorKind.OperationTimeout: return ErrorCategory.OperationTimeout;
                case MailErrorKind.NotSupported: return ErrorCategory.NotImplemented;
                case MailErrorKind.ResourceBusy: return ErrorCategory.ResourceBusy;
                case MailErrorKind.ConnectionError: return ErrorCategory.ConnectionError;
                default: return ErrorCategory.InvalidOperation;
            }
        }

        protected internal static ErrorRecord ToErrorRecord(MailAdminException e, object target)
        {
            var record = new ErrorRecord(e, e.ErrorId, CategoryOf(e.Kind), target ?? e.Target);
            if (!string.IsNullOrEmpty(e.ProviderCode))
            {
                record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = $"{e.Provider} error {e.ProviderCode}: {e.ProviderMessage}" };
            }

            return record;
        }

        protected void WriteMailError(MailAdminException e, object target) => WriteError(ToErrorRecord(e, target));

        /// <summary>Runs one provider call for one record; a failure becomes a non-terminating error with that record as target.</summary>
        protected bool TryRun(object target, Action action)
        {
            try
            {
                action();
                return true;
            }
            catch (MailAdminException e) when (IsPerRecord(e))
            {
                WriteMailError(e, target);
                return false;
            }
        }

        internal static SecretText ToSecret(SecureString s)
        {
            if (s == null)
            {
                return null;
            }

            var ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(s);
                return new SecretText(Marshal.PtrToStringUni(ptr) ?? "");
            }
            finally
            {
                if (ptr != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(ptr);
                }
            }
        }

        internal static SecureString ToSecureString(SecretText s)
        {
            var ss = new SecureString();
            foreach (var c in s.Reveal())
            {
                ss.AppendChar(c);
            }

            ss.MakeReadOnly();
            return ss;
        }
    }
}
