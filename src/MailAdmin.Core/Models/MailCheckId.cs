namespace MailAdmin.Models
{
    /// <summary>
    /// The checks Test-MailDomain makes, one value a check. The numbers are those of the catalogue the engine was first
    /// written from and stay stable (scripts filter on them); docs/CHECKS.md, generated from MailCheckCatalogue, lists them.
    /// </summary>
    public enum MailCheckId
    {
        /// <summary>No check (the default of an unset id).</summary>
        None = 0,
        /// <summary>Domain exists (Zone).</summary>
        DomainExists = 1,
        /// <summary>Name server count and form (Zone).</summary>
        NameServers = 2,
        /// <summary>Name server diversity (Zone).</summary>
        NameServerDiversity = 3,
        /// <summary>Delegation consistency (Zone).</summary>
        DelegationConsistency = 4,
        /// <summary>Open recursion or zone transfer (Zone).</summary>
        OpenRecursionOrTransfer = 5,
        /// <summary>SOA fields (Zone).</summary>
        SoaFields = 6,
        /// <summary>DNSSEC of the mail domain (Zone).</summary>
        Dnssec = 7,
        /// <summary>DNSSEC of the MX host zones (MX).</summary>
        MxDnssec = 8,
        /// <summary>Authenticated answers (Zone).</summary>
        AuthenticatedAnswers = 9,
        /// <summary>TTL sanity (Zone).</summary>
        TtlSanity = 10,
        /// <summary>CAA for MX names (Zone).</summary>
        Caa = 11,
        /// <summary>Wildcard leakage (Zone).</summary>
        WildcardLeakage = 12,
        /// <summary>EDNS and TCP (Zone).</summary>
        EdnsAndTcp = 13,
        /// <summary>MX records (MX).</summary>
        MxLookup = 14,
        /// <summary>Null MX (MX).</summary>
        NullMx = 15,
        /// <summary>MX target is a name (MX).</summary>
        MxNotIpLiteral = 16,
        /// <summary>MX target is not an alias (MX).</summary>
        MxNotCname = 17,
        /// <summary>MX target resolves (MX).</summary>
        MxResolves = 18,
        /// <summary>MX addresses are public (MX).</summary>
        MxAddressesRoutable = 19,
        /// <summary>Duplicate MX (MX).</summary>
        DuplicateMx = 20,
        /// <summary>MX redundancy (MX).</summary>
        MxRedundancy = 21,
        /// <summary>Approved MX and NS hosts (Zone).</summary>
        ApprovedHosts = 22,
        /// <summary>Provider records (Provider).</summary>
        ProviderRecords = 23,
        /// <summary>MX over IPv6 (MX).</summary>
        MxIpv6 = 24,
        /// <summary>More than 10 MX names (MX).</summary>
        TooManyMx = 25,
        /// <summary>SPF record (SPF).</summary>
        SpfRecord = 26,
        /// <summary>One SPF record (SPF).</summary>
        SpfMultiple = 27,
        /// <summary>Space after v=spf1 (SPF).</summary>
        SpfVersionSpace = 28,
        /// <summary>SPF resource record type (SPF).</summary>
        SpfType99 = 29,
        /// <summary>Sender ID record (SPF).</summary>
        SenderId = 30,
        /// <summary>Readable SPF text (SPF).</summary>
        SpfUndecodable = 31,
        /// <summary>SPF string and record size (SPF).</summary>
        SpfSize = 32,
        /// <summary>SPF grammar (SPF).</summary>
        SpfGrammar = 33,
        /// <summary>all as its own term (SPF).</summary>
        SpfAllGlued = 34,
        /// <summary>ip4 and ip6 values (SPF).</summary>
        SpfIpValues = 35,
        /// <summary>10 DNS-lookup limit (SPF).</summary>
        SpfLookupLimit = 38,
        /// <summary>mx term fan-out (SPF).</summary>
        SpfMxFanOut = 39,
        /// <summary>Void lookups (SPF).</summary>
        SpfVoidLookups = 40,
        /// <summary>include/redirect target has SPF (SPF).</summary>
        SpfTargetWithoutSpf = 41,
        /// <summary>Include loops and repeats (SPF).</summary>
        SpfLoops = 42,
        /// <summary>a/mx targets resolve (SPF).</summary>
        SpfEmptyTargets = 43,
        /// <summary>ptr mechanism (SPF).</summary>
        SpfPtr = 44,
        /// <summary>all placement (SPF).</summary>
        SpfAllPlacement = 45,
        /// <summary>redirect beside all (SPF).</summary>
        SpfRedirectWithAll = 46,
        /// <summary>Modifier repeated (SPF).</summary>
        SpfModifierRepeated = 47,
        /// <summary>exp modifier (SPF).</summary>
        SpfExplanation = 48,
        /// <summary>SPF policy (SPF).</summary>
        SpfPolicyStrength = 49,
        /// <summary>SPF of a domain that sends no mail (SPF).</summary>
        SpfParkedDomain = 50,
        /// <summary>Terms with macros (SPF).</summary>
        SpfMacroTerms = 51,
        /// <summary>Addresses authorised (SPF).</summary>
        SpfAuthorisedAddresses = 52,
        /// <summary>DMARC record (DMARC).</summary>
        DmarcRecord = 53,
        /// <summary>One DMARC record (DMARC).</summary>
        DmarcMultiple = 54,
        /// <summary>No leading whitespace (DMARC).</summary>
        DmarcLeadingWhitespace = 55,
        /// <summary>Other TXT at _dmarc (DMARC).</summary>
        DmarcUnrelatedTxt = 56,
        /// <summary>DMARC grammar (DMARC).</summary>
        DmarcGrammar = 57,
        /// <summary>p tag (DMARC).</summary>
        DmarcPolicy = 58,
        /// <summary>sp and np tags (DMARC).</summary>
        DmarcSubdomainPolicy = 59,
        /// <summary>DMARC policy strength (DMARC).</summary>
        DmarcPolicyStrength = 60,
        /// <summary>pct tag (DMARC).</summary>
        DmarcPct = 61,
        /// <summary>adkim and aspf (DMARC).</summary>
        DmarcAlignment = 62,
        /// <summary>fo tag (DMARC).</summary>
        DmarcFailureOptions = 63,
        /// <summary>rf and ri tags (DMARC).</summary>
        DmarcReportFormatInterval = 64,
        /// <summary>Unknown or repeated tags (DMARC).</summary>
        DmarcUnknownTags = 65,
        /// <summary>rua and ruf (DMARC).</summary>
        DmarcReportUris = 66,
        /// <summary>Report mailbox takes mail (DMARC).</summary>
        DmarcReportMailboxMx = 67,
        /// <summary>External report authorisation (DMARC).</summary>
        DmarcExternalReports = 68,
        /// <summary>psd tag (DMARC).</summary>
        DmarcPsd = 69,
        /// <summary>DKIM selectors (DKIM).</summary>
        DkimSelectors = 71,
        /// <summary>DKIM key record (DKIM).</summary>
        DkimRecord = 72,
        /// <summary>DKIM v= tag (DKIM).</summary>
        DkimVersion = 73,
        /// <summary>DKIM public key (DKIM).</summary>
        DkimPublicKey = 74,
        /// <summary>DKIM key size and type (DKIM).</summary>
        DkimKeySize = 75,
        /// <summary>DKIM k= tag (DKIM).</summary>
        DkimKeyType = 76,
        /// <summary>DKIM h= tag (DKIM).</summary>
        DkimHashAlgorithms = 77,
        /// <summary>DKIM t= flags (DKIM).</summary>
        DkimFlags = 78,
        /// <summary>DKIM s= tag (DKIM).</summary>
        DkimServiceType = 79,
        /// <summary>Legacy DKIM tags (DKIM).</summary>
        DkimLegacyTags = 80,
        /// <summary>MTA-STS record (MTA-STS).</summary>
        MtaStsRecord = 81,
        /// <summary>MTA-STS record syntax (MTA-STS).</summary>
        MtaStsRecordSyntax = 82,
        /// <summary>MTA-STS policy fetch (MTA-STS).</summary>
        MtaStsPolicyFetch = 83,
        /// <summary>MTA-STS policy syntax (MTA-STS).</summary>
        MtaStsPolicySyntax = 84,
        /// <summary>MTA-STS max_age (MTA-STS).</summary>
        MtaStsMaxAge = 85,
        /// <summary>MTA-STS mode (MTA-STS).</summary>
        MtaStsMode = 86,
        /// <summary>MX covered by the policy (MTA-STS).</summary>
        MtaStsMxCoverage = 87,
        /// <summary>MX TLS under enforce (MTA-STS).</summary>
        MtaStsMxTls = 88,
        /// <summary>TLS-RPT beside MTA-STS or DANE (TLS-RPT).</summary>
        TlsRptCompanion = 89,
        /// <summary>TLS-RPT record (TLS-RPT).</summary>
        TlsRptRecord = 90,
        /// <summary>TLS-RPT rua (TLS-RPT).</summary>
        TlsRptRua = 91,
        /// <summary>TLSA records (DANE).</summary>
        DaneTlsa = 92,
        /// <summary>Denial of TLSA (DANE).</summary>
        DaneDenialOfExistence = 93,
        /// <summary>TLSA fields (DANE).</summary>
        DaneFields = 94,
        /// <summary>TLSA usage (DANE).</summary>
        DaneUsage = 95,
        /// <summary>TLSA matches the certificate (DANE).</summary>
        DaneMatchesCertificate = 96,
        /// <summary>TLSA rollover (DANE).</summary>
        DaneRollover = 97,
        /// <summary>BIMI record (BIMI).</summary>
        BimiRecord = 98,
        /// <summary>DMARC for BIMI (BIMI).</summary>
        BimiDmarcPrerequisite = 99,
        /// <summary>BIMI logo (BIMI).</summary>
        BimiSvg = 100,
        /// <summary>BIMI mark certificate (BIMI).</summary>
        BimiMarkCertificate = 101,
        /// <summary>Port 25 reachable (SMTP).</summary>
        SmtpReachable = 102,
        /// <summary>SMTP greeting (SMTP).</summary>
        SmtpGreeting = 103,
        /// <summary>SMTP timing (SMTP).</summary>
        SmtpTiming = 104,
        /// <summary>EHLO (SMTP).</summary>
        SmtpEhlo = 105,
        /// <summary>STARTTLS (SMTP).</summary>
        SmtpStartTls = 106,
        /// <summary>TLS versions (SMTP).</summary>
        TlsVersions = 107,
        /// <summary>Cipher suites (SMTP).</summary>
        TlsCipherSuites = 108,
        /// <summary>Key exchange (SMTP).</summary>
        TlsKeyExchange = 109,
        /// <summary>Certificate (SMTP).</summary>
        TlsCertificate = 110,
        /// <summary>TLS hygiene (SMTP).</summary>
        TlsHygiene = 111,
        /// <summary>Open relay (SMTP).</summary>
        OpenRelay = 112,
        /// <summary>postmaster and abuse (SMTP).</summary>
        RoleMailboxes = 113,
        /// <summary>AUTH before STARTTLS (SMTP).</summary>
        SmtpAuthBeforeTls = 114,
        /// <summary>Reverse DNS of MX addresses (MX).</summary>
        MxPtr = 115,
        /// <summary>Forward-confirmed reverse DNS (MX).</summary>
        MxForwardConfirmedPtr = 116,
        /// <summary>Client ports (Client).</summary>
        ClientPorts = 117,
        /// <summary>Autodiscover and autoconfig (Client).</summary>
        Autodiscover = 121,
        /// <summary>Client SRV records (Client).</summary>
        ClientSrv = 122,
        /// <summary>Dangling aliases (Client).</summary>
        DanglingCname = 123,
        /// <summary>Propagation (Zone).</summary>
        Propagation = 124,
        /// <summary>SPF for a sender (SPF).</summary>
        SpfSenderEvaluation = 125,
        /// <summary>DMARC of a domain that takes no mail (DMARC).</summary>
        DmarcParkedDomain = 126,
        /// <summary>Certificate trust (SMTP).</summary>
        TlsCertificateTrust = 127,
    }
}
