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
    /// <summary>What an external tool did: its exit code and output, or that it was stopped.</summary>
    public sealed class ProcessOutcome
    {
        public int ExitCode { get; set; }
        public string StandardOutput { get; set; } = "";
        public string StandardError { get; set; } = "";
        /// <summary>The tool did not finish within the timeout and was killed.</summary>
        public bool TimedOut { get; set; }
        /// <summary>Both streams, output first (what the tools print for an error).</summary>
        public string Output => (StandardOutput + StandardError).Trim();
    }
}
