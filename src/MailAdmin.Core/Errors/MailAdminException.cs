using System;

namespace MailAdmin.Errors
{
    /// <summary>A failure with a stable error id, a kind and the value it is about. Messages never carry secrets.</summary>
    public class MailAdminException : Exception
    {
        public MailAdminException(MailErrorKind kind, string errorId, string message, object target = null, Exception inner = null)
            : base(message, inner)
        {
            Kind = kind;
            ErrorId = errorId;
            Target = target;
        }

        public MailErrorKind Kind { get; }
        /// <summary>Stable identifier, e.g. MailboxNotFound; scripts may match on it.</summary>
        public string ErrorId { get; }
        /// <summary>The value the error is about (an address, a domain).</summary>
        public object Target { get; }
        /// <summary>The provider that raised it, when there is one.</summary>
        public string Provider { get; set; }
        /// <summary>A provider's own code and message (e.g. Exmail errcode/errmsg), kept for the ErrorRecord.</summary>
        public string ProviderCode { get; set; }
        public string ProviderMessage { get; set; }

        public static MailAdminException Invalid(string errorId, string message, object target)
            => new MailAdminException(MailErrorKind.InvalidArgument, errorId, message, target);
        public static MailAdminException NotFound(string errorId, string message, object target)
            => new MailAdminException(MailErrorKind.ObjectNotFound, errorId, message, target);
        public static MailAdminException Exists(string errorId, string message, object target)
            => new MailAdminException(MailErrorKind.ResourceExists, errorId, message, target);
    }
}
