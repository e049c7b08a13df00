using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using MailAdmin.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// One mail host's doveadm HTTP API (POST /doveadm/v1, a JSON array of [command, parameters, tag]; the key goes in the
    /// X-Dovecot-API authorization). A command that fails answers ["error", {"exitCode": n}]; 67 (no such user) and 68 (no
    /// such script or session) are answers, not failures, and come back as <see cref="DoveadmResult.NotFound"/>.
    /// </summary>
    internal sealed class DoveadmClient
    {
        private static readonly HttpClient Http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        private readonly MailHost _host;

        public DoveadmClient(MailHost host)
        {
            _host = host;
        }

        public string HostName => _host.Name;

        /// <summary>Runs one command; throws <see cref="MailAdminException"/> (MailHostUnreachable, DoveadmFailed) when it fails.</summary>
        public DoveadmResult Run(string command, object parameters)
        {
            var body = JsonConvert.SerializeObject(new object[] { new object[] { command, parameters, "c" } });
            using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.DoveadmUrl, "doveadm/v1")))
            {
                request.Headers.TryAddWithoutValidation("Authorization",
                    "X-Dovecot-API " + Convert.ToBase64String(Encoding.UTF8.GetBytes(_host.ApiKey.Reveal())));
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                HttpResponseMessage response;
                string text;
                try
                {
                    response = Http.SendAsync(request).GetAwaiter().GetResult();
                    text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException)
                {
                    throw new MailAdminException(MailErrorKind.ConnectionError, "MailHostUnreachable",
                        $"The mail host {_host.Name} did not answer at {_host.DoveadmUrl} ({e.Message}).", _host.Name, e);
                }

                using (response)
                {
                    if ((int)response.StatusCode == 401 || (int)response.StatusCode == 403)
                    {
                        throw new MailAdminException(MailErrorKind.AuthenticationError, "DoveadmKeyRefused",
                            $"The mail host {_host.Name} refused the doveadm API key the store keeps for it: put the same text in its doveadm-api.key, "
                            + "or export its configuration again with the key it has.", _host.Name);
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        throw Failed(command, $"HTTP {(int)response.StatusCode}");
                    }

                    var reply = JArray.Parse(text)[0] as JArray;
                    if (reply?[0]?.Value<string>() == "doveadmResponse")
                    {
                        return new DoveadmResult(reply[1] as JArray ?? new JArray(), false);
                    }

                    var code = reply?[1]?["exitCode"]?.Value<int>() ?? -1;
                    if (code == 67 || code == 68)
                    {
                        return new DoveadmResult(new JArray(), true);
                    }

                    throw Failed(command, "exit code " + code.ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        private MailAdminException Failed(string command, string why)
            => new MailAdminException(MailErrorKind.InvalidOperation, "DoveadmFailed",
                $"The mail host {_host.Name} could not run doveadm {command} ({why}).", _host.Name);
    }
}
