using System;

namespace MailAdmin.Errors
{
    /// <summary>What went wrong, independent of PowerShell; the cmdlet layer maps it to an ErrorCategory.</summary>
    public enum MailErrorKind
    {
        InvalidArgument,
        ObjectNotFound,
        ResourceExists,
        PermissionDenied,
        AuthenticationError,
        LimitsExceeded,
        OperationTimeout,
        NotSupported,
        ResourceBusy,
        ConnectionError,
        InvalidOperation,
    }
}
