using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MailAdmin.Dns.Spf
{
    /// <summary>One term of a record: a mechanism with its qualifier, or a modifier.</summary>
    public sealed class SpfTerm
    {
        public SpfTermKind Kind { get; internal set; }
        public bool IsModifier => Kind == SpfTermKind.Redirect || Kind == SpfTermKind.Exp || Kind == SpfTermKind.Unknown;
        public char Qualifier { get; internal set; } = '+';
        /// <summary>The term as written.</summary>
        public string Text { get; internal set; }
        /// <summary>1-based position of the term in the record (in characters, after "v=spf1").</summary>
        public int Position { get; internal set; }
        /// <summary>The domain-spec or macro-string, unexpanded; null when the term has none.</summary>
        public string DomainSpec { get; internal set; }
        public int? Cidr4 { get; internal set; }
        public int? Cidr6 { get; internal set; }
        public IPAddress Network { get; internal set; }
        public string ModifierName { get; internal set; }
        /// <summary>Whether evaluating the term costs a DNS lookup (counts towards the limit of 10).</summary>
        public bool CountsLookup => Kind == SpfTermKind.Include || Kind == SpfTermKind.A || Kind == SpfTermKind.Mx
            || Kind == SpfTermKind.Ptr || Kind == SpfTermKind.Exists || Kind == SpfTermKind.Redirect;
        public override string ToString() => Text;
    }
}
