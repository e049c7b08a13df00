using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MailAdmin.Dns.Wire
{
    /// <summary>Builds a query (RFC 1035 4.1): one question, recursion desired, and an EDNS OPT record (RFC 6891) that
    /// offers 1,232-byte answers and sets DO, so a validating resolver reports AD (RFC 4035 3.2.1).</summary>
    internal static class DnsWireQuery
    {
        /// <summary>The UDP answer size offered: the size DNS Flag Day 2020 settled on, below common path MTUs.</summary>
        public const int UdpPayloadSize = 1232;

        private static readonly IdnMapping Idn = new IdnMapping { AllowUnassigned = true, UseStd3AsciiRules = false };

        /// <summary>The query bytes; the ID (bytes 0-1) is left 0 for the transport to set. A name that cannot be sent
        /// (an empty or over-long label, over 255 bytes, or Unicode that is not a valid IDN) is an ArgumentException.</summary>
        public static byte[] Build(string name, DnsRecordType type)
        {
            var ascii = ToAscii(name);
            var qname = EncodeName(ascii);
            var message = new byte[12 + qname.Length + 4 + 11];
            message[2] = 0x01;                                    // RD
            message[5] = 1;                                       // QDCOUNT
            message[11] = 1;                                      // ARCOUNT: the OPT record
            qname.CopyTo(message, 12);
            var at = 12 + qname.Length;
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at), (ushort)type);
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at + 2), 1);   // class IN
            at += 4;
            // OPT: root name, type 41, class = payload size, TTL = extended rcode 0, version 0, DO flag; no options
            message[at] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at + 1), (ushort)DnsRecordType.OPT);
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at + 3), UdpPayloadSize);
            message[at + 7] = 0x80;                               // DO
            return message;
        }

        /// <summary>The name as sent: without the trailing dot, Unicode labels as their IDNA A-labels.</summary>
        public static string ToAscii(string name)
        {
            if (name == null)
            {
                throw new ArgumentNullException(nameof(name));
            }

            var n = name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
            foreach (var c in n)
            {
                if (c > 127)
                {
                    return Idn.GetAscii(n);
                }
            }
            return n;
        }

        private static byte[] EncodeName(string ascii)
        {
            var bytes = new byte[ascii.Length + 2];
            var at = 0;
            if (ascii.Length > 0)
            {
                foreach (var label in ascii.Split('.'))
                {
                    var b = Encoding.ASCII.GetBytes(label);
                    if (b.Length == 0 || b.Length > 63)
                    {
                        throw new ArgumentException($"'{ascii}' has a label of {b.Length} bytes; DNS takes 1 to 63 (RFC 1035 2.3.4).", nameof(ascii));
                    }

                    bytes[at++] = (byte)b.Length;
                    b.CopyTo(bytes, at);
                    at += b.Length;
                }
            }
            bytes[at++] = 0;
            if (at > 255)
            {
                throw new ArgumentException($"'{ascii}' is longer than the 255 bytes DNS takes (RFC 1035 2.3.4).", nameof(ascii));
            }

            return bytes.AsSpan(0, at).ToArray();
        }
    }
}
