using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>A DKIM key as rspamd needs it on disk (the private key never leaves the provider otherwise).</summary>
    internal sealed class DkimKeyFile
    {
        public string Domain;
        public string Selector;
        public string PrivateKeyPem;
    }
}
