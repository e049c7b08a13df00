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
    /// Ctrl+C stops at once, waits for the rows in progress, and leaves every mailbox either fully created or not at all. A mailbox created without a password cannot log in until
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

        /// <summary>WeCom: the member's UserID (default: the address's local part, with characters WeCom refuses replaced by '_'); providers without UserIDs ignore it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string UserId { get; set; }

        /// <summary>Aliases (extra addresses) to create with the mailbox.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Aliases")]
        public string[] Alias { get; set; }

        /// <summary>How many mailboxes may be in progress at once (default 32). The Local provider hashes passwords on every core and writes the finished ones in shared transactions; remote providers send that many requests in parallel.</summary>
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
                WriteError(new ErrorRecord(new InvalidOperationException($"'{Address}' was not created: the connection to the provider failed on an earlier row ({_broken.Message}). Run the rest again once it works.", _broken),
                    "MailboxNotAttempted", ErrorCategory.ConnectionError, target));
                return;
            }
            if (Shared || Type == MailboxType.Shared)
            {
                // this row's outcome, not the run's: the rows in progress still finish and are reported
                try { Capabilities.Require(Provider, MailCapability.SharedMailboxes, "shared mailboxes"); }
                catch (MailAdminException e)
                {
                    _failed++;
                    WriteMailError(e, target);
                    return;
                }
            }
            if (!ShouldProcess(Address, Shared || Type == MailboxType.Shared ? "Create shared mailbox" : "Create mailbox")) return;
            var request = new MailboxCreateRequest
            {
                Address = Address, DisplayName = DisplayName, Department = Department, JobTitle = JobTitle, Mobile = Mobile,
                Role = Role, QuotaMB = QuotaMB == 0 ? null : QuotaMB, Password = ToSecret(Password), Enabled = !Disabled,
                ForcePasswordChange = ForcePasswordChange, CreateDepartment = CreateDepartment, UserId = string.IsNullOrWhiteSpace(UserId) ? null : UserId.Trim(),
                Type = Shared ? MailboxType.Shared : Type,
                Aliases = Alias?.SelectMany(a => (a ?? "").Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries)).ToArray(),
            };
            var token = StopToken;
            // The same address twice in one run: the earlier row must win, so let it finish before the later one starts.
            var key = MailNames.TryNormalizeAddress(Address, out var normalized) ? normalized : (Address ?? "").Trim().ToLowerInvariant();
            if (_window.Any(w => w.key == key))
                while (_window.Count > 0) { var w = _window.Dequeue(); Drain(w); if (w.key == key) break; }
            _window.Enqueue((Task.Run(() => _store.CreateMailboxAsync(request, token), token), target, Address, key));
            while (_window.Count >= ThrottleLimit) Drain(_window.Dequeue());
            while (_window.Count > 0 && _window.Peek().task.IsCompleted) Drain(_window.Dequeue());
            Progress(false);
        }

        protected override void EndItems()
        {
            while (_window.Count > 0) Drain(_window.Dequeue());
            Progress(true);
            if (_broken != null)
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException($"The connection to the provider failed: {_created} created, {_skipped} skipped, {_failed} not created or in doubt (each reported above).", _broken),
                    "BulkCreateConnectionLost", ErrorCategory.ConnectionError, null));
        }

        /// <summary>On Ctrl+C (or a pipeline stopped downstream) the creates in progress are cancelled and waited for, so none goes on
        /// after the command has returned.</summary>
        protected override void StopProcessing()
        {
            base.StopProcessing();
            Task[] running;
            try { running = _window.Select(w => (Task)w.task).ToArray(); }
            catch (InvalidOperationException) { return; } // the pipeline thread changed the window meanwhile: it drains it itself
            try { Task.WaitAll(running, TimeSpan.FromSeconds(60)); } catch (AggregateException) { }
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
                try { Task.WaitAll(running, TimeSpan.FromSeconds(60)); } catch (AggregateException) { }
                throw;
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ResourceExists && SkipExisting)
            {
                if (Disabled && ExistsEnabled(item.address))
                {
                    _failed++;
                    WriteError(new ErrorRecord(new InvalidOperationException($"'{item.address}' already exists and is enabled, though this run creates mailboxes disabled; it was not skipped quietly. Disable it with: Disable-Mailbox '{item.address}'", e),
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
                    record = new ErrorRecord(new InvalidOperationException($"'{item.address}' is in doubt: the provider's answer was lost, so it may or may not have been created. Check with: Get-Mailbox '{item.address}'", e),
                        "MailboxCreateInDoubt", ErrorCategory.ConnectionError, item.target);
                WriteError(record);
                if (_broken == null)
                {
                    _broken = e;
                    while (_window.Count > 0) Drain(_window.Dequeue());
                }
            }
        }

        private bool ExistsEnabled(string address)
        {
            try { return Await(_store.GetMailboxAsync(address, StopToken)).Enabled; }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.ObjectNotFound) { return false; } // an alias or a group, not a mailbox
        }

        private void Progress(bool done)
        {
            var now = _clock.ElapsedMilliseconds;
            if (done)
            {
                if (_lastProgress > 0) WriteProgress(new ProgressRecord(1, "New-Mailbox", "Done") { RecordType = ProgressRecordType.Completed });
                return;
            }
            if (now < 1000 || now - _lastProgress < 500) return;
            _lastProgress = now;
            var rate = (_created + _failed + _skipped) / Math.Max(0.001, now / 1000.0);
            WriteProgress(new ProgressRecord(1, "New-Mailbox", $"{_created} created, {_skipped} skipped, {_failed} failed ({rate:0} per second)"));
        }
    }

    /// <summary>Gets mailboxes; results stream as they are read.</summary>
    /// <remarks>
    /// With no filter, lists every mailbox. -Identity takes an address or alias, or a wildcard pattern; -Domain, -Department,
    /// -Role and -Enabled narrow the list. The list is read a page at a time, so the first mailbox appears at once even in a
    /// very large directory, and memory stays flat.
    /// </remarks>
    /// <example>
    /// <code>Get-Mailbox -Department Sales -Enabled $true</code>
    /// <para>Lists the enabled mailboxes of Sales.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox *@contoso.com | Export-Csv mailboxes.csv -NoTypeInformation</code>
    /// <para>Exports every contoso.com mailbox to CSV.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Shared | Get-MailPermission</code>
    /// <para>Lists the shared mailboxes and who may use them.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "Mailbox", DefaultParameterSetName = "List")]
    [OutputType(typeof(Mailbox))]
    public sealed class GetMailboxCommand : MailAdminConnectedCmdlet
    {
        /// <summary>An address or alias, or a wildcard pattern over addresses.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>Only mailboxes in this domain (wildcards allowed).</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DomainNameCompleter))]
        public string Domain { get; set; }

        /// <summary>Only mailboxes of this department (case-insensitive; wildcards allowed).</summary>
        [Parameter]
        [SupportsWildcards]
        public string Department { get; set; }

        /// <summary>Only mailboxes with this role.</summary>
        [Parameter]
        public MailRole? Role { get; set; }

        /// <summary>Only enabled ($true) or disabled ($false) mailboxes.</summary>
        [Parameter]
        public bool? Enabled { get; set; }

        /// <summary>Only shared mailboxes (the same as -Type Shared).</summary>
        [Parameter]
        public SwitchParameter Shared { get; set; }

        /// <summary>Only mailboxes of this type: User or Shared.</summary>
        [Parameter]
        public MailboxType? Type { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxStore>("mailboxes");
            var type = Shared ? MailboxType.Shared : Type;
            if (type == MailboxType.Shared) Require(MailCapability.SharedMailboxes, "shared mailboxes");
            var filtered = Domain != null || Department != null || Role.HasValue || Enabled.HasValue || type.HasValue;
            if (!string.IsNullOrEmpty(Identity) && !WildcardPattern.ContainsWildcardCharacters(Identity) && !filtered)
            {
                WriteObject(Await(store.GetMailboxAsync(Identity, StopToken)));
                return;
            }
            var identity = Identity;
            if (!string.IsNullOrEmpty(identity) && !WildcardPattern.ContainsWildcardCharacters(identity))
                identity = MailNames.NormalizeAddress(identity);
            WriteCursor(store.ListMailboxes(new MailboxQuery { Identity = identity, Domain = Domain, Department = Department, Role = Role,
                Enabled = Enabled, Type = type }));
        }
    }

    /// <summary>Changes a mailbox's details and aliases.</summary>
    /// <remarks>Only the parameters given change. -AddAlias and -RemoveAlias manage extra addresses that deliver to the mailbox. Binds by property name, so an edited CSV can be piped back in.</remarks>
    /// <example>
    /// <code>Set-Mailbox li.lei@contoso.com -Department Marketing -JobTitle 'Team lead'</code>
    /// <para>Moves a mailbox to Marketing with a new title.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Department Sales | Set-Mailbox -QuotaMB 10240</code>
    /// <para>Gives every Sales mailbox a 10 GB limit.</para>
    /// </example>
    /// <example>
    /// <code>Set-Mailbox li.lei@contoso.com -AddAlias lilei@contoso.com -PassThru</code>
    /// <para>Adds an alias and shows the mailbox.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv sales.csv | Set-Mailbox -AdvancedFeatures $true</code>
    /// <para>WeCom: gives each mailbox of the file a paid advanced-feature seat (Get-Mailbox shows AdvancedFeatures).</para>
    /// </example>
    /// <example>
    /// <code>Set-Mailbox info@contoso.com -Type Shared; Set-MailPermission info@contoso.com -Trustee li.lei@contoso.com -AccessRights FullAccess</code>
    /// <para>Local: makes a person's mailbox a shared one (its password and app passwords are deleted; its mail and grants stay).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "Mailbox", SupportsShouldProcess = true)]
    [OutputType(typeof(Mailbox))]
    public sealed class SetMailboxCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox (address or alias).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>The new display name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string DisplayName { get; set; }

        /// <summary>The new department.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Department { get; set; }

        /// <summary>The new job title.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string JobTitle { get; set; }

        /// <summary>The new mobile number.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Mobile { get; set; }

        /// <summary>The size limit in MB; 0 removes the limit.</summary>
        [Parameter]
        public long? QuotaMB { get; set; }

        /// <summary>Addresses to add as aliases (in domains of this provider).</summary>
        [Parameter]
        public string[] AddAlias { get; set; }

        /// <summary>Aliases to remove.</summary>
        [Parameter]
        public string[] RemoveAlias { get; set; }

        /// <summary>WeCom: gives ($true) or takes ($false) the mailbox's paid advanced-feature seat (exmail/vip; sent in batches of at most 100). Providers without such seats refuse it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool? AdvancedFeatures { get; set; }

        /// <summary>Local: converts the mailbox. Shared deletes its password and app passwords and ends its open IMAP/POP3 sessions (nobody
        /// signs in to it any more; it keeps its mail and permissions); User makes it a person's mailbox again, without a password
        /// until Reset-MailboxPassword sets one.
        /// Not bound from the pipeline, so piping mailboxes into Set-Mailbox never converts them.</summary>
        [Parameter]
        public MailboxType? Type { get; set; }

        /// <summary>Writes the changed mailbox.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxStore>("mailboxes");
            if (Type.HasValue) Require(MailCapability.SharedMailboxes, "shared mailboxes");
            var action = Type == MailboxType.Shared ? "Convert to a shared mailbox (its password and app passwords are deleted)"
                : Type == MailboxType.User ? "Convert to a user mailbox (no password until one is set)" : "Set mailbox";
            if (!ShouldProcess(Identity, action)) return;
            var update = new MailboxUpdate
            {
                DisplayName = DisplayName, Department = Department, JobTitle = JobTitle, Mobile = Mobile,
                QuotaMB = QuotaMB == 0 ? null : QuotaMB, ClearQuota = QuotaMB == 0, AddAliases = AddAlias, RemoveAliases = RemoveAlias, Type = Type,
            };
            IAdvancedFeatureSeats seats = AdvancedFeatures.HasValue ? Require<IAdvancedFeatureSeats>("advanced-feature seats") : null;
            var m = Await(store.UpdateMailboxAsync(Identity, update, StopToken));
            if (seats != null)
            {
                var refused = Await(seats.SetAdvancedFeaturesAsync(new[] { Identity }, AdvancedFeatures.Value, StopToken));
                if (refused.Count > 0)
                    throw new MailAdminException(MailErrorKind.InvalidOperation, "AdvancedFeatureSeatRefused",
                        $"{m.Provider} refused to {(AdvancedFeatures.Value ? "give" : "take")} the advanced-feature seat of '{Identity}' (no seat left, or outside the application's scope).", Identity) { Provider = m.Provider };
                m = Await(store.GetMailboxAsync(Identity, StopToken));
            }
            if (PassThru) WriteObject(m);
        }
    }

    /// <summary>Removes mailboxes.</summary>
    /// <remarks>Removes the mailbox with its aliases, the rights it holds and grants, its group memberships, rules, auto-reply,
    /// policy and app passwords. On Local it also removes what the mail server holds for it: its Sieve script, the folder rights
    /// it gives and holds (IMAP ACLs and the shared-mailbox list), its open sessions and its login records; its mail is moved
    /// aside, out of every user's reach, for -RetainMailDays (default 30; Sync-MailServerState purges it then), or deleted at once
    /// with -PurgeMail. A mailbox made again at the same address starts empty. When a mail-server step fails after the store
    /// change, the error says so: run Sync-MailServerState to finish. Asks for confirmation unless -Confirm:$false.</remarks>
    /// <example>
    /// <code>Remove-Mailbox li.lei@contoso.com</code>
    /// <para>Removes one mailbox after confirmation; its mail is kept aside for 30 days.</para>
    /// </example>
    /// <example>
    /// <code>Remove-Mailbox temp01@contoso.com -PurgeMail -Confirm:$false</code>
    /// <para>Removes a mailbox and deletes its mail at once.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Enabled $false -Department Temp | Remove-Mailbox -Confirm:$false</code>
    /// <para>Removes every disabled mailbox of the Temp department without asking.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "Mailbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveMailboxCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox (address or alias).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>Days the removed mailbox's mail is kept aside on the server before Sync-MailServerState purges it (Local; default 30).</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int RetainMailDays { get; set; } = MailRemovalOptions.DefaultRetainDays;

        /// <summary>Deletes the mailbox's mail on the server at once instead of keeping it aside (Local).</summary>
        [Parameter]
        public SwitchParameter PurgeMail { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxStore>("mailboxes");
            if (!ShouldProcess(Identity, PurgeMail ? "Remove mailbox and delete its mail" : "Remove mailbox")) return;
            if (Provider is IMailServerStateStore server)
                Await(server.RemoveMailboxAsync(Identity, new MailRemovalOptions { RetainDays = RetainMailDays, Purge = PurgeMail }, StopToken));
            else Await(store.RemoveMailboxAsync(Identity, StopToken));
        }
    }

    /// <summary>Enables mailboxes (login and mail delivery).</summary>
    /// <remarks>An enabled mailbox can log in and receive mail.</remarks>
    /// <example>
    /// <code>Enable-Mailbox li.lei@contoso.com</code>
    /// <para>Enables one mailbox.</para>
    /// </example>
    /// <example>
    /// <code>Get-Mailbox -Enabled $false -Department Sales | Enable-Mailbox -PassThru</code>
    /// <para>Enables every disabled Sales mailbox and shows them.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Enable, "Mailbox", SupportsShouldProcess = true)]
    [OutputType(typeof(Mailbox))]
    public sealed class EnableMailboxCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox (address or alias).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>Writes the mailbox.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxStore>("mailboxes");
            if (!ShouldProcess(Identity, "Enable mailbox")) return;
            var m = Await(store.SetMailboxEnabledAsync(Identity, true, StopToken));
            if (PassThru) WriteObject(m);
        }
    }

    /// <summary>Disables mailboxes: they can no longer log in or receive mail; nothing is deleted.</summary>
    /// <remarks>A disabled mailbox keeps its mail, aliases and settings; Enable-Mailbox turns it back on.</remarks>
    /// <example>
    /// <code>Disable-Mailbox li.lei@contoso.com</code>
    /// <para>Disables one mailbox.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv leavers.csv | Disable-Mailbox</code>
    /// <para>Disables every mailbox listed in the Address column of leavers.csv.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Disable, "Mailbox", SupportsShouldProcess = true)]
    [OutputType(typeof(Mailbox))]
    public sealed class DisableMailboxCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox (address or alias).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>Writes the mailbox.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxStore>("mailboxes");
            if (!ShouldProcess(Identity, "Disable mailbox")) return;
            var m = Await(store.SetMailboxEnabledAsync(Identity, false, StopToken));
            if (PassThru) WriteObject(m);
        }
    }

    /// <summary>Sets a new password on a mailbox, or generates a strong one.</summary>
    /// <remarks>
    /// With -Password, sets it (checked against the store's password policy). Without, generates a 20-character password and
    /// writes it once as a PSCredential (user name: the address); it is not stored anywhere in clear, so keep it then.
    /// </remarks>
    /// <example>
    /// <code>$cred = Reset-MailboxPassword li.lei@contoso.com; $cred.GetNetworkCredential().Password</code>
    /// <para>Generates a new password and shows it once to hand to the user.</para>
    /// </example>
    /// <example>
    /// <code>Reset-MailboxPassword li.lei@contoso.com -Password (Read-Host -AsSecureString 'New password')</code>
    /// <para>Sets a password typed at the prompt.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Reset, "MailboxPassword", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSCredential))]
    public sealed class ResetMailboxPasswordCommand : MailAdminConnectedCmdlet
    {
        /// <summary>The mailbox (address or alias).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address", "PrimarySmtpAddress")]
        [ArgumentCompleter(typeof(MailboxAddressCompleter))]
        public string Identity { get; set; }

        /// <summary>The new password; omit it to generate one.</summary>
        [Parameter(Position = 1)]
        [SecureStringTransformation]
        public SecureString Password { get; set; }

        /// <summary>The user must change the password at the next sign-in (Exmail; providers that cannot enforce it refuse).</summary>
        [Parameter]
        public SwitchParameter ForcePasswordChange { get; set; }

        protected override void ProcessItem()
        {
            var store = Require<IMailboxPasswordStore>("password changes");
            if (!ShouldProcess(Identity, "Reset mailbox password")) return;
            var secret = Password != null ? ToSecret(Password) : Passwords.Generate();
            Await(store.SetPasswordAsync(Identity, secret, ForcePasswordChange, StopToken));
            if (Password != null) return;
            // The credential names the mailbox's primary address, also when an alias was given.
            var user = Provider is IMailboxStore mailboxes ? Await(mailboxes.GetMailboxAsync(Identity, StopToken)).Address : MailNames.NormalizeAddress(Identity);
            WriteObject(new PSCredential(user, ToSecureString(secret)));
        }
    }
}
