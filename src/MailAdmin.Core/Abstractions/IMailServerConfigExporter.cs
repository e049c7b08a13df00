using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>A provider whose mail servers MailAdmin configures (Local): writes Postfix and Dovecot configuration for its store.</summary>
    public interface IMailServerConfigExporter
    {
        /// <summary>Renders the templates in <paramref name="templateDirectory"/> into <paramref name="outputDirectory"/>; returns the files written.</summary>
        IReadOnlyList<string> ExportServerConfig(string templateDirectory, string outputDirectory, MailServerConfigOptions options, bool overwrite);
    }
}
