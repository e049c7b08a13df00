namespace MailAdmin.Dns.Wire
{
    /// <summary>The record types the checks ask for, with their IANA numbers.</summary>
    internal enum DnsRecordType : ushort
    {
        A = 1,
        NS = 2,
        CNAME = 5,
        SOA = 6,
        PTR = 12,
        MX = 15,
        TXT = 16,
        AAAA = 28,
        SRV = 33,
        OPT = 41,
        DS = 43,
        RRSIG = 46,
        TLSA = 52,
        SPF = 99,
        CAA = 257,
    }
}
