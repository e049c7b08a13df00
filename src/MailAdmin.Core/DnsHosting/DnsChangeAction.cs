using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.DnsHosting
{
    /// <summary>What publishing does with one required record.</summary>
    public enum DnsChangeAction
    {
        Add, Update, Unchanged, Refused, Remove
    }
}
