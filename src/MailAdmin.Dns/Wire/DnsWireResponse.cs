using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;

namespace MailAdmin.Dns.Wire
{
    /// <summary>A parsed answer (RFC 1035 4.1): header flags, the question it answers, the answer section, and the
    /// Extended DNS Error (RFC 8914) of its OPT record. Authority and additional records are skipped.</summary>
    internal sealed class DnsWireResponse
    {
        private DnsWireResponse()
        {
        }

        public ushort Id { get; private set; }

        /// <summary>RCODE (RFC 1035 4.1.1): 0 NoError, 2 ServFail, 3 NXDomain, ...</summary>
        public int ResponseCode { get; private set; }

        public bool Truncated { get; private set; }

        /// <summary>AD (RFC 4035 3.2.3): the resolver validated the answer with DNSSEC.</summary>
        public bool Authenticated { get; private set; }

        public string QuestionName { get; private set; }

        public DnsRecordType QuestionType { get; private set; }

        public IReadOnlyList<DnsWireRecord> Answers { get; private set; }

        public bool Signed { get; private set; }

        public string ExtendedError { get; private set; }

        /// <summary>The ID of a message, or -1 when it is too short to be one.</summary>
        public static int PeekId(ReadOnlySpan<byte> message)
            => message.Length < 12 ? -1 : BinaryPrimitives.ReadUInt16BigEndian(message);

        /// <summary>Parses a response; a query, or bytes that are not a whole message, is a FormatException.</summary>
        public static DnsWireResponse Parse(ReadOnlySpan<byte> message)
        {
            if (message.Length < 12)
            {
                throw new FormatException("the DNS answer is shorter than its 12-byte header");
            }

            if ((message[2] & 0x80) == 0)
            {
                throw new FormatException("the DNS message is a query, not an answer");
            }

            var r = new DnsWireResponse
            {
                Id = BinaryPrimitives.ReadUInt16BigEndian(message),
                Truncated = (message[2] & 0x02) != 0,
                Authenticated = (message[3] & 0x20) != 0,
                ResponseCode = message[3] & 0x0F,
            };
            var qd = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(4));
            var an = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(6));
            var ns = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(8));
            var ar = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(10));
            var reader = new DnsWireReader(message, 12);
            if (qd != 1)
            {
                throw new FormatException($"the DNS answer carries {qd} questions, not the one asked");
            }

            r.QuestionName = reader.ReadName();
            r.QuestionType = (DnsRecordType)reader.ReadUInt16();
            reader.ReadUInt16();
            var answers = new List<DnsWireRecord>(an);
            for (var i = 0; i < an + ns + ar; i++)
            {
                var owner = reader.ReadName();
                var type = (DnsRecordType)reader.ReadUInt16();
                reader.ReadUInt16();                               // class (OPT: the payload size)
                reader.ReadUInt32();                               // TTL (OPT: extended rcode, version, flags)
                var length = reader.ReadUInt16();
                var end = reader.Index + length;
                if (end > message.Length)
                {
                    throw new FormatException($"a {type} record in the DNS answer runs past the message");
                }

                if (i < an)
                {
                    if (type == DnsRecordType.RRSIG)
                    {
                        r.Signed = true;
                    }
                    else
                    {
                        var rec = ReadData(message, owner, type, reader.Index, length);
                        if (rec != null)
                        {
                            answers.Add(rec);
                        }
                    }
                }
                else if (i >= an + ns && type == DnsRecordType.OPT)
                {
                    r.ExtendedError = ExtendedDnsError(message.Slice(reader.Index, length));
                }
                reader.Index = end;
            }
            r.Answers = answers;
            return r;
        }

        private static DnsWireRecord ReadData(ReadOnlySpan<byte> message, string owner, DnsRecordType type, int at, int length)
        {
            var end = at + length;
            var d = new DnsWireReader(message.Slice(0, end), at);
            string text;
            switch (type)
            {
                case DnsRecordType.A when length == 4:
                    return new DnsWireRecord(owner, type, null, new IPAddress(d.ReadBytes(4)));
                case DnsRecordType.AAAA when length == 16:
                    return new DnsWireRecord(owner, type, null, new IPAddress(d.ReadBytes(16)));
                case DnsRecordType.MX:
                    var preference = d.ReadUInt16();
                    return new DnsWireRecord(owner, type, null, mx: new MxRecord(preference, d.ReadName()));
                case DnsRecordType.NS:
                case DnsRecordType.CNAME:
                case DnsRecordType.PTR:
                    text = d.ReadName();
                    break;
                case DnsRecordType.TXT:
                case DnsRecordType.SPF:
                    // character-strings of one record are joined with no separator (RFC 7208 3.3, RFC 8460 3); the bytes
                    // are joined first, so a UTF-8 character split across two strings stays whole
                    var joined = new byte[length];
                    var used = 0;
                    while (d.Index < end)
                    {
                        var part = d.ReadCharacterString();
                        part.CopyTo(joined.AsSpan(used));
                        used += part.Length;
                    }

                    text = Encoding.UTF8.GetString(joined, 0, used);
                    break;
                case DnsRecordType.SRV:
                    var priority = d.ReadUInt16();
                    var weight = d.ReadUInt16();
                    var port = d.ReadUInt16();
                    text = Invariant($"{priority} {weight} {port} {d.ReadName()}");
                    break;
                case DnsRecordType.SOA:
                    var mname = d.ReadName();
                    var rname = d.ReadName();
                    text = Invariant($"{mname}. {rname}. {d.ReadUInt32()} {d.ReadUInt32()} {d.ReadUInt32()} {d.ReadUInt32()} {d.ReadUInt32()}");
                    break;
                case DnsRecordType.DS:
                    var keyTag = d.ReadUInt16();
                    var algorithm = d.ReadByte();
                    var digestType = d.ReadByte();
                    text = Invariant($"{keyTag} {algorithm} {digestType} {Convert.ToHexString(d.ReadBytes(end - d.Index))}");
                    break;
                case DnsRecordType.CAA:
                    var flags = d.ReadByte();
                    var tag = Encoding.ASCII.GetString(d.ReadCharacterString());
                    text = Invariant($"{flags} {tag} \"{Encoding.UTF8.GetString(d.ReadBytes(end - d.Index))}\"");
                    break;
                case DnsRecordType.TLSA:
                    var usage = d.ReadByte();
                    var selector = d.ReadByte();
                    var matching = d.ReadByte();
                    var data = Convert.ToHexString(d.ReadBytes(end - d.Index)).ToLowerInvariant();
                    text = Invariant($"{usage} {selector} {matching} {data}");
                    break;
                default:
                    return null;
            }
            if (d.Index != end)
            {
                throw new FormatException($"the data of a {type} record in the DNS answer does not fill its length");
            }

            return new DnsWireRecord(owner, type, text);
        }

        private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

        private static readonly string[] EdeNames =
        {
            "Other", "Unsupported DNSKEY Algorithm", "Unsupported DS Digest Type", "Stale Answer", "Forged Answer",
            "DNSSEC Indeterminate", "DNSSEC Bogus", "Signature Expired", "Signature Not Yet Valid", "DNSKEY Missing",
            "RRSIGs Missing", "No Zone Key Bit Set", "NSEC Missing", "Cached Error", "Not Ready", "Blocked", "Censored",
            "Filtered", "Prohibited", "Stale NXDOMAIN Answer", "Not Authoritative", "Not Supported", "No Reachable Authority",
            "Network Error", "Invalid Data",
        };

        /// <summary>The Extended DNS Error option (RFC 8914: option code 15, INFO-CODE, EXTRA-TEXT) of an OPT record's data.</summary>
        internal static string ExtendedDnsError(ReadOnlySpan<byte> data)
        {
            for (var i = 0; i + 4 <= data.Length;)
            {
                var code = (data[i] << 8) | data[i + 1];
                var len = (data[i + 2] << 8) | data[i + 3];
                if (i + 4 + len > data.Length)
                {
                    break;
                }

                if (code == 15 && len >= 2)
                {
                    var info = (data[i + 4] << 8) | data[i + 5];
                    var text = len > 2 ? Encoding.UTF8.GetString(data.Slice(i + 6, len - 2)).TrimEnd('\0') : "";
                    var name = info < EdeNames.Length ? EdeNames[info] : "Unknown";
                    return text.Length > 0 ? $"{info} {name}: {text}" : $"{info} {name}";
                }
                i += 4 + len;
            }
            return null;
        }
    }
}
