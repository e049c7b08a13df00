using System.Net;

namespace MailAdmin.Dns.Wire
{
    /// <summary>One record of an answer: its owner name, type, and data (an address, an MX, or the data as text).</summary>
    internal sealed class DnsWireRecord
    {
        public DnsWireRecord(string owner, DnsRecordType type, string text, IPAddress address = null, MxRecord mx = null)
        {
            Owner = owner;
            Type = type;
            Text = text;
            Address = address;
            Mx = mx;
        }

        public string Owner { get; }

        public DnsRecordType Type { get; }

        /// <summary>The data in the form IDnsResolver gives it (see its members); null for A, AAAA and MX.</summary>
        public string Text { get; }

        public IPAddress Address { get; }

        public MxRecord Mx { get; }
    }
}
