using System;
using System.Management.Automation;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Providers.Local;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Copies a Local store into another: SQLite to PostgreSQL (or back), every table, verified, resumable.</summary>
    /// <remarks>
    /// Copies the connected Local store (or -Connection's) into the store -DestinationPath (a SQLite file, created when missing) or
    /// -DestinationConnectionString (a PostgreSQL database, its schemas 'main' and 'secret' created when empty; the password comes
    /// from -DestinationCredential and is never shown). Every table of the directory and of the secrets is copied: domains,
    /// mailboxes, aliases, groups, grants, rules, auto-replies, policies, sender filters, DKIM keys, password hashes and app
    /// password hashes, exactly as stored (hashes and keys are copied, never shown, so every password still works). Both stores
    /// must have the same schema version (opening a store with this module brings it to the latest).
    /// The destination must be empty, or hold what an interrupted copy of the same source left: each table's rows equal to the
    /// source's first rows in key order. Anything else is refused before a row is written (error StoreCopyDestinationNotEmpty):
    /// the cmdlet never merges two stores. Tables are copied parents first, each in key order and in batches of 1,000 rows, each
    /// batch one transaction, from one snapshot of the source; so after Ctrl+C, a crash or a lost connection, running the same
    /// command again goes on after the last batch that committed, with no row twice. Each table is then read back from the
    /// destination and compared with the source (row count and a SHA-256 over every row in key order); one object per table says
    /// so (Verified), and a table that differs is also an error (StoreCopyNotVerified).
    /// Not copied: the write markers of the store's group commits (main.write_batch), and the settings one mail host recorded
    /// about its own files (dovecot_config, mail_root, rspamd_config, rspamd_user: SkippedRows of main.settings). Run
    /// Export-MailServerConfig against the new store on each mail host; it records them there. Stop writing to the source while
    /// it is copied: on SQLite the copy's snapshot makes other writers wait until it ends; on PostgreSQL a change made during
    /// the copy is not in it. Then connect to the new store (Connect-MailProvider -ConnectionString ... or -Path ...).
    /// </remarks>
    /// <example>
    /// <code>Connect-MailProvider -Path /var/lib/mailadmin/mailadmin.db
    /// $db = 'Host=db.contoso.com;Database=mail;Username=mailadmin'
    /// Copy-MailStore -DestinationConnectionString $db -DestinationCredential (Get-Credential mailadmin)</code>
    /// <para>Moves the embedded SQLite store into PostgreSQL, so several mail hosts can serve one directory; one verified row per table.</para>
    /// </example>
    /// <example>
    /// <code>$pg = Connect-MailProvider -ConnectionString 'Host=db.contoso.com;Database=mail;Username=mailadmin' -Credential $cred -PassThru
    /// Copy-MailStore -Connection $pg -DestinationPath ./backup.db | Where-Object { -not $_.Verified }</code>
    /// <para>Copies the PostgreSQL store back into a SQLite file (a backup, or a move back to one host) and shows any table that did not verify.</para>
    /// </example>
    /// <example>
    /// <code>Copy-MailStore -DestinationPath ./new.db -WhatIf</code>
    /// <para>Says which store would be copied where, opening and changing nothing.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Copy, "MailStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(MailStoreCopyResult))]
    public sealed class CopyMailStoreCommand : MailAdminConnectedCmdlet
    {
        private const string PathSet = "Path";
        private const string PostgresSet = "PostgreSQL";

        /// <summary>The destination as a SQLite store file (created with its schema when missing; its secrets file beside it).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        public string DestinationPath { get; set; }

        /// <summary>The destination as a PostgreSQL database: Host=...;Database=...;Username=... (no password here: use -DestinationCredential).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PostgresSet)]
        public string DestinationConnectionString { get; set; }

        /// <summary>The destination database's login: its password, and its user name when the connection string names none.</summary>
        [Parameter(ParameterSetName = PostgresSet)]
        [Credential]
        public PSCredential DestinationCredential { get; set; }

        protected override void ProcessItem()
        {
            if (!(Provider is LocalMailProvider source))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException($"Copy-MailStore copies a Local store; the connection is to {Provider.Name} ({Provider.Target})."),
                    "StoreCopyNeedsLocal", ErrorCategory.InvalidOperation, Provider.Name));
                return;
            }

            var destination = new ProviderOptions();
            if (ParameterSetName == PathSet)
            {
                destination["Path"] = GetUnresolvedProviderPathFromPSPath(DestinationPath);
            }
            else
            {
                destination["ConnectionString"] = DestinationConnectionString;
                if (DestinationCredential != null)
                {
                    destination["Username"] = DestinationCredential.UserName;
                    destination["Password"] = ToSecret(DestinationCredential.Password);
                }
            }

            var target = LocalStoreCopy.Describe(destination);
            if (!ShouldProcess(target, $"Copy the Local store '{source.StorePath}' into it (every table of the directory and the secrets, verified)"))
            {
                return;
            }

            var progress = new SyncProgress<MailStoreCopyProgress>(p => WriteProgress(new ProgressRecord(1, "Copy-MailStore",
                $"{p.Table}: {p.RowsDone:N0} of {p.RowsTotal:N0} rows")
            {
                CurrentOperation = $"Table {p.TableNumber} of {p.TableCount}",
                PercentComplete = p.RowsTotal == 0 ? 100 : (int)Math.Min(100, p.RowsDone * 100 / p.RowsTotal),
            }));
            foreach (var result in LocalStoreCopy.Copy(source, destination, progress, StopToken))
            {
                WriteObject(result);
                if (!result.Verified)
                {
                    WriteError(ToErrorRecord(new MailAdminException(MailErrorKind.InvalidOperation, "StoreCopyNotVerified",
                        $"{result.Table}: the destination '{result.Destination}' holds {result.DestinationRows} rows and the source {result.SourceRows}, "
                        + "or their contents differ. Was the destination written to during the copy? Empty it and copy again.", result.Table), result));
                }
            }

            WriteProgress(new ProgressRecord(1, "Copy-MailStore", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
