using System;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MailAdmin.Dns.Wire
{
    /// <summary>Unpredictable 16-bit numbers (query IDs, socket picks) from the system's cryptographic generator, drawn 512 bytes
    /// at a time per thread: one call per query cost a few percent of Test-MailDomain's CPU.</summary>
    internal static class RandomBits
    {
        [ThreadStatic]
        private static byte[] _buffer;

        [ThreadStatic]
        private static int _used;

        public static ushort Next16()
        {
            var b = _buffer;
            if (b == null || _used + 2 > b.Length)
            {
                b = _buffer ??= new byte[512];
                RandomNumberGenerator.Fill(b);
                _used = 0;
            }

            var v = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(_used));
            _used += 2;
            return v;
        }
    }
}
