namespace MailAdmin.Dns.Wire
{
    /// <summary>How a query ended: NoError, NxDomain or ServerFailure with the answer, or Timeout (or a malformed answer,
    /// as ServerFailure) without one.</summary>
    internal readonly struct DnsExchange
    {
        public DnsExchange(DnsStatus status, DnsWireResponse response)
        {
            Status = status;
            Response = response;
        }

        public DnsStatus Status { get; }

        public DnsWireResponse Response { get; }
    }
}
