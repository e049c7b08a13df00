using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MailAdmin.Dns.Spf
{
    public enum SpfTermKind
    {
        All, Include, A, Mx, Ptr, Ip4, Ip6, Exists, Redirect, Exp, Unknown
    }
}
