using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MailAdmin.Dns.Spf
{
    /// <summary>The outcome of check_host() (RFC 7208 2.6).</summary>
    public enum SpfResult
    {
        None, Neutral, Pass, Fail, SoftFail, TempError, PermError
    }
}
