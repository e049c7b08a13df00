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
    public enum MailFindingSeverity
    {
        Info, Warning, High
    }
}
