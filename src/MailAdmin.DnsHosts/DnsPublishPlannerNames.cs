using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.DnsHosting;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using Newtonsoft.Json.Linq;

namespace MailAdmin.DnsHosts
{
    /// <summary>Name normalising shared by the hosts (lower case, no trailing dot).</summary>
    internal static class DnsPublishPlannerNames
    {
        public static string Norm(string name) => (name ?? "").Trim().TrimEnd('.').ToLowerInvariant();
    }
}
