using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MailAdmin.Dns.Spf
{
    /// <summary>A syntax problem, with the position and the rule broken.</summary>
    public sealed class SpfSyntaxException : Exception
    {
        public SpfSyntaxException(string message, int position, bool repeatedModifier = false)
            : base(message)
        {
            Position = position;
            RepeatedModifier = repeatedModifier;
        }

        public int Position { get; }

        /// <summary>The error is a modifier (redirect, exp) that appears twice (RFC 7208 6).</summary>
        public bool RepeatedModifier { get; }
    }
}
