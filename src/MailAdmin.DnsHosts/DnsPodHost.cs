using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.DnsHosting;
using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Remote;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MailAdmin.DnsHosts
{
    /// <summary>
    /// Tencent Cloud DNSPod API 3.0, version 2021-03-23 (PROVIDERS-ADDENDUM 4.2): POST JSON to "/" with X-TC-Action,
    /// X-TC-Version, X-TC-Timestamp and a TC3-HMAC-SHA256 Authorization; answers {Response:{..., Error:{Code, Message},
    /// RequestId}}. DescribeRecordList pages with Offset/Limit (3,000 at most); an empty zone answers the error
    /// ResourceNotFound.NoDataOfRecord, read here as an empty list. CreateRecord / ModifyRecord / DeleteRecord per record on
    /// the default line (默认). TXT values are sent unquoted, as go-acme/lego's tencentcloud provider sends them (Tencent's
    /// pages do not say; how DNSPod stores a TXT value over 255 octets is unconfirmed). Client limit 20 requests/s (the
    /// lowest documented figure); LimitExceeded.RequestLimitExceeded is retried with backoff.
    /// </summary>
    public sealed class DnsPodHost : IDnsHost, IRemoteProvider
    {
        public const string HostName = "DnsPod";
        public const double DocumentedRequestsPerSecond = 20;
        public const string DefaultLine = "默认";

        public DnsPodHost(DnsHostOptions options, HttpMessageHandler handler = null)
        {
            var id = options.Secret("SecretId", HostName);
            var key = options.Secret("SecretKey", HostName);
            var baseUri = options.ApiBaseUri ?? new Uri("https://dnspod.tencentcloudapi.com/");
            Api = new RemoteApiClient(new Protocol(id.Reveal(), key), new RemoteApiOptions
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

        private RemoteRequest Call(string action, JObject body, string operation, string target, bool idempotent = true)
        {
            var r = new RemoteRequest(HttpMethod.Post, "", operation) { TokenKey = "sign", Body = body, Target = target, Idempotent = idempotent };
            ActionTable.Add(r, action);
            return r;
        }

        // the action goes in a header, which RemoteRequest has no field for: kept beside the request until it is signed
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RemoteRequest,
            string> ActionTable = new System.Runtime.CompilerServices.ConditionalWeakTable<RemoteRequest, string>();
        private static class Actions
        {
            public static string Get(RemoteRequest r) => ActionTable.TryGetValue(r, out var a) ? a : null;
        }

        public async Task<IReadOnlyList<DnsHostRecord>> GetRecordsAsync(string zone, CancellationToken ct)
        {
            zone = DnsPublishPlannerNames.Norm(zone);
            var list = new List<DnsHostRecord>();
            for (var offset = 0; ;)
            {
                JObject json;
                try
                {
                    json = await Api.SendAsync(
                        Call("DescribeRecordList", new JObject { ["Domain"] = zone, ["Offset"] = offset, ["Limit"] = 3000 }, $"read zone {zone}", zone),
                        ct).ConfigureAwait(false);
                }
                catch (MailAdminException e) when (e.ProviderCode == "ResourceNotFound.NoDataOfRecord")
                {
                    break; // DNSPod's answer for a zone with no records (of the filter): an empty list
                }
                var items = json["Response"]?["RecordList"] as JArray ?? new JArray();
                foreach (var x in items)
                {
                    list.Add(FromJson(zone, x));
                }

                var total = Json.Int(json["Response"]?["RecordCountInfo"]?["TotalCount"]) ?? items.Count;
                offset += items.Count;
                if (items.Count == 0 || offset >= total)
                {
                    break;
                }
            }
            return list;
        }

        internal static DnsHostRecord FromJson(string zone, JToken x)
        {
            var type = (Json.Str(x["Type"]) ?? "").ToUpperInvariant();
            var sub = Json.Str(x["Name"]) ?? "@";
            var value = Json.Str(x["Value"]) ?? "";
            int? prio = type == "MX" ? Json.Int(x["MX"]) : null;
            switch (type)
            {
                case "MX": case "CNAME": case "NS": value = value.TrimEnd('.'); break;
                case "TXT": value = TxtStrings.Unquote(value); break;
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
                Name = sub == "@" ? zone : DnsPublishPlannerNames.Norm(sub + "." + zone),
                Type = type,
                Value = value,
                Priority = prio,
                Ttl = Json.Int(x["TTL"]) ?? 600,
                Id = Json.Str(x["RecordId"]),
                DnsHost = HostName,
                Disabled = string.Equals(Json.Str(x["Status"]), "DISABLE", StringComparison.OrdinalIgnoreCase),
            };
        }

        internal static JObject ToJson(string zone, DnsPlanItem c)
        {
            var name = DnsPublishPlannerNames.Norm(c.Name);
            var sub = name == zone ? "@" : name.Substring(0, name.Length - zone.Length - 1);
            var body = new JObject
            {
                ["Domain"] = zone, ["SubDomain"] = sub, ["RecordType"] = c.Type, ["RecordLine"] = DefaultLine, ["TTL"] = Math.Max(c.Ttl, 600),
            };
            switch (c.Type)
            {
                case "MX": body["Value"] = c.Value.TrimEnd('.') + "."; body["MX"] = c.Priority ?? 10; break;
                case "CNAME": body["Value"] = c.Value.TrimEnd('.') + "."; break;
                case "SRV": body["Value"] = $"{c.Priority ?? 0} {c.Value.TrimEnd('.')}."; break;
                default: body["Value"] = c.Value; break;
            }
            return body;
        }

        public async Task ApplyAsync(string zone, IReadOnlyList<DnsHostRecord> current, IReadOnlyList<DnsPlanItem> changes, CancellationToken ct)
        {
            zone = DnsPublishPlannerNames.Norm(zone);
            await DnsChangeApplier.ApplyEachAsync(changes,
                c =>
                {
                    var body = ToJson(zone, c);
                    body["RecordId"] = long.Parse(c.Existing.Id, CultureInfo.InvariantCulture);
                    return Api.SendAsync(Call("ModifyRecord", body, $"update {c.Name} {c.Type}", c.Name), ct);
                },
                c => Api.SendAsync(Call("CreateRecord", ToJson(zone, c), $"add {c.Name} {c.Type}", c.Name, idempotent: false), ct),
                c =>
                {
                    var body = new JObject { ["Domain"] = zone, ["RecordId"] = long.Parse(c.Existing.Id, CultureInfo.InvariantCulture) };
                    return Api.SendAsync(Call("DeleteRecord", body, $"remove {c.Name} {c.Type}", c.Name), ct);
                },
                () => GetRecordsAsync(zone, ct), ct).ConfigureAwait(false);
        }

        /// <summary>DNSPod's TTL is 1-604800, its minimum set by the plan; 600 (the free plan's) is the floor kept here.</summary>
        public int EffectiveTtl(int ttl) => Math.Min(Math.Max(ttl, 600), 604800);

        public void Dispose() => Api.Dispose();

        private sealed class Protocol : IRemoteProtocol
        {
            private readonly string _id; private readonly SecretText _key;
            public Protocol(string id, SecretText key)
            {
                _id = id;
                _key = key;
            }
            public string ProviderName => HostName;

            public Task<(string token, TimeSpan lifetime)> AcquireTokenAsync(RemoteApiClient client, string tokenKey, CancellationToken ct)
                => Task.FromResult(("signed", TimeSpan.FromDays(365)));

            public void Authorize(HttpRequestMessage message, RemoteRequest request, string token)
            {
                var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var payload = request.Body?.ToString(Formatting.None) ?? "";
                var contentType = message.Content?.Headers.ContentType?.ToString() ?? "application/json; charset=utf-8";
                var host = message.RequestUri.IsDefaultPort ? message.RequestUri.Host : message.RequestUri.Authority;
                message.Headers.TryAddWithoutValidation("X-TC-Action", Actions.Get(request));
                message.Headers.TryAddWithoutValidation("X-TC-Version", "2021-03-23");
                message.Headers.TryAddWithoutValidation("X-TC-Timestamp", ts.ToString(CultureInfo.InvariantCulture));
                message.Headers.TryAddWithoutValidation(
                    "Authorization", Tc3Signer.Authorization(_id, _key.Reveal(), "dnspod", ts, "POST", "", contentType, host, payload));
            }

            public TimeSpan? RetryAfter(HttpResponseMessage response) => RetryAfterHeader.Read(response);

            public RemoteVerdict Classify(RemoteRequest request, int status, JObject body, out MailAdminException error)
            {
                error = null;
                var err = body?["Response"]?["Error"];
                if (status >= 200 && status < 300 && err == null && body?["Response"] != null)
                {
                    return RemoteVerdict.Success;
                }

                var code = Json.Str(err?["Code"]) ?? $"HTTP{status}";
                var msg = Json.Str(err?["Message"]) ?? "";
                MailErrorKind kind;
                string id;
                if (code.StartsWith("AuthFailure", StringComparison.Ordinal))
                {
                    kind = MailErrorKind.AuthenticationError;
                    id = "DnsHostAuthenticationFailed";
                }
                else if (code.StartsWith("LimitExceeded.RequestLimitExceeded", StringComparison.Ordinal) || code == "RequestLimitExceeded")
                {
                    error = new MailAdminException(
                        MailErrorKind.ResourceBusy, "RemoteBusy", $"DnsPod: {request.Operation}: throttled ({code}).",
                        request.Target) { Provider = HostName, ProviderCode = code, ProviderMessage = msg };
                    return RemoteVerdict.Retry;
                }
                else if (code == "InvalidParameter.DomainRecordExist")
                {
                    kind = MailErrorKind.ResourceExists;
                    id = "DnsRecordExists";
                }
                else if (code.Contains("DomainNotExist") || code == "ResourceNotFound.NoDataOfDomain" || code == "InvalidParameter.DomainIdInvalid")
                {
                    kind = MailErrorKind.ObjectNotFound;
                    id = "DnsZoneNotFound";
                }
                else if (code.StartsWith("ResourceNotFound", StringComparison.Ordinal))
                {
                    kind = MailErrorKind.ObjectNotFound;
                    id = "DnsRecordNotFound";
                }
                else if (code.StartsWith("InvalidParameter", StringComparison.Ordinal) || code.StartsWith("MissingParameter", StringComparison.Ordinal))
                {
                    kind = MailErrorKind.InvalidArgument;
                    id = "DnsRecordRefused";
                }
                else
                {
                    kind = MailErrorKind.InvalidOperation;
                    id = "DnsHostError";
                }
                error = new MailAdminException(
                    kind, id, $"DnsPod: {request.Operation}: {msg} ({code}).",
                    request.Target) { Provider = HostName, ProviderCode = code, ProviderMessage = msg };
                return RemoteVerdict.Fail;
            }
        }
    }
}
