using System;

namespace MailAdmin.Models
{
    /// <summary>Which mail a mail log lists.</summary>
    public enum MailDirection
    {
        Both, Sent, Received
    }
}
