using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.DnsHosting;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using Newtonsoft.Json.Linq;

namespace MailAdmin.DnsHosts
{
    /// <summary>
    /// Alibaba Cloud DNS (alidns, 2015-01-09, RPC style; PROVIDERS-ADDENDUM 4.1): POST / with the parameters in the query,
    /// x-acs-action / x-acs-version / x-acs-date / x-acs-signature-nonce / x-acs-content-sha256 headers and an
    /// ACS3-HMAC-SHA256 Authorization. DescribeDomainRecords pages by PageNumber/PageSize (500 at most); AddDomainRecord,
    /// UpdateDomainRecord and DeleteDomainRecord per record (RR "@" for the apex). TXT is sent unquoted ('"' is not an
    /// allowed character) and must be under 512 characters. Errors {RequestId, Code, Message}: DomainRecordDuplicate (already
    /// there), DomainRecordConflict, InvalidDomainName.NoExist / IncorrectDomainUser (zone not in the account),
    /// Throttling(.User) ("Request was denied due to user flow control") retried whatever the HTTP status that comes with it
    /// (unconfirmed: 400 is assumed by the emulator; 429 and 5xx are retried by the pipeline anyway). Client limit: 60
    /// writes/s is the documented quota; 50/s is kept on the client.
    /// </summary>
    public sealed class AliDnsHost : IDnsHost, IRemoteProvider
    {
        public const string HostName = "AliDns";
        public const double DocumentedRequestsPerSecond = 50;
        private static readonly ConditionalWeakTable<RemoteRequest, string> ActionOf = new ConditionalWeakTable<RemoteRequest, string>();

        public AliDnsHost(DnsHostOptions options, HttpMessageHandler handler = null)
        {
            var id = options.Secret("AccessKeyId", HostName);
            var secret = options.Secret("AccessKeySecret", HostName);
            var baseUri = options.ApiBaseUri ?? new Uri("https://alidns.aliyuncs.com/");
            Api = new RemoteApiClient(new Protocol(id.Reveal(), secret), new RemoteApiOptions
            {
                BaseUri = new Uri(baseUri.GetLeftPart(UriPartial.Authority) + "/"),
                RequestsPerSecond = options.RequestsPerSecond > 0 ? options.RequestsPerSecond : DocumentedRequestsPerSecond,
            }, handler);
            Target = baseUri.GetLeftPart(UriPartial.Authority);
        }

        public string Name => HostName;
        public string Target { get; }
        public RemoteApiClient Api { get; }
        public long Requests => Api.Statistics.Requests;

        private static RemoteRequest Call(string action, IDictionary<string, string> query, string operation, string target, bool idempotent = true)
        {
            var r = new RemoteRequest(HttpMethod.Post, "", operation) { TokenKey = "sign", Target = target, Idempotent = idempotent };
            foreach (var kv in query)
            {
                r.Query[kv.Key] = kv.Value;
            }

            ActionOf.Add(r, action);
            return r;
        }

        public async Task<IReadOnlyList<DnsHostRecord>> GetRecordsAsync(string zone, CancellationToken ct)
        {
            zone = DnsPublishPlannerNames.Norm(zone);
            var list = new List<DnsHostRecord>();
            for (var page = 1; ; page++)
            {
                var json = await Api.SendAsync(Call("DescribeDomainRecords", new Dictionary<string, string>
                {
                    ["DomainName"] = zone,
                    ["PageNumber"] = page.ToString(CultureInfo.InvariantCulture),
                    ["PageSize"] = "500",
                }, $"read zone {zone}", zone), ct).ConfigureAwait(false);
                var items = json["DomainRecords"]?["Record"] as JArray ?? new JArray();
                list.AddRange(items.Select(x => FromJson(zone, x)));
                var total = Json.Int(json["TotalCount"]) ?? items.Count;
                if (items.Count == 0 || page * 500 >= total)
                {
                    break;
                }
            }
            return list;
        }

        internal static DnsHostRecord FromJson(string zone, JToken x)
        {
            var type = (Json.Str(x["Type"]) ?? "").ToUpperInvariant();
            var rr = Json.Str(x["RR"]) ?? "@";
            var value = Json.Str(x["Value"]) ?? "";
            int? prio = type == "MX" ? Json.Int(x["Priority"]) : null;
            switch (type)
            {
                case "MX": case "CNAME": case "NS": value = value.TrimEnd('.'); break;
                case "SRV":
                    {
                        var p = value.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                        if (p.Length == 4 && int.TryParse(p[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var sp))
                        {
                            prio = sp;
                            value = $"{p[1]} {p[2]} {p[3].TrimEnd('.')}";
                        }
                        break;
                    }
            }
            return new DnsHostRecord
            {
                Zone = zone,
                Name = rr == "@" ? zone : DnsPublishPlannerNames.Norm(rr + "." + zone),
                Type = type,
                Value = value,
                Priority = prio,
                Ttl = Json.Int(x["TTL"]) ?? 600,
                Id = Json.Str(x["RecordId"]),
                DnsHost = HostName,
                Disabled = string.Equals(Json.Str(x["Status"]), "DISABLE", StringComparison.OrdinalIgnoreCase),
            };
        }

        internal static Dictionary<string, string> ToQuery(string zone, DnsPlanItem c)
        {
            var name = DnsPublishPlannerNames.Norm(c.Name);
            var q = new Dictionary<string, string>
            {
                ["RR"] = name == zone ? "@" : name.Substring(0, name.Length - zone.Length - 1),
                ["Type"] = c.Type,
                ["TTL"] = Math.Max(c.Ttl, 600).ToString(CultureInfo.InvariantCulture),
            };
            switch (c.Type)
            {
                case "MX": q["Value"] = c.Value.TrimEnd('.'); q["Priority"] = (c.Priority ?? 10).ToString(CultureInfo.InvariantCulture); break;
                case "SRV": q["Value"] = $"{c.Priority ?? 0} {c.Value.TrimEnd('.')}"; break;
                case "TXT":
                    if (c.Value.Contains("\""))
                    {
                        throw MailAdminException.Invalid("DnsRecordRefused", $"{c.Name} TXT: Alibaba Cloud DNS does not allow '\"' in a TXT value.", c);
                    }

                    if (c.Value.Length >= 512)
                    {
                        throw MailAdminException.Invalid(
                            "DnsRecordRefused", $"{c.Name} TXT: {c.Value.Length} characters; Alibaba Cloud DNS takes under 512.", c);
                    }

                    q["Value"] = c.Value; break;
                default: q["Value"] = c.Value.TrimEnd('.'); break;
            }
            return q;
        }

        public async Task ApplyAsync(string zone, IReadOnlyList<DnsHostRecord> current, IReadOnlyList<DnsPlanItem> changes, CancellationToken ct)
        {
            zone = DnsPublishPlannerNames.Norm(zone);
            await DnsChangeApplier.ApplyEachAsync(changes,
                c =>
                {
                    var q = ToQuery(zone, c);
                    q["RecordId"] = c.Existing.Id;
                    return Api.SendAsync(Call("UpdateDomainRecord", q, $"update {c.Name} {c.Type}", c.Name), ct);
                },
                c =>
                {
                    var q = ToQuery(zone, c);
                    q["DomainName"] = zone;
                    return Api.SendAsync(Call("AddDomainRecord", q, $"add {c.Name} {c.Type}", c.Name, idempotent: false), ct);
                },
                c =>
                {
                    var q = new Dictionary<string, string> { ["RecordId"] = c.Existing.Id };
                    return Api.SendAsync(Call("DeleteDomainRecord", q, $"remove {c.Name} {c.Type}", c.Name), ct);
                },
                () => GetRecordsAsync(zone, ct), ct).ConfigureAwait(false);
        }

        /// <summary>Alibaba Cloud DNS takes TTLs from 600 s on the free edition (the documented default); 600 is the floor kept here.</summary>
        public int EffectiveTtl(int ttl) => Math.Max(ttl, 600);

        public void Dispose() => Api.Dispose();

        private sealed class Protocol : IRemoteProtocol
        {
            private readonly string _id; private readonly SecretText _secret;
            public Protocol(string id, SecretText secret)
            {
                _id = id;
                _secret = secret;
            }
            public string ProviderName => HostName;

            public Task<(string token, TimeSpan lifetime)> AcquireTokenAsync(RemoteApiClient client, string tokenKey, CancellationToken ct)
                => Task.FromResult(("signed", TimeSpan.FromDays(365)));

            public void Authorize(HttpRequestMessage message, RemoteRequest request, string token)
            {
                var host = message.RequestUri.IsDefaultPort ? message.RequestUri.Host : message.RequestUri.Authority;
                var headers = new Dictionary<string, string>
                {
                    ["host"] = host,
                    ["x-acs-action"] = ActionOf.TryGetValue(request, out var a) ? a : "",
                    ["x-acs-version"] = "2015-01-09",
                    ["x-acs-date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    ["x-acs-signature-nonce"] = Guid.NewGuid().ToString("N"),
                    ["x-acs-content-sha256"] = Acs3Signer.EmptyPayloadHash,
                };
                foreach (var kv in headers)
                {
                    if (kv.Key != "host")
                    {
                        message.Headers.TryAddWithoutValidation(kv.Key, kv.Value);
                    }
                }

                message.Headers.TryAddWithoutValidation(
                    "Authorization", Acs3Signer.Authorization(_id, _secret.Reveal(), "POST", "/", request.Query, headers, Acs3Signer.EmptyPayloadHash));
            }

            public TimeSpan? RetryAfter(HttpResponseMessage response) => RetryAfterHeader.Read(response);

            public RemoteVerdict Classify(RemoteRequest request, int status, JObject body, out MailAdminException error)
            {
                error = null;
                var code = Json.Str(body?["Code"]);
                if (status >= 200 && status < 300 && code == null)
                {
                    return RemoteVerdict.Success;
                }

                code = code ?? $"HTTP{status}";
                var msg = Json.Str(body?["Message"]) ?? "";
                MailErrorKind kind;
                string id;
                if (code.StartsWith("Throttling", StringComparison.Ordinal))
                {
                    error = new MailAdminException(
                        MailErrorKind.ResourceBusy, "RemoteBusy", $"AliDns: {request.Operation}: throttled ({code}).",
                        request.Target) { Provider = HostName, ProviderCode = code, ProviderMessage = msg };
                    return RemoteVerdict.Retry;
                }
                if (code == "SignatureDoesNotMatch" || code.StartsWith("InvalidAccessKeyId", StringComparison.Ordinal) || code == "IncompleteSignature"
                    || code == "SignatureNonceUsed" || code == "InvalidTimeStamp.Expired")
                {
                    kind = MailErrorKind.AuthenticationError;
                    id = "DnsHostAuthenticationFailed";
                }
                else if (code == "DomainRecordDuplicate")
                {
                    kind = MailErrorKind.ResourceExists;
                    id = "DnsRecordExists";
                }
                else if (code == "DomainRecordConflict")
                {
                    kind = MailErrorKind.ResourceExists;
                    id = "DnsCnameConflict";
                }
                else if (code.StartsWith("InvalidDomainName", StringComparison.Ordinal) || code == "IncorrectDomainUser"
                    || code == "DomainRecordNotBelongToUser")
                {
                    kind = MailErrorKind.ObjectNotFound;
                    id = "DnsZoneNotFound";
                }
                else if (code.StartsWith("Forbidden", StringComparison.Ordinal))
                {
                    kind = MailErrorKind.PermissionDenied;
                    id = "DnsRecordLocked";
                }
                else if (code.StartsWith("QuotaExceeded", StringComparison.Ordinal))
                {
                    kind = MailErrorKind.LimitsExceeded;
                    id = "DnsRecordQuotaExceeded";
                }
                else
                {
                    kind = MailErrorKind.InvalidArgument;
                    id = "DnsRecordRefused";
                }
                error = new MailAdminException(
                    kind, id, $"AliDns: {request.Operation}: {msg} ({code}).",
                    request.Target) { Provider = HostName, ProviderCode = code, ProviderMessage = msg };
                return RemoteVerdict.Fail;
            }
        }
    }
}
