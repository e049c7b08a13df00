using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

using MailAdmin.Validation;

namespace MailAdmin.Reports
{
    /// <summary>One finding of Get-MailSecurityReport.</summary>
    public sealed class MailSecurityFinding
    {
        public string Category { get; set; }
        public MailFindingSeverity Severity { get; set; }
        /// <summary>The mailbox, group, rule or domain it is about.</summary>
        public string Target { get; set; }
        public string Detail { get; set; }
        public string Provider { get; set; }
    }
}
