using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Remote
{
    /// <summary>The request may or may not have been applied (the answer was lost). The caller checks before repeating it.</summary>
    public sealed class RemoteAmbiguousException : MailAdminException
    {
        public RemoteAmbiguousException(string message, object target, Exception inner = null)
            : base(MailErrorKind.ConnectionError, "RemoteOutcomeUnknown", message, target, inner)
        {
        }
    }
}
