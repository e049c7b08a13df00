using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Processes
{
    /// <summary>
    /// Runs an external tool (doveadm, sievec, openssl, sqlite3) with its arguments as a list (never one command line that a
    /// value with spaces or quotes could split), reads both streams while it runs, and kills it when the timeout passes or the
    /// token is cancelled, so a hung tool never blocks the caller.
    /// </summary>
    public static class ExternalProcess
    {
        public static ProcessOutcome Run(string tool, IEnumerable<string> args, byte[] stdin, TimeSpan timeout, CancellationToken ct = default)
            => RunAsync(tool, args, stdin, timeout, ct).GetAwaiter().GetResult();

        public static async Task<ProcessOutcome> RunAsync(string tool, IEnumerable<string> args, byte[] stdin, TimeSpan timeout, CancellationToken ct = default)
        {
            var psi = new ProcessStartInfo(tool)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                StandardOutputEncoding = new UTF8Encoding(false),
                StandardErrorEncoding = new UTF8Encoding(false),
            };
            SetArguments(psi, args.ToList());
            using (var p = new Process { StartInfo = psi })
            {
                p.Start();
                var output = p.StandardOutput.ReadToEndAsync();
                var errors = p.StandardError.ReadToEndAsync();
                var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                var wait = Task.Run(() =>
                {
                    p.WaitForExit();
                    exited.TrySetResult(true);
                });
                // the input is fed alongside: a tool that never reads it must not block us past the timeout
                var feed = Task.Run(async () =>
                {
                    try
                    {
                        if (stdin != null)
                        {
                            await p.StandardInput.BaseStream.WriteAsync(stdin, 0, stdin.Length).ConfigureAwait(false);
                        }

                        p.StandardInput.Close();
                    }
                    catch (Exception e) when (e is IOException || e is ObjectDisposedException || e is InvalidOperationException)
                    {
                        // the tool exited or was stopped without reading it: its exit code and output tell what happened
                        Trace.WriteLine($"{Path.GetFileName(tool)}: standard input not written ({e.GetType().Name}: {e.Message})");
                    }
                });
                using (var cts = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    var all = Task.WhenAll(exited.Task, output, errors);
                    var done = await Task.WhenAny(all, Task.Delay(timeout, cts.Token)).ConfigureAwait(false);
                    if (done != all)
                    {
                        Kill(p);
                        ct.ThrowIfCancellationRequested();
                        return new ProcessOutcome
                        {
                            ExitCode = -1,
                            TimedOut = true,
                            StandardError = $"{Path.GetFileName(tool)} did not finish within {timeout.TotalSeconds:0} s and was stopped",
                        };
                    }
                    cts.Cancel();
                }
                return new ProcessOutcome { ExitCode = p.ExitCode, StandardOutput = output.Result, StandardError = errors.Result };
            }
        }

        private static void Kill(Process p)
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException e)
            {
                // the process has already exited: nothing is left to stop
                Trace.WriteLine($"Kill: {e.Message}");
            }
        }

        /// <summary>Each argument goes to the program as is (no command line to quote and split again).</summary>
        private static void SetArguments(ProcessStartInfo psi, IList<string> args)
        {
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a ?? "");
            }
        }
    }
}
