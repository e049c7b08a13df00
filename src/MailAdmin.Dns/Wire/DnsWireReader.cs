using System;
using System.Buffers.Binary;
using System.Text;

namespace MailAdmin.Dns.Wire
{
    /// <summary>Reads a DNS message (RFC 1035 4.1): integers in network order and names with compression pointers.
    /// Anything that runs past the message, loops or exceeds 255 bytes is a FormatException.</summary>
    internal ref struct DnsWireReader
    {
        private readonly ReadOnlySpan<byte> _message;

        public DnsWireReader(ReadOnlySpan<byte> message, int index)
        {
            _message = message;
            Index = index;
        }

        public int Index { get; set; }

        public byte ReadByte()
        {
            Need(1);
            return _message[Index++];
        }

        public ushort ReadUInt16()
        {
            Need(2);
            var v = BinaryPrimitives.ReadUInt16BigEndian(_message.Slice(Index));
            Index += 2;
            return v;
        }

        public uint ReadUInt32()
        {
            Need(4);
            var v = BinaryPrimitives.ReadUInt32BigEndian(_message.Slice(Index));
            Index += 4;
            return v;
        }

        public ReadOnlySpan<byte> ReadBytes(int count)
        {
            Need(count);
            var s = _message.Slice(Index, count);
            Index += count;
            return s;
        }

        /// <summary>A name in presentation form without the trailing dot ("" for the root); bytes outside printable ASCII,
        /// and '.' or '\' inside a label, are escaped as RFC 1035 5.1 does (\DDD, \.).</summary>
        public string ReadName()
        {
            var sb = new StringBuilder(64);
            var at = Index;
            var jumped = false;
            var length = 0;
            for (var hops = 0; ; hops++)
            {
                if (hops > 127)
                {
                    throw new FormatException("a name in the DNS answer has too many labels or loops");
                }

                if (at >= _message.Length)
                {
                    throw new FormatException("a name in the DNS answer runs past the message");
                }

                var len = _message[at];
                if ((len & 0xC0) == 0xC0)
                {
                    if (at + 1 >= _message.Length)
                    {
                        throw new FormatException("a compression pointer in the DNS answer runs past the message");
                    }

                    var target = ((len & 0x3F) << 8) | _message[at + 1];
                    if (!jumped)
                    {
                        Index = at + 2;
                        jumped = true;
                    }

                    if (target >= at)
                    {
                        throw new FormatException("a compression pointer in the DNS answer points forward");
                    }

                    at = target;
                    continue;
                }
                if ((len & 0xC0) != 0)
                {
                    throw new FormatException("a label in the DNS answer has an unknown type");
                }

                if (len == 0)
                {
                    if (!jumped)
                    {
                        Index = at + 1;
                    }

                    return sb.ToString();
                }
                length += len + 1;
                if (length + 1 > 255 || at + 1 + len > _message.Length)
                {
                    throw new FormatException("a name in the DNS answer is longer than 255 bytes or runs past the message");
                }

                if (sb.Length > 0)
                {
                    sb.Append('.');
                }

                AppendLabel(sb, _message.Slice(at + 1, len));
                at += 1 + len;
            }
        }

        /// <summary>A character-string (RFC 1035 3.3): a length byte and that many bytes.</summary>
        public ReadOnlySpan<byte> ReadCharacterString() => ReadBytes(ReadByte());

        private static void AppendLabel(StringBuilder sb, ReadOnlySpan<byte> label)
        {
            foreach (var b in label)
            {
                if (b == (byte)'.' || b == (byte)'\\')
                {
                    sb.Append('\\').Append((char)b);
                }
                else if (b > 32 && b < 127)
                {
                    sb.Append((char)b);
                }
                else
                {
                    sb.Append('\\').Append(((int)b).ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        private void Need(int count)
        {
            if (count < 0 || Index + count > _message.Length)
            {
                throw new FormatException("a record in the DNS answer runs past the message");
            }
        }
    }
}
