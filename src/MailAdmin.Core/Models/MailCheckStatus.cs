using System;
using System.Collections.Generic;
using System.Linq;

namespace MailAdmin.Models
{
    /// <summary>How a check came out. Fail = an RFC MUST broken or mail at risk; Warning = a SHOULD or best practice; Info = worth knowing.</summary>
    public enum MailCheckStatus
    {
        Pass, Info, Warning, Fail
    }
}
