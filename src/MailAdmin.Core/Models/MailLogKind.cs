using System;

namespace MailAdmin.Models
{
    /// <summary>Which log Get-MailLog reads.</summary>
    public enum MailLogKind
    {
        Mail, Login, Operation, BatchJob, Summary
    }
}
