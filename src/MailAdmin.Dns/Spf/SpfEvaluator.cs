using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Dns.Spf
{
    /// <summary>RFC 7208 check_host(): evaluates a sender's IP, MAIL FROM and HELO against the SPF policy in DNS.</summary>
    public sealed class SpfEvaluator
    {
        private readonly IDnsResolver _dns;
        public SpfEvaluator(IDnsResolver dns)
        {
            _dns = dns;
        }

        /// <summary>The limit of terms that cost DNS lookups (RFC 7208 4.6.4).</summary>
        public int MaxDnsLookups { get; set; } = 10;
        /// <summary>The limit of lookups that find nothing (RFC 7208 4.6.4, "SHOULD" 2).</summary>
        public int MaxVoidLookups { get; set; } = 2;
        /// <summary>The limit of names an mx mechanism may look up, and of PTR names a ptr check uses (RFC 7208 4.6.4).</summary>
        public int MaxNamesPerMechanism { get; set; } = 10;
        public string ReceiverDomain { get; set; } = "unknown";

        private sealed class Abort : Exception
        {
            public Abort(SpfResult result, string reason) : base(reason)
            {
                Result = result;
            }
            public SpfResult Result { get; }
        }

        private sealed class State
        {
            public int Lookups;
            public int Voids;
            public IPAddress Ip;
            public string Sender, LocalPart, SenderDomain, Helo;
            public CancellationToken Ct;
        }

        /// <summary>Evaluates MAIL FROM (or, when it is empty, postmaster@HELO) for the client IP (RFC 7208 2.4, 4).</summary>
        public async Task<SpfEvaluation> CheckHostAsync(IPAddress ip, string mailFrom, string helo, CancellationToken ct = default)
        {
            if (ip == null)
            {
                throw new ArgumentNullException(nameof(ip));
            }

            if (ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.IsIPv4MappedToIPv6)
            {
                ip = ip.MapToIPv4();
            }

            var sender = string.IsNullOrEmpty(mailFrom) ? "postmaster@" + (helo ?? "") : mailFrom;
            var at = sender.LastIndexOf('@');
            var local = at > 0 ? sender.Substring(0, at) : "postmaster";
            var domain = at >= 0 ? sender.Substring(at + 1) : sender;
            if (at <= 0)
            {
                sender = "postmaster@" + domain;
            }

            var st = new State { Ip = ip, Sender = sender, LocalPart = local, SenderDomain = domain, Helo = helo, Ct = ct };
            var eval = new SpfEvaluation { Domain = domain };
            if (!IsValidDomain(domain))
            {
                eval.Result = SpfResult.None;
                eval.Reason = $"'{domain}' is not a fully qualified domain name, so there is no policy to check (RFC 7208 4.3).";
                return eval;
            }
            try
            {
                var r = await CheckHost(domain, st, top: true).ConfigureAwait(false);
                eval.Result = r.result;
                eval.Domain = r.domain;
                eval.MatchedTerm = r.term;
                eval.Explanation = r.explanation;
                eval.Reason = r.reason;
            }
            catch (Abort a)
            {
                eval.Result = a.Result;
                eval.Reason = a.Message;
            }
            eval.DnsLookups = st.Lookups;
            eval.VoidLookups = st.Voids;
            return eval;
        }

        /// <summary>A name DNS can be asked for: labels 1-63 characters, at least two labels, 253 characters at most, no literal.</summary>
        internal static bool IsValidDomain(string d)
        {
            if (string.IsNullOrEmpty(d) || d.Length > 253 || d.StartsWith("[", StringComparison.Ordinal))
            {
                return false;
            }

            if (d.EndsWith(".", StringComparison.Ordinal))
            {
                d = d.Substring(0, d.Length - 1);
            }

            var labels = d.Split('.');
            if (labels.Length < 2)
            {
                return false;
            }

            foreach (var l in labels)
            {
                if (l.Length == 0 || l.Length > 63)
                {
                    return false;
                }
            }

            return true;
        }

        private async Task<(SpfResult result, string domain, string term, string explanation, string reason)> CheckHost(string domain, State st, bool top)
        {
            st.Ct.ThrowIfCancellationRequested();
            if (!IsValidDomain(domain))
            {
                return (SpfResult.None, domain, null, null, $"'{domain}' is not a valid domain name (RFC 7208 4.3).");
            }

            var txt = await _dns.TxtAsync(domain, st.Ct).ConfigureAwait(false);
            if (txt.IsError)
            {
                throw new Abort(SpfResult.TempError, $"The TXT lookup for '{domain}' failed ({txt.Status}) (RFC 7208 4.4).");
            }

            var records = txt.Records.Where(SpfRecord.IsSpf1).ToList();
            if (records.Count == 0)
            {
                return (SpfResult.None, domain, null, null, $"'{domain}' publishes no SPF record (RFC 7208 4.5).");
            }

            if (records.Count > 1)
            {
                throw new Abort(SpfResult.PermError, $"'{domain}' publishes {records.Count} SPF records; there must be exactly one (RFC 7208 4.5).");
            }

            SpfRecord record;
            try
            {
                record = SpfRecord.Parse(records[0]);
            }
            catch (SpfSyntaxException e)
            {
                throw new Abort(SpfResult.PermError, $"The SPF record of '{domain}' is invalid: {e.Message}");
            }

            var ctx = Context(st, domain);
            foreach (var term in record.Terms)
            {
                if (term.IsModifier)
                {
                    continue;
                }

                if (term.CountsLookup)
                {
                    Count(st, term);
                }

                if (!await Matches(term, domain, ctx, st).ConfigureAwait(false))
                {
                    continue;
                }

                var result = FromQualifier(term.Qualifier);
                string explanation = null;
                if (result == SpfResult.Fail && record.Exp != null)
                {
                    explanation = await Explain(record.Exp, ctx, st).ConfigureAwait(false);
                }

                return (result, domain, term.Text, explanation, $"'{term.Text}' in the SPF record of '{domain}' matched {st.Ip}.");
            }
            if (record.Redirect != null)
            {
                Count(st, record.Redirect);
                var target = await ExpandDomain(record.Redirect.DomainSpec, ctx, st).ConfigureAwait(false);
                var r = await CheckHost(target, st, top).ConfigureAwait(false);
                if (r.result == SpfResult.None)
                {
                    throw new Abort(
                        SpfResult.PermError,
                        $"'{record.Redirect.Text}' in the SPF record of '{domain}' points to '{target}', which has no SPF record (RFC 7208 6.1).");
                }

                return r;
            }
            return (SpfResult.Neutral, domain, null, null, $"No term in the SPF record of '{domain}' matched {st.Ip}; the default is neutral (RFC 7208 4.7).");
        }

        private void Count(State st, SpfTerm term)
        {
            if (++st.Lookups > MaxDnsLookups)
            {
                throw new Abort(SpfResult.PermError, $"More than {MaxDnsLookups} terms that cost DNS lookups (at '{term.Text}') (RFC 7208 4.6.4).");
            }
        }

        private void Void(State st, string what)
        {
            if (++st.Voids > MaxVoidLookups)
            {
                throw new Abort(SpfResult.PermError, $"More than {MaxVoidLookups} lookups found nothing (the last: {what}) (RFC 7208 4.6.4).");
            }
        }

        private SpfMacroContext Context(State st, string domain) => new SpfMacroContext
        {
            Sender = st.Sender,
            LocalPart = st.LocalPart,
            SenderDomain = st.SenderDomain,
            Domain = domain,
            Ip = st.Ip,
            Helo = st.Helo,
            ReceiverDomain = ReceiverDomain,
        };

        private async Task<string> ExpandDomain(string spec, SpfMacroContext ctx, State st)
        {
            if (SpfMacro.UsesValidatedName(spec) && ctx.ValidatedName == null)
            {
                ctx.ValidatedName = await ValidatedName(ctx.Domain, st).ConfigureAwait(false);
            }

            return SpfMacro.ExpandDomain(spec, ctx);
        }

        private static SpfResult FromQualifier(char q)
        {
            switch (q)
            {
                case '-': return SpfResult.Fail;
                case '~': return SpfResult.SoftFail;
                case '?': return SpfResult.Neutral;
                default: return SpfResult.Pass;
            }
        }

        private bool IsV6(State st) => st.Ip.AddressFamily == AddressFamily.InterNetworkV6;

        private async Task<bool> Matches(SpfTerm term, string domain, SpfMacroContext ctx, State st)
        {
            switch (term.Kind)
            {
                case SpfTermKind.All:
                    return true;
                case SpfTermKind.Ip4:
                    return !IsV6(st) && InNetwork(st.Ip, term.Network, term.Cidr4 ?? 32);
                case SpfTermKind.Ip6:
                    return IsV6(st) && InNetwork(st.Ip, term.Network, term.Cidr6 ?? 128);
                case SpfTermKind.Include:
                    {
                        var target = await ExpandDomain(term.DomainSpec, ctx, st).ConfigureAwait(false);
                        var r = await CheckHost(target, st, top: false).ConfigureAwait(false);
                        switch (r.result)
                        {
                            case SpfResult.Pass: return true;
                            case SpfResult.Fail:
                            case SpfResult.SoftFail:
                            case SpfResult.Neutral: return false;
                            case SpfResult.TempError: throw new Abort(SpfResult.TempError, r.reason);
                            case SpfResult.None:
                                throw new Abort(
                                SpfResult.PermError,
                                $"'{term.Text}' includes '{target}', which has no SPF record (RFC 7208 5.2).");
                            default: throw new Abort(SpfResult.PermError, r.reason);
                        }
                    }
                case SpfTermKind.A:
                    {
                        var target = term.DomainSpec == null ? domain : await ExpandDomain(term.DomainSpec, ctx, st).ConfigureAwait(false);
                        var addresses = await Addresses(target, IsV6(st), st, term).ConfigureAwait(false);
                        return addresses.Any(a => InNetwork(st.Ip, a, IsV6(st) ? term.Cidr6 ?? 128 : term.Cidr4 ?? 32));
                    }
                case SpfTermKind.Mx:
                    {
                        var target = term.DomainSpec == null ? domain : await ExpandDomain(term.DomainSpec, ctx, st).ConfigureAwait(false);
                        if (!IsValidDomain(target))
                        {
                            Void(st, $"mx:{target}");
                            return false;
                        }
                        var mx = await _dns.MxAsync(target, st.Ct).ConfigureAwait(false);
                        if (mx.IsError)
                        {
                            throw new Abort(SpfResult.TempError, $"The MX lookup for '{target}' in '{term.Text}' failed ({mx.Status}).");
                        }

                        if (mx.IsVoid)
                        {
                            Void(st, $"MX {target}");
                            return false;
                        }
                        if (mx.Records.Count > MaxNamesPerMechanism)
                        {
                            throw new Abort(
                                SpfResult.PermError,
                                $"'{term.Text}': '{target}' has {mx.Records.Count} MX records; an mx mechanism may look up at most {MaxNamesPerMechanism} "
                                + "(RFC 7208 4.6.4).");
                        }

                        foreach (var rec in mx.Records)
                        {
                            if (string.IsNullOrEmpty(rec.Exchange) || rec.Exchange == ".")
                            {
                                continue;
                            }

                            var a = await _dns.AddressAsync(rec.Exchange.TrimEnd('.'), IsV6(st), st.Ct).ConfigureAwait(false);
                            if (a.IsError)
                            {
                                throw new Abort(SpfResult.TempError, $"The address lookup for MX host '{rec.Exchange}' failed ({a.Status}).");
                            }

                            if (a.Records.Any(x => InNetwork(st.Ip, x, IsV6(st) ? term.Cidr6 ?? 128 : term.Cidr4 ?? 32)))
                            {
                                return true;
                            }
                        }
                        return false;
                    }
                case SpfTermKind.Ptr:
                    {
                        var target = term.DomainSpec == null ? domain : await ExpandDomain(term.DomainSpec, ctx, st).ConfigureAwait(false);
                        foreach (var name in await ValidatedNames(st).ConfigureAwait(false))
                        {
                            if (IsSameOrSub(name, target))
                            {
                                return true;
                            }
                        }

                        return false;
                    }
                case SpfTermKind.Exists:
                    {
                        var target = await ExpandDomain(term.DomainSpec, ctx, st).ConfigureAwait(false);
                        if (!IsValidDomain(target))
                        {
                            Void(st, $"exists:{target}");
                            return false;
                        }
                        var a = await _dns.AddressAsync(target, false, st.Ct).ConfigureAwait(false);
                        if (a.IsError)
                        {
                            throw new Abort(SpfResult.TempError, $"The A lookup for '{target}' in '{term.Text}' failed ({a.Status}).");
                        }

                        if (a.IsVoid)
                        {
                            Void(st, $"A {target}");
                            return false;
                        }
                        return true;
                    }
                default:
                    return false;
            }
        }

        private async Task<IReadOnlyList<IPAddress>> Addresses(string target, bool v6, State st, SpfTerm term)
        {
            if (!IsValidDomain(target))
            {
                Void(st, $"{term.Text} -> {target}");
                return new IPAddress[0];
            }
            var a = await _dns.AddressAsync(target, v6, st.Ct).ConfigureAwait(false);
            if (a.IsError)
            {
                throw new Abort(SpfResult.TempError, $"The {(v6 ? "AAAA" : "A")} lookup for '{target}' in '{term.Text}' failed ({a.Status}).");
            }

            if (a.IsVoid)
            {
                Void(st, $"{(v6 ? "AAAA" : "A")} {target}");
            }

            return a.Records;
        }

        /// <summary>PTR names of the IP whose forward lookup gives the IP back (RFC 7208 5.5); DNS errors mean no names.</summary>
        private async Task<List<string>> ValidatedNames(State st)
        {
            var list = new List<string>();
            var ptr = await _dns.PtrAsync(st.Ip, st.Ct).ConfigureAwait(false);
            if (ptr.IsError)
            {
                return list;
            }

            if (ptr.IsVoid)
            {
                Void(st, $"PTR {st.Ip}");
                return list;
            }
            foreach (var name in ptr.Records.Take(MaxNamesPerMechanism))
            {
                var n = name.TrimEnd('.');
                if (!IsValidDomain(n))
                {
                    continue;
                }

                var a = await _dns.AddressAsync(n, IsV6(st), st.Ct).ConfigureAwait(false);
                if (a.IsError)
                {
                    continue;
                }

                if (a.Records.Any(x => x.Equals(st.Ip)))
                {
                    list.Add(n);
                }
            }
            return list;
        }

        private async Task<string> ValidatedName(string domain, State st)
        {
            List<string> names;
            try
            {
                names = await ValidatedNames(st).ConfigureAwait(false);
            }
            catch (Abort)
            {
                return "unknown";
            }
            return names.FirstOrDefault(n => string.Equals(n, domain, StringComparison.OrdinalIgnoreCase))
                ?? names.FirstOrDefault(n => IsSameOrSub(n, domain))
                ?? names.FirstOrDefault()
                ?? "unknown";
        }

        private static bool IsSameOrSub(string name, string domain)
        {
            name = name.TrimEnd('.');
            domain = domain.TrimEnd('.');
            return string.Equals(name, domain, StringComparison.OrdinalIgnoreCase)
                || name.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
        }

        private async Task<string> Explain(SpfTerm exp, SpfMacroContext ctx, State st)
        {
            try
            {
                var target = await ExpandDomain(exp.DomainSpec, ctx, st).ConfigureAwait(false);
                if (!IsValidDomain(target))
                {
                    return null;
                }

                var txt = await _dns.TxtAsync(target, st.Ct).ConfigureAwait(false);
                if (txt.IsError || txt.Records.Count != 1)
                {
                    return null;
                }

                var text = txt.Records[0];
                foreach (var c in text)
                {
                    if (c < 0x20 || c > 0x7E)
                    {
                        return null;
                    }
                }

                SpfMacro.Validate(text, 0, allowExpLetters: true);
                if (SpfMacro.UsesValidatedName(text) && ctx.ValidatedName == null)
                {
                    ctx.ValidatedName = await ValidatedName(ctx.Domain, st).ConfigureAwait(false);
                }

                return SpfMacro.Expand(text, ctx, isExp: true);
            }
            catch (SpfSyntaxException)
            {
                return null;
            }
            catch (Abort)
            {
                return null;
            }
        }

        internal static bool InNetwork(IPAddress ip, IPAddress network, int prefix)
        {
            if (ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.IsIPv4MappedToIPv6)
            {
                ip = ip.MapToIPv4();
            }

            if (network.AddressFamily == AddressFamily.InterNetworkV6 && network.IsIPv4MappedToIPv6 && ip.AddressFamily == AddressFamily.InterNetwork)
            {
                network = network.MapToIPv4();
            }

            if (ip.AddressFamily != network.AddressFamily)
            {
                return false;
            }

            var a = ip.GetAddressBytes();
            var b = network.GetAddressBytes();
            var full = prefix / 8;
            var rem = prefix % 8;
            for (var i = 0; i < full; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            if (rem == 0)
            {
                return true;
            }

            var mask = (byte)(0xFF << (8 - rem));
            return (a[full] & mask) == (b[full] & mask);
        }
    }
}
