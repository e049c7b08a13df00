using System;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>One mail host a shared store serves: where its doveadm HTTP API is and where it keeps the mailboxes' homes.</summary>
    internal sealed class MailHost
    {
        public string Name { get; set; }
        public Uri DoveadmUrl { get; set; }
        public string MailRoot { get; set; }
        public SecretText ApiKey { get; set; }
    }
}
