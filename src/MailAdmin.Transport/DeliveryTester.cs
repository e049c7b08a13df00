using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace MailAdmin.Transport
{
    /// <summary>Sends a probe through submission and looks for it over IMAP in the recipient's Inbox and Junk folders.</summary>
    public sealed class DeliveryTester
    {
        public SmtpSubmission Submission { get; set; }
        public string ImapServer { get; set; }
        public int ImapPort { get; set; } = 993;
        public bool ImapImplicitTls { get; set; } = true;
        public NetworkCredential RecipientCredential { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
        public X509Certificate2Collection TrustedRoots { get; set; }
        public bool SkipCertificateCheck { get; set; }

        public async Task<MailDeliveryTestResult> TestAsync(string from, string to, CancellationToken ct)
        {
            var token = Guid.NewGuid().ToString("N").Substring(0, 12);
            var r = new MailDeliveryTestResult { From = from, To = to };
            var mail = new OutgoingMail
            {
                From = from,
                To = new[] { to },
                Subject = $"MailAdmin delivery test {token}",
                TextBody = $"This message tests delivery from {from} to {to} ({token}). It can be deleted.",
            };
            mail.Headers["X-MailAdmin-Probe"] = token;
            DateTime sentAt;
            using (var sender = new MailSender(Submission))
            {
                try
                {
                    var s = await sender.SendAsync(mail, ct).ConfigureAwait(false);
                    r.MessageId = s.MessageId;
                    r.SendResponse = s.Response;
                    r.Sent = true;
                    sentAt = s.SentAt;
                }
                catch (Exception e) when (
                    e is MailKit.Net.Smtp.SmtpCommandException || e is MailKit.Security.AuthenticationException || e is System.IO.IOException
                                         || e is System.Net.Sockets.SocketException || e is SslHandshakeException
                                             || e is MailKit.Net.Smtp.SmtpProtocolException)
                {
                    r.Error = $"sending failed: {e.Message}";
                    return r;
                }
            }
            string certProblem = null;
            using (var imap = new ImapClient())
            {
                imap.ServerCertificateValidationCallback = (o, c, chain, errors) =>
                {
                    if (SkipCertificateCheck)
                    {
                        return true;
                    }

                    certProblem = MailAdmin.Validation.CertificateTrust.Problem(ImapServer, c, errors, TrustedRoots);
                    return certProblem == null;
                };
                try
                {
                    await imap.ConnectAsync(
                        ImapServer, ImapPort, ImapImplicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls, ct).ConfigureAwait(false);
                    await imap.AuthenticateAsync(RecipientCredential, ct).ConfigureAwait(false);
                    var folders = new System.Collections.Generic.List<IMailFolder> { imap.Inbox };
                    var junk = imap.Capabilities.HasFlag(ImapCapabilities.SpecialUse) ? imap.GetFolder(SpecialFolder.Junk) : null;
                    if (junk == null)
                    {
                        try
                        {
                            junk = await imap.GetFolderAsync("Junk", ct).ConfigureAwait(false);
                        }
                        catch (FolderNotFoundException)
                        {
                            // the server has no junk folder: only the inbox is searched
                            junk = null;
                        }
                    }

                    if (junk != null)
                    {
                        folders.Add(junk);
                    }

                    var deadline = DateTime.UtcNow + Timeout;
                    while (DateTime.UtcNow < deadline && !r.Delivered)
                    {
                        foreach (var f in folders)
                        {
                            await f.OpenAsync(FolderAccess.ReadOnly, ct).ConfigureAwait(false);
                            var hits = await f.SearchAsync(SearchQuery.HeaderContains("X-MailAdmin-Probe", token), ct).ConfigureAwait(false);
                            if (hits.Count > 0)
                            {
                                var msg = await f.GetMessageAsync(hits[0], ct).ConfigureAwait(false);
                                r.Delivered = true;
                                r.Folder = f == imap.Inbox ? "Inbox" : f.FullName;
                                r.IsJunk = f == junk;
                                var received = msg.Headers.Where(h => h.Id == HeaderId.Received).Select(h => h.Value).FirstOrDefault();
                                var at = received != null && received.Contains(";")
                                    && MimeKit.Utils.DateUtils.TryParse(received.Substring(received.LastIndexOf(';') + 1).Trim(), out var when)
                                    ? when.UtcDateTime : DateTime.UtcNow;
                                r.Delay = at - sentAt < TimeSpan.Zero ? TimeSpan.Zero : at - sentAt;
                                r.AuthenticationResults = msg.Headers.Where(h => h.Id == HeaderId.AuthenticationResults).Select(h => h.Value.Trim()).ToArray();
                                foreach (var ar in r.AuthenticationResults)
                                {
                                    r.SpfResult = r.SpfResult ?? Method(ar, "spf");
                                    r.DkimResult = r.DkimResult ?? Method(ar, "dkim");
                                    r.DmarcResult = r.DmarcResult ?? Method(ar, "dmarc");
                                }
                                break;
                            }
                            await f.CloseAsync(false, ct).ConfigureAwait(false);
                        }
                        if (!r.Delivered)
                        {
                            await Task.Delay(500, ct).ConfigureAwait(false);
                        }
                    }
                    if (!r.Delivered)
                    {
                        r.Error = $"the probe did not arrive in Inbox{(junk != null ? " or " + junk.FullName : "")} within {Timeout.TotalSeconds:0} s";
                    }

                    await imap.DisconnectAsync(true, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (
                    e is ImapCommandException || e is ImapProtocolException || e is MailKit.Security.AuthenticationException || e is System.IO.IOException
                                         || e is System.Net.Sockets.SocketException || e is SslHandshakeException)
                {
                    r.Error = certProblem != null ? $"IMAP: the certificate {certProblem}" : $"IMAP: {e.Message}";
                }
            }
            return r;
        }

        private static string Method(string header, string method)
        {
            var m = System.Text.RegularExpressions.Regex.Match(header, $@"\b{method}=(\w+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            return m.Success ? m.Groups[1].Value.ToLowerInvariant() : null;
        }
    }
}
