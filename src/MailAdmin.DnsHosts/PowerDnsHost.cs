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
using Newtonsoft.Json.Linq;

namespace MailAdmin.DnsHosts
{
    /// <summary>
    /// PowerDNS Authoritative's HTTP API (PROVIDERS-ADDENDUM 4.4): header X-API-Key; GET …/zones/{zone.} gives rrsets; PATCH
    /// with changetype REPLACE swaps a whole RRset, so a plan's adds, updates and removals are merged into the RRsets read
    /// just before and sent in one PATCH (PowerDNS applies it in one transaction; an RRset left empty is sent as DELETE). TXT
    /// content is zone-file text: quoted strings of at most 255 octets; MX and SRV carry their priority inside the content,
    /// targets end with a dot.
    /// </summary>
    public sealed class PowerDnsHost : IDnsHost, IRemoteProvider
    {
        public const string HostName = "PowerDns";
        private readonly string _server;

        public PowerDnsHost(DnsHostOptions options, HttpMessageHandler handler = null)
        {
            if (options.ApiBaseUri == null)
            {
                throw MailAdminException.Invalid(
                    "DnsHostUriMissing", "PowerDns needs -ApiBaseUri (the API's address, e.g. http://127.0.0.1:8081).", "ApiBaseUri");
            }

            var key = options.Secret("ApiKey", HostName);
            _server = options.Settings.TryGetValue("ServerId", out var s) && !string.IsNullOrEmpty(s) ? s : "localhost";
            var baseUri = options.ApiBaseUri.ToString().TrimEnd('/');
            if (!baseUri.EndsWith("/api/v1", StringComparison.OrdinalIgnoreCase))
            {
                baseUri += "/api/v1";
            }

            Api = new RemoteApiClient(
                new Protocol(key),
                new RemoteApiOptions { BaseUri = new Uri(baseUri + "/"), RequestsPerSecond = options.RequestsPerSecond > 0 ? options.RequestsPerSecond : 0 },
                handler);
            Target = baseUri;
        }

        public string Name => HostName;
        public string Target { get; }
        public RemoteApiClient Api { get; }
        public long Requests => Api.Statistics.Requests;

        private string ZonePath(string zone) => $"servers/{Uri.EscapeDataString(_server)}/zones/{Uri.EscapeDataString(Fqdn(zone))}";

        internal static string Fqdn(string name) => DnsPublishPlannerNames.Norm(name) + ".";

        public async Task<IReadOnlyList<DnsHostRecord>> GetRecordsAsync(string zone, CancellationToken ct)
        {
            var r = new RemoteRequest(HttpMethod.Get, ZonePath(zone), $"read zone {zone}") { TokenKey = "key", Target = zone };
            var json = await Api.SendAsync(r, ct).ConfigureAwait(false);
            var list = new List<DnsHostRecord>();
            foreach (var set in json["rrsets"] as JArray ?? new JArray())
            {
                var name = DnsPublishPlannerNames.Norm(Json.Str(set["name"]));
                var type = (Json.Str(set["type"]) ?? "").ToUpperInvariant();
                var ttl = Json.Int(set["ttl"]) ?? 0;
                foreach (var rec in set["records"] as JArray ?? new JArray())
                {
                    var content = Json.Str(rec["content"]);
                    var item = FromContent(type, content);
                    item.Zone = DnsPublishPlannerNames.Norm(zone);
                    item.Name = name;
                    item.Type = type;
                    item.Ttl = ttl;
                    item.Id = content;
                    item.Disabled = Json.Bool(rec["disabled"]) ?? false;
                    item.DnsHost = HostName;
                    list.Add(item);
                }
            }
            return list;
        }

        /// <summary>Reads PowerDNS content: priority out of MX and SRV, trailing dots off targets, TXT unquoted.</summary>
        internal static DnsHostRecord FromContent(string type, string content)
        {
            var r = new DnsHostRecord();
            var parts = (content ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            switch (type)
            {
                case "MX" when parts.Length == 2 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p):
                    r.Priority = p; r.Value = parts[1] == "." ? "." : parts[1].TrimEnd('.'); break;
                case "SRV" when parts.Length == 4 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var sp):
                    r.Priority = sp; r.Value = $"{parts[1]} {parts[2]} {parts[3].TrimEnd('.')}"; break;
                case "CNAME": case "NS": r.Value = (content ?? "").TrimEnd('.'); break;
                case "TXT": case "SPF": r.Value = TxtStrings.Unquote(content); break;
                default: r.Value = content; break;
            }
            return r;
        }

        /// <summary>PowerDNS content for a record: MX "10 host.", SRV "prio weight port target.", CNAME "target.", TXT quoted strings.</summary>
        internal static string ToContent(string type, string value, int? priority)
        {
            switch (type)
            {
                case "MX": return $"{priority ?? 10} {(value == "." ? "." : Fqdn(value))}";
                case "SRV":
                    {
                        var p = value.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                        if (p.Length != 3)
                        {
                            throw MailAdminException.Invalid("InvalidDnsRecord", $"SRV value '{value}' must be 'weight port target'.", value);
                        }

                        return $"{priority ?? 0} {p[0]} {p[1]} {Fqdn(p[2])}";
                    }
                case "CNAME": case "NS": return Fqdn(value);
                case "TXT": return TxtStrings.Quote(value);
                default: return value;
            }
        }

        public async Task ApplyAsync(string zone, IReadOnlyList<DnsHostRecord> current, IReadOnlyList<DnsPlanItem> changes, CancellationToken ct)
        {
            var todo = changes.Where(c => c.Action == DnsChangeAction.Add || c.Action == DnsChangeAction.Update || c.Action == DnsChangeAction.Remove).ToList();
            if (todo.Count == 0)
            {
                return;
            }

            var groups = todo.GroupBy(c => (DnsPublishPlannerNames.Norm(c.Name), c.Type)).ToList();
            var sets = new List<(JObject rrset, List<DnsPlanItem> items)>();
            foreach (var g in groups)
            {
                var (name, type) = g.Key;
                var held = current.Where(
                    h => DnsPublishPlannerNames.Norm(h.Name) == name && string.Equals(h.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();
                var records = held.Select(h => (content: h.Id, disabled: h.Disabled)).ToList();
                foreach (var c in g)
                {
                    if (c.Action != DnsChangeAction.Add && c.Existing != null)
                    {
                        records.RemoveAll(x => x.content == c.Existing.Id);
                    }

                    if (c.Action == DnsChangeAction.Remove)
                    {
                        continue;
                    }

                    var content = ToContent(type, c.Value, c.Priority);
                    if (!records.Any(x => x.content == content))
                    {
                        records.Add((content, false));
                    }
                }
                // one TTL per RRset: the one asked for by the records written, else the one it has
                var written = g.Where(c => c.Action != DnsChangeAction.Remove).ToList();
                var ttl = written.Count > 0 ? written.Max(c => c.Ttl) : held.Count > 0 ? held.Max(h => h.Ttl) : 3600;
                // an RRset left with no record is deleted (DELETE takes no ttl); REPLACE swaps the whole set in one step
                var rrset = records.Count == 0
                    ? new JObject { ["name"] = Fqdn(name), ["type"] = type, ["changetype"] = "DELETE" }
                    : new JObject
                    {
                        ["name"] = Fqdn(name),
                        ["type"] = type,
                        ["ttl"] = ttl,
                        ["changetype"] = "REPLACE",
                        ["records"] = new JArray(records.Select(x => new JObject { ["content"] = x.content, ["disabled"] = x.disabled })),
                    };
                sets.Add((rrset, g.ToList()));
            }
            try
            {
                await PatchAsync(zone, sets.Select(s => s.rrset), $"publish {todo.Count} records to zone {zone}", zone, ct).ConfigureAwait(false);
                foreach (var c in todo)
                {
                    c.Status = "Applied";
                }
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.InvalidArgument && sets.Count > 1)
            {
                // the batch was refused as a whole (one bad record): each RRset alone, so the good ones land and the bad one is named
                foreach (var (rrset, items) in sets)
                {
                    var what = string.Join(", ", items.Select(i => $"{i.Name} {i.Type}"));
                    try
                    {
                        await PatchAsync(zone, new[] { rrset }, $"publish {what}", items[0].Name, ct).ConfigureAwait(false);
                        foreach (var c in items)
                        {
                            c.Status = "Applied";
                        }
                    }
                    catch (MailAdminException one) when (one.Kind == MailErrorKind.InvalidArgument)
                    {
                        foreach (var c in items)
                        {
                            c.Status = "Failed";
                            c.Error = one;
                        }
                    }
                }
            }
            catch (MailAdminException e) when (e.Kind == MailErrorKind.InvalidArgument)
            {
                foreach (var c in todo)
                {
                    c.Status = "Failed";
                    c.Error = e;
                }
            }
        }

        private Task<JObject> PatchAsync(string zone, IEnumerable<JObject> rrsets, string operation, string target, CancellationToken ct)
        {
            var r = new RemoteRequest(
                new HttpMethod("PATCH"), ZonePath(zone),
                operation) { TokenKey = "key", Target = target, Body = new JObject { ["rrsets"] = new JArray(rrsets) } };
            return Api.SendAsync(r, ct);
        }

        /// <summary>PowerDNS keeps the TTL asked for.</summary>
        public int EffectiveTtl(int ttl) => ttl;

        public void Dispose() => Api.Dispose();

        private sealed class Protocol : IRemoteProtocol
        {
            private readonly SecretText _key;
            public Protocol(SecretText key)
            {
                _key = key;
            }
            public string ProviderName => HostName;

            // the API key is sent as is; the pipeline's token slot holds it so that it goes on every request
            public Task<(string token, TimeSpan lifetime)> AcquireTokenAsync(RemoteApiClient client, string tokenKey, CancellationToken ct)
                => Task.FromResult((_key.Reveal(), TimeSpan.FromDays(365)));

            public void Authorize(HttpRequestMessage message, RemoteRequest request, string token)
                => message.Headers.TryAddWithoutValidation("X-API-Key", token);

            public TimeSpan? RetryAfter(HttpResponseMessage response) => RetryAfterHeader.Read(response);

            public RemoteVerdict Classify(RemoteRequest request, int status, JObject body, out MailAdminException error)
            {
                error = null;
                if (status >= 200 && status < 300)
                {
                    return RemoteVerdict.Success;
                }

                var msg = Json.Str(body?["error"]) ?? "";
                var more = Json.Strings(body?["errors"]);
                if (more.Length > 0)
                {
                    msg = msg + " " + string.Join("; ", more);
                }

                MailErrorKind kind;
                string id;
                string text;
                switch (status)
                {
                    case 401: case 403: kind = MailErrorKind.AuthenticationError; id = "DnsHostAuthenticationFailed"; text = "the API key was refused"; break;
                    case 404:
                        kind = MailErrorKind.ObjectNotFound;
                        id = "DnsZoneNotFound";
                        text = $"the zone is not hosted at this server ({msg.Trim()})";
                        break;
                    case 400: case 422: kind = MailErrorKind.InvalidArgument; id = "DnsRecordRefused"; text = $"the server refused it: {msg.Trim()}"; break;
                    case 409: kind = MailErrorKind.ResourceExists; id = "DnsRecordConflict"; text = $"conflict: {msg.Trim()}"; break;
                    default: kind = MailErrorKind.InvalidOperation; id = "DnsHostError"; text = $"HTTP {status} {msg.Trim()}"; break;
                }
                error = new MailAdminException(kind, id, $"PowerDns: {request.Operation}: {text}", request.Target)
                { Provider = HostName, ProviderCode = status.ToString(CultureInfo.InvariantCulture), ProviderMessage = msg.Trim() };
                return RemoteVerdict.Fail;
            }
        }
    }
}
