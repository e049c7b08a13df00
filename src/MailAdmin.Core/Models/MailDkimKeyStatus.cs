using System;

namespace MailAdmin.Models
{
    /// <summary>Active: signs mail now. Next: published, signs after Switch-MailDkimKey. Previous: signed until the last switch,
    /// still published so that mail signed with it verifies.</summary>
    public enum MailDkimKeyStatus
    {
        Active, Next, Previous
    }
}
