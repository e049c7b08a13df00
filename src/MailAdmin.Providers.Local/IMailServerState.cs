using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;
using System.Data.Common;
using Newtonsoft.Json;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// What the mail servers hold beside the store, behind one interface: each mailbox's Sieve script, the IMAP ACLs its grants
    /// become, its home (mail, scripts), its sessions and login records. <see cref="DovecotServerState"/> keeps it on the Dovecot
    /// host the module runs on (doveadm and the mail root); a multi-host shape can keep it in the database or apply it through
    /// Dovecot's doveadm HTTP API behind the same calls.
    /// </summary>
    internal interface IMailServerState
    {
        /// <summary>Installs and activates a mailbox's MailAdmin Sieve script; null removes it.</summary>
        void ApplySieve(string mailbox, string script);
        /// <summary>Writes the store's default script (mailboxes without their own).</summary>
        void WriteDefaultSieve(string script);
        /// <summary>Makes the owner's folders carry exactly these trustees' rights.</summary>
        void ApplyAcl(string owner, IReadOnlyDictionary<string, MailAccessRight> trustees);
        /// <summary>Takes back every folder right a mailbox gave (before it is removed, while Dovecot still knows it).</summary>
        void RevokeOwnGrants(string mailbox);
        /// <summary>Moves mail left by an earlier mailbox of this address out of the way before the address is used again.</summary>
        /// <remarks>Called inside the create's write transaction (<paramref name="c"/>, <paramref name="tx"/>): what it reads or
        /// writes in the store goes through them, never through another write (the writer would wait for itself).</remarks>
        void SetAsideOrphan(string address, DbConnection c, DbTransaction tx);
        /// <summary>After the store rows are gone: everything the servers hold for these mailboxes (and the grants they held on the owners').</summary>
        void CleanUpRemoved(IReadOnlyList<string> mailboxes, IReadOnlyList<string> owners, MailRemovalOptions options, string domain = null);
        /// <summary>Finds (and with apply, mends) every difference from the store.</summary>
        IReadOnlyList<MailServerStateChange> Reconcile(bool apply, IProgress<string> progress, CancellationToken ct);
        /// <summary>Ends the mailbox's open IMAP/POP3 sessions (doveadm kick); false when no Dovecot is recorded for the store.</summary>
        bool EndSessions(string mailbox);
    }
}
