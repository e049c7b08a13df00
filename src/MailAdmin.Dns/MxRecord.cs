using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Dns
{
    /// <summary>One MX record.</summary>
    public sealed class MxRecord
    {
        public MxRecord(int preference, string exchange)
        {
            Preference = preference;
            Exchange = exchange;
        }
        public int Preference { get; }
        public string Exchange { get; }
        public override string ToString() => $"{Preference} {Exchange}";
    }
}
