using System;
using System.Collections.Concurrent;
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
using Newtonsoft.Json.Linq;

namespace MailAdmin.DnsHosts
{
    /// <summary>
    /// Cloudflare API v4 (PROVIDERS-ADDENDUM 4.3): "Authorization: Bearer &lt;API token&gt;" (DNS Write), the zone id from
    /// GET /zones?name=, records from GET /zones/{id}/dns_records (paged), one POST per new record, one PATCH per changed one
    /// and one DELETE /zones/{id}/dns_records/{record id} per record removed, envelope {success, errors[{code, message}],
    /// result}. TXT content is sent as quoted strings of at most 255 octets. 1,200 requests per 5 minutes per token: the
    /// client keeps to 4 per second; a 429 is retried after its Retry-After.
    /// </summary>
    public sealed class CloudflareHost : IDnsHost, IRemoteProvider
    {
        public const string HostName = "Cloudflare";
        public const double DocumentedRequestsPerSecond = 1200.0 / 300.0;
        private readonly ConcurrentDictionary<string, string> _zoneIds = new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public CloudflareHost(DnsHostOptions options, HttpMessageHandler handler = null)
        {
            var token = options.Secret("ApiToken", HostName);
            var baseUri = options.ApiBaseUri ?? new Uri("https://api.cloudflare.com/client/v4/");
            Api = new RemoteApiClient(new Protocol(token), new RemoteApiOptions
            {
                BaseUri = new Uri(baseUri.ToString().TrimEnd('/') + "/"),
                RequestsPerSecond = options.RequestsPerSecond > 0 ? options.RequestsPerSecond : DocumentedRequestsPerSecond,
            }, handler);
            Target = baseUri.ToString().TrimEnd('/');
        }

        public string Name => HostName;
        public string Target { get; }
        public RemoteApiClient Api { get; }
        public long Requests => Api.Statistics.Requests;

        private async Task<string> ZoneIdAsync(string zone, CancellationToken ct)
        {
            zone = DnsPublishPlannerNames.Norm(zone);
            if (_zoneIds.TryGetValue(zone, out var id))
            {
                return id;
            }

            var r = new RemoteRequest(HttpMethod.Get, "zones", $"find zone {zone}") { TokenKey = "token", Target = zone };
            r.Query["name"] = zone;
            var json = await Api.SendAsync(r, ct).ConfigureAwait(false);
            var found = (json["result"] as JArray ?? new JArray()).FirstOrDefault(
                z => string.Equals(Json.Str(z["name"]), zone, StringComparison.OrdinalIgnoreCase));
            if (found == null)
            {
                throw new MailAdminException(
                    MailErrorKind.ObjectNotFound, "DnsZoneNotFound", $"Cloudflare: the zone {zone} is not in this account (or the token cannot see it).",
                    zone) { Provider = HostName };
            }

            id = Json.Str(found["id"]);
            _zoneIds[zone] = id;
            return id;
        }

        public async Task<IReadOnlyList<DnsHostRecord>> GetRecordsAsync(string zone, CancellationToken ct)
        {
            var id = await ZoneIdAsync(zone, ct).ConfigureAwait(false);
            var list = new List<DnsHostRecord>();
            for (var page = 1; ; page++)
            {
                var r = new RemoteRequest(HttpMethod.Get, $"zones/{id}/dns_records", $"read zone {zone}") { TokenKey = "token", Target = zone };
                r.Query["page"] = page.ToString(CultureInfo.InvariantCulture);
                r.Query["per_page"] = "100";
                var json = await Api.SendAsync(r, ct).ConfigureAwait(false);
                var items = json["result"] as JArray ?? new JArray();
                list.AddRange(items.Select(x => FromJson(zone, x)));
                var pages = Json.Int(json["result_info"]?["total_pages"]) ?? 1;
                if (page >= pages || items.Count == 0)
                {
                    break;
                }
            }
            return list;
        }

        internal static DnsHostRecord FromJson(string zone, JToken x)
        {
            var type = (Json.Str(x["type"]) ?? "").ToUpperInvariant();
            var content = Json.Str(x["content"]);
            string value;
            switch (type)
            {
                case "TXT": value = TxtStrings.Unquote(content); break;
                case "MX": case "CNAME": case "NS": value = (content ?? "").TrimEnd('.'); break;
                default: value = content; break;
            }
            return new DnsHostRecord
            {
                Zone = DnsPublishPlannerNames.Norm(zone),
                Name = DnsPublishPlannerNames.Norm(Json.Str(x["name"])),
                Type = type,
                Value = value,
                Ttl = Json.Int(x["ttl"]) ?? 1,
                Priority = Json.Int(x["priority"]),
                Id = Json.Str(x["id"]),
                DnsHost = HostName,
            };
        }

        internal static JObject ToJson(DnsPlanItem item)
        {
            var body = new JObject { ["type"] = item.Type, ["name"] = item.Name, ["ttl"] = item.Ttl };
            switch (item.Type)
            {
                case "TXT": body["content"] = TxtStrings.Quote(item.Value); break;
                case "MX": body["content"] = item.Value; body["priority"] = item.Priority ?? 10; break;
                case "SRV":
                    {
                        var p = item.Value.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                        if (p.Length != 3)
                        {
                            throw MailAdminException.Invalid("InvalidDnsRecord", $"SRV value '{item.Value}' must be 'weight port target'.", item);
                        }

                        body["data"] = new JObject
                        {
                            ["priority"] = item.Priority ?? 0,
                            ["weight"] = int.Parse(p[0], CultureInfo.InvariantCulture),
                            ["port"] = int.Parse(p[1], CultureInfo.InvariantCulture),
                            ["target"] = p[2],
                        };
                        break;
                    }
                case "CNAME": body["content"] = item.Value; body["proxied"] = false; break;
                default: body["content"] = item.Value; break;
            }
            return body;
        }

        public async Task ApplyAsync(string zone, IReadOnlyList<DnsHostRecord> current, IReadOnlyList<DnsPlanItem> changes, CancellationToken ct)
        {
            var id = await ZoneIdAsync(zone, ct).ConfigureAwait(false);
            string What(DnsPlanItem c) => $"{c.Action.ToString().ToLowerInvariant()} {c.Name} {c.Type}";
            await DnsChangeApplier.ApplyEachAsync(changes,
                c => Api.SendAsync(new RemoteRequest(new HttpMethod("PATCH"), $"zones/{id}/dns_records/{c.Existing.Id}", What(c))
                { TokenKey = "token", Target = c.Name, Body = ToJson(c) }, ct),
                c => Api.SendAsync(new RemoteRequest(HttpMethod.Post, $"zones/{id}/dns_records", What(c))
                { TokenKey = "token", Target = c.Name, Body = ToJson(c), Idempotent = false }, ct),
                c => Api.SendAsync(new RemoteRequest(HttpMethod.Delete, $"zones/{id}/dns_records/{c.Existing.Id}", What(c))
                { TokenKey = "token", Target = c.Name }, ct),
                () => GetRecordsAsync(zone, ct), ct).ConfigureAwait(false);
        }

        /// <summary>Cloudflare keeps the TTL asked for (1 is "automatic"); the plan's minimum (60 or 120) is [?] and not raised here.</summary>
        public int EffectiveTtl(int ttl) => ttl;

        public void Dispose() => Api.Dispose();

        private sealed class Protocol : IRemoteProtocol
        {
            private readonly SecretText _token;
            public Protocol(SecretText token)
            {
                _token = token;
            }
            public string ProviderName => HostName;

            public Task<(string token, TimeSpan lifetime)> AcquireTokenAsync(RemoteApiClient client, string tokenKey, CancellationToken ct)
                => Task.FromResult((_token.Reveal(), TimeSpan.FromDays(365)));

            public void Authorize(HttpRequestMessage message, RemoteRequest request, string token)
                => message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);

            public TimeSpan? RetryAfter(HttpResponseMessage response) => RetryAfterHeader.Read(response);

            public RemoteVerdict Classify(RemoteRequest request, int status, JObject body, out MailAdminException error)
            {
                error = null;
                var success = Json.Bool(body?["success"]);
                if (status >= 200 && status < 300 && success != false)
                {
                    return RemoteVerdict.Success;
                }

                var first = (body?["errors"] as JArray)?.FirstOrDefault();
                var code = Json.Long(first?["code"]) ?? status;
                var msg = Json.Str(first?["message"]) ?? $"HTTP {status}";
                MailErrorKind kind;
                string id;
                if (code == 81057 || code == 81058)
                {
                    kind = MailErrorKind.ResourceExists;
                    id = "DnsRecordExists";
                }
                else if (code == 81053 || code == 81054)
                {
                    kind = MailErrorKind.ResourceExists;
                    id = "DnsCnameConflict";
                }
                else if (code == 81044)
                {
                    kind = MailErrorKind.ObjectNotFound;
                    id = "DnsRecordNotFound";
                }
                else if (code == 10000 || code == 9109 || status == 401 || status == 403)
                {
                    kind = MailErrorKind.AuthenticationError;
                    id = "DnsHostAuthenticationFailed";
                }
                else if (status == 404)
                {
                    kind = MailErrorKind.ObjectNotFound;
                    id = "DnsZoneNotFound";
                }
                else
                {
                    kind = MailErrorKind.InvalidArgument;
                    id = "DnsRecordRefused";
                }
                error = new MailAdminException(kind, id, $"Cloudflare: {request.Operation}: {msg} (code {code}).", request.Target)
                { Provider = HostName, ProviderCode = code.ToString(CultureInfo.InvariantCulture), ProviderMessage = msg };
                return RemoteVerdict.Fail;
            }
        }
    }
}
