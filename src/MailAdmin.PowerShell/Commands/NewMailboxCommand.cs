using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;

namespace MailAdmin.PowerShell.Commands
{
    /// <summary>Creates mailboxes, one or thousands (straight from an HR export).</summary>
    /// <remarks>
    /// Binds by property name, so Import-Csv staff.csv | New-Mailbox takes the columns Address, DisplayName, Department,
    /// JobTitle, Mobile, Password (plain text from a CSV is turned into a SecureString at once), Role and QuotaMB.
    /// A bad row (invalid address, unknown domain, weak password, an address already in use) is a non-terminating error whose
    /// TargetObject is the row; the other rows are created. Re-running the same file creates nothing twice: existing
    /// addresses are ResourceExists errors, or are passed over quietly with -SkipExisting. Up to -ThrottleLimit rows are
    /// in progress at once (password hashing on every core, finished rows committed together); results come out in input order. Every row
    /// ends with exactly one outcome: the mailbox, or an error naming the row. When the connection to the provider fails, the rows
    /// in progress are waited for and each reported (a create whose answer was lost is reported in doubt, with the Get-Mailbox
    /// command that tells), later rows are reported as not attempted, and the command then stops with BulkCreateConnectionLost.
    /// Ctrl+C stops at once, waits for the rows in progress, and leaves every mailbox either fully created or not at all. A mailbox created without a password
    /// cannot log in until
    /// Reset-MailboxPassword gives it one.
    /// </remarks>
    /// <example>
    /// <code>New-Mailbox -Address li.lei@contoso.com -DisplayName '李雷' -Department Sales -Password (Read-Host -AsSecureString)</code>
    /// <para>Creates one mailbox with a password typed at the prompt.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv interns.csv | New-Mailbox -Disabled -SkipExisting</code>
    /// <para>Prepares mailboxes that nobody can use until Enable-Mailbox; a re-run reports any that exist enabled instead of skipping them.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv staff.csv | New-Mailbox -SkipExisting -ErrorVariable bad; $bad | ForEach-Object TargetObject | Export-Csv rejected.csv</code>
    /// <para>Creates every mailbox of the HR export, skips those that exist, and writes the rejected rows to a file.</para>
    /// </example>
    /// <example>
    /// <code>New-Mailbox support@contoso.com -DisplayName 'Support' -Shared; Set-MailPermission support@contoso.com -Trustee li.lei@contoso.com -AccessRights
    /// FullAccess, SendAs</code>
    /// <para>Local: a shared mailbox nobody signs in to; Li Lei opens it over IMAP (shared/support@contoso.com) and sends as it.</para>
    /// </example>
    /// <example>
    /// <code>New-Mailbox support@contoso.com -DisplayName 'Support' -Shared -Department Service</code>
    /// <para>WeCom: a public mailbox (publicmail/create) that the members of the Service department may use.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "Mailbox", SupportsShouldProcess = true)]
    [OutputType(typeof(Mailbox))]
    public sealed class NewMailboxCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The primary address, e.g. li.lei@contoso.com.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("PrimarySmtpAddress", "EmailAddress", "Email", "UserPrincipalName")]
        public string Address { get; set; }

        /// <summary>The name shown to people (any script, e.g. Chinese names).</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        public string DisplayName { get; set; }

        /// <summary>The department.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Department { get; set; }

        /// <summary>The job title.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Title")]
        public string JobTitle { get; set; }

        /// <summary>The mobile phone number.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("MobilePhone", "Phone")]
        public string Mobile { get; set; }

        /// <summary>The initial password: a SecureString, a PSCredential or plain text from a CSV.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SecureStringTransformation]
        public SecureString Password { get; set; }

        /// <summary>User (default) or Admin.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public MailRole Role { get; set; }

        /// <summary>The mailbox size limit in MB; 0 or none means no limit.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public long? QuotaMB { get; set; }

        /// <summary>The pipeline record itself (e.g. a CSV row), kept so that an error about it carries it as TargetObject.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject InputObject { get; set; }

        /// <summary>Passes over addresses that already exist without an error (with -Disabled, only those that are disabled: an
        /// existing enabled one is an error, so a re-run never quietly leaves it enabled).</summary>
        [Parameter]
        public SwitchParameter SkipExisting { get; set; }

        /// <summary>Creates the mailboxes disabled (nobody can sign in, no mail is delivered) until Enable-Mailbox. On Exmail, which
        /// creates mailboxes enabled, a mailbox that cannot then be disabled is removed again (or the error says it is enabled).</summary>
        [Parameter]
        public SwitchParameter Disabled { get; set; }

        /// <summary>The user must change the password at the first sign-in (Exmail; providers that cannot enforce it refuse).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SwitchParameter ForcePasswordChange { get; set; }

        /// <summary>Creates a shared mailbox (the same as -Type Shared): nobody signs in to it, so it takes no password. Local: people use it
        /// through Set-MailPermission FullAccess (IMAP) and SendAs. WeCom: a public mailbox (publicmail) that the members, departments
        /// (-Department) or tags named on it may use; Set-MailPermission FullAccess adds a member. Exmail refuses it (no confirmed API).</summary>
        [Parameter]
        public SwitchParameter Shared { get; set; }

        /// <summary>User (the default) or Shared; a CSV column named Type binds to it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public MailboxType Type { get; set; }

        /// <summary>Create the -Department path ("Sales/East") when the provider keeps departments as objects and it does not exist yet (Exmail).</summary>
        [Parameter]
        public SwitchParameter CreateDepartment { get; set; }

        /// <summary>WeCom: the member's UserID (default: the address's local part, with characters WeCom refuses replaced by '_'); providers without UserIDs
        /// ignore it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string UserId { get; set; }

        /// <summary>Aliases (extra addresses) to create with the mailbox.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Aliases")]
        public string[] Alias { get; set; }

        /// <summary>How many mailboxes may be in progress at once (default 32). The Local provider hashes passwords on every core and writes the finished ones
        /// in shared transactions; remote providers send that many requests in parallel.</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 32;

        private readonly Queue<(Task<Mailbox> task, object target, string address, string key)> _window = new Queue<(Task<Mailbox>, object, string, string)>();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastProgress;
        private int _created, _failed, _skipped;
        private IMailboxStore _store;
        private MailAdminException _broken;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _store = Require<IMailboxStore>("mailboxes");
        }

        protected override void ProcessItem()
        {
            // The row as it came down the pipeline (a CSV row), else the address: that is what an error names.
            var target = (object)InputObject ?? Address;
            if (_broken != null)
            {
                _failed++;
                WriteError(new ErrorRecord(
                    new InvalidOperationException(
                    $"'{Address}' was not created: the connection to the provider failed on an earlier row ({_broken.Message}). Run the rest again once it "
                        + "works.", _broken),
                    "MailboxNotAttempted", ErrorCategory.ConnectionError, target));
                return;
            }
            if (Shared || Type == MailboxType.Shared)
            {
                // this row's outcome, not the run's: the rows in progress still finish and are reported
                try
                {
                    Capabilities.Require(Provider, MailCapability.SharedMailboxes, "shared mailboxes");
                }
                catch (MailAdminException e)
                {
                    _failed++;
                    WriteMailError(e, target);
                    return;
                }
            }
            if (!ShouldProcess(Address, Shared || Type == MailboxType.Shared ? "Create shared mailbox" : "Create mailbox"))
            {
                return;
            }

            var request = new MailboxCreateRequest
            {
                Address = Address,
                DisplayName = DisplayName,
                Department = Department,
                JobTitle = JobTitle,
                Mobile = Mobile,
                Role = Role,
                QuotaMB = QuotaMB == 0 ? null : QuotaMB,
                Password = ToSecret(Password),
                Enabled = !Disabled,
                ForcePasswordChange = ForcePasswordChange,
                CreateDepartment = CreateDepartment,
                UserId = string.IsNullOrWhiteSpace(UserId) ? null : UserId.Trim(),
                Type = Shared ? MailboxType.Shared : Type,
                Aliases = Alias?.SelectMany(a => (a ?? "").Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries)).ToArray(),
            };
            var token = StopToken;
            // The same address twice in one run: the earlier row must win, so let it finish before the later one starts.
            var key = MailNames.TryNormalizeAddress(Address, out var normalized) ? normalized : (Address ?? "").Trim().ToLowerInvariant();
            if (_window.Any(w => w.key == key))
            {
                while (_window.Count > 0)
                {
                    var w = _window.Dequeue();
                    Drain(w);
                    if (w.key == key)
                    {
                        break;
                    }
                }
            }

            _window.Enqueue((Task.Run(() => _store.CreateMailboxAsync(request, token), token), target, Address, key));
            while (_window.Count >= ThrottleLimit)
            {
                Drain(_window.Dequeue());
            }

            while (_window.Count > 0 && _window.Peek().task.IsCompleted)
            {
                Drain(_window.Dequeue());
            }

            Progress(false);
        }

        protected override void EndItems()
        {
            while (_window.Count > 0)
            {
                Drain(_window.Dequeue());
            }

            Progress(true);
            if (_broken != null)
                ThrowTerminatingError(
                    new ErrorRecord(
                    new InvalidOperationException(
                    $"The connection to the provider failed: {_created} created, {_skipped} skipped, {_failed} not created or in doubt (each reported above).",
                        _broken),
                    "BulkCreateConnectionLost", ErrorCategory.ConnectionError, null));
        }

        /// <summary>On Ctrl+C (or a pipeline stopped downstream) the creates in progress are cancelled and waited for, so none goes on
        /// after the command has returned.</summary>
        protected override void StopProcessing()
        {
            base.StopProcessing();
            Task[] running;
            try
            {
                running = _window.Select(w => (Task)w.task).ToArray();
            }
            catch (InvalidOperationException)
            {
                return;
            } // the pipeline thread changed the window meanwhile: it drains it itself
            try
            {
                Task.WaitAll(running, TimeSpan.FromSeconds(60));
            }
            catch (AggregateException e)
            {
                // a create that failed or was cancelled: stopping is all that is wanted here, and this thread cannot write to the pipeline
                System.Diagnostics.Trace.WriteLine($"New-Mailbox stopped; {e.InnerExceptions.Count} create(s) ended with an error");
            }
        }

        private void Drain((Task<Mailbox> task, object target, string address, string key) item)
        {
            try
            {
                WriteObject(Await(item.task));
                _created++;
            }
            catch (PipelineStoppedException)
            {
                // stopped downstream (Select-Object -First) or by Ctrl+C: nothing more can be written, but no create may go on
                // unobserved after the command has returned
                var running = _window.Select(w => (Task)w.task).ToArray();
                try
                {
                    Task.WaitAll(running, TimeSpan.FromSeconds(60));
                }
                catch (AggregateException e)
                {
                    // the pipeline is stopping, so these errors cannot be written; the stop is rethrown below
                    System.Diagnostics.Trace.WriteLine($"New-Mailbox stopped; {e.InnerExceptions.Count} create(s) ended with an error");
                }

                throw;
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ResourceExists && SkipExisting)
            {
                if (Disabled && ExistsEnabled(item.address))
                {
                    _failed++;
                    WriteError(new ErrorRecord(
                        new InvalidOperationException(
                        $"'{item.address}' already exists and is enabled, though this run creates mailboxes disabled; it was not skipped quietly. Disable it "
                            + $"with: Disable-Mailbox '{item.address}'", e),
                        "ExistingMailboxEnabled", ErrorCategory.ResourceExists, item.target));
                    return;
                }
                _skipped++;
                WriteVerbose($"Skipped '{item.address}': it already exists.");
            }
            catch (MailAdminException e) when (e.Kind != MailErrorKind.ConnectionError)
            {
                _failed++;
                WriteMailError(e, item.target);
            }
            catch (MailAdminException e)
            {
                // the connection failed: this row gets its outcome, then every row still in progress gets its own
                _failed++;
                var record = ToErrorRecord(e, item.target);
                if (e.ErrorId == "RemoteOutcomeUnknown")
                    record = new ErrorRecord(
                        new InvalidOperationException(
                        $"'{item.address}' is in doubt: the provider's answer was lost, so it may or may not have been created. Check with: Get-Mailbox "
                            + $"'{item.address}'", e),
                        "MailboxCreateInDoubt", ErrorCategory.ConnectionError, item.target);
                WriteError(record);
                if (_broken == null)
                {
                    _broken = e;
                    while (_window.Count > 0)
                    {
                        Drain(_window.Dequeue());
                    }
                }
            }
        }

        private bool ExistsEnabled(string address)
        {
            try
            {
                return Await(_store.GetMailboxAsync(address, StopToken)).Enabled;
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ObjectNotFound)
            {
                return false;
            } // an alias or a group, not a mailbox
        }

        private void Progress(bool done)
        {
            var now = _clock.ElapsedMilliseconds;
            if (done)
            {
                if (_lastProgress > 0)
                {
                    WriteProgress(new ProgressRecord(1, "New-Mailbox", "Done") { RecordType = ProgressRecordType.Completed });
                }

                return;
            }
            if (now < 1000 || now - _lastProgress < 500)
            {
                return;
            }

            _lastProgress = now;
            var rate = (_created + _failed + _skipped) / Math.Max(0.001, now / 1000.0);
            WriteProgress(new ProgressRecord(1, "New-Mailbox", $"{_created} created, {_skipped} skipped, {_failed} failed ({rate:0} per second)"));
        }
    }
}
