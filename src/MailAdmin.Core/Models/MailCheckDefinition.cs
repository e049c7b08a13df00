namespace MailAdmin.Models
{
    /// <summary>One entry of the check catalogue.</summary>
    public sealed class MailCheckDefinition
    {
        /// <summary>Makes an entry.</summary>
        public MailCheckDefinition(MailCheckId id, string area, string title, string reference, string fix)
        {
            Id = id;
            Area = area;
            Title = title;
            Reference = reference;
            Fix = fix;
        }

        /// <summary>The check.</summary>
        public MailCheckId Id { get; }

        /// <summary>Zone, MX, SPF, DMARC, DKIM, MTA-STS, TLS-RPT, DANE, BIMI, SMTP, Client or Provider.</summary>
        public string Area { get; }

        /// <summary>What the check is about, e.g. "One SPF record".</summary>
        public string Title { get; }

        /// <summary>The rule it applies, e.g. "RFC 7208 4.5".</summary>
        public string Reference { get; }

        /// <summary>What to do when it does not pass.</summary>
        public string Fix { get; }
    }
}
