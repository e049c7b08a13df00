using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>Finds and runs Dovecot's command-line tools (doveadm, sievec) for DovecotAcl and DovecotSieve.</summary>
    internal static class DovecotTools
    {
        /// <summary>How long a tool may run before it is stopped.</summary>
        internal static TimeSpan Timeout = TimeSpan.FromSeconds(30);

        public static string Find(string tool)
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Concat(new[] { "/usr/bin", "/usr/sbin" }))
            {
                if (string.IsNullOrEmpty(dir))
                {
                    continue;
                }

                var p = Path.Combine(dir, tool);
                if (File.Exists(p))
                {
                    return p;
                }
            }
            return null;
        }

        public static (int code, string output) Run(string tool, string stdin, params string[] args)
        {
            // arguments as a list (a backslash or quote reaches the tool unchanged); a hung tool is stopped at the timeout
            var r = MailAdmin.Processes.ExternalProcess.Run(tool, args, stdin == null ? null : new UTF8Encoding(false).GetBytes(stdin), Timeout);
            return (r.ExitCode, r.Output);
        }
    }
}
