using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MailAdmin.Transport
{
    public sealed class MailSender : IDisposable
    {
        public static MailSendFailure Classify(Exception e, out int status)
        {
            status = 0;
            switch (e)
            {
                case MailInDoubtException _: return MailSendFailure.InDoubt;
                case SmtpCommandException c: status = (int)c.StatusCode; return MailSendFailure.Refused;
                case MailKit.Security.AuthenticationException _: return MailSendFailure.LoginRefused;
                case System.Net.Sockets.SocketException _:
                case System.IO.IOException _:
                case MailKit.Security.SslHandshakeException _:
                case SmtpProtocolException _: return MailSendFailure.Connection;
                case FormatException _: return MailSendFailure.BadAddress;
                default: return MailSendFailure.Other;
            }
        }

        private readonly SmtpSubmission _s;
        private readonly HandoverTracker _handover = new HandoverTracker();
        private SmtpClient _client;
        private string _certProblem;

        public MailSender(SmtpSubmission submission)
        {
            _s = submission;
        }
        public int Connections { get; private set; }

        public static MimeMessage Build(OutgoingMail m)
        {
            var msg = new MimeMessage();
            msg.From.Add(MailboxAddress.Parse(m.From));
            foreach (var a in m.To)
            {
                msg.To.Add(MailboxAddress.Parse(a));
            }

            foreach (var a in m.Cc)
            {
                msg.Cc.Add(MailboxAddress.Parse(a));
            }

            foreach (var a in m.Bcc)
            {
                msg.Bcc.Add(MailboxAddress.Parse(a));
            }

            foreach (var a in m.ReplyTo)
            {
                msg.ReplyTo.Add(MailboxAddress.Parse(a));
            }

            msg.Subject = m.Subject ?? "";
            msg.Priority = string.Equals(m.Priority, "High", StringComparison.OrdinalIgnoreCase) ? MessagePriority.Urgent
                : string.Equals(m.Priority, "Low", StringComparison.OrdinalIgnoreCase) ? MessagePriority.NonUrgent : MessagePriority.Normal;
            if (msg.Priority != MessagePriority.Normal)
            {
                msg.XPriority = msg.Priority == MessagePriority.Urgent ? XMessagePriority.High : XMessagePriority.Low;
            }

            foreach (var h in m.Headers)
            {
                msg.Headers.Add(h.Key, h.Value);
            }

            var body = new BodyBuilder { TextBody = m.TextBody, HtmlBody = m.HtmlBody };
            foreach (var path in m.Attachments)
            {
                body.Attachments.Add(path);
            }

            msg.Body = body.ToMessageBody();
            msg.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(msg.From.Mailboxes.First().Domain);
            return msg;
        }

        private async Task<SmtpClient> Connected(CancellationToken ct)
        {
            if (_client != null && _client.IsConnected)
            {
                return _client;
            }

            _client?.Dispose();
            var c = new SmtpClient(_handover) { Timeout = (int)_s.Timeout.TotalMilliseconds };
            if (!string.IsNullOrEmpty(_s.LocalDomain))
            {
                c.LocalDomain = _s.LocalDomain;
            }

            c.ServerCertificateValidationCallback = (o, cert, chain, errors) =>
            {
                if (_s.SkipCertificateCheck)
                {
                    return true;
                }

                _certProblem = MailAdmin.Validation.CertificateTrust.Problem(_s.Server, cert, errors, _s.TrustedRoots);
                return _certProblem == null;
            };
            if (_s.NoTls && !_s.ImplicitTls && _s.Credential != null && !_s.AllowCredentialWithoutTls)
            {
                c.Dispose();
                throw new InvalidOperationException(
                    $"Refusing to send the password for {_s.Credential.UserName} to {_s.Server} without TLS; allow it explicitly, or drop the credential for "
                        + "a relay that needs none.");
            }
            var security = _s.ImplicitTls ? SecureSocketOptions.SslOnConnect : _s.NoTls ? SecureSocketOptions.None : SecureSocketOptions.StartTls;
            try
            {
                await c.ConnectAsync(_s.Server, _s.Port, security, ct).ConfigureAwait(false);
            }
            catch (SslHandshakeException e) when (_certProblem != null)
            {
                c.Dispose();
                throw new SslHandshakeException($"The certificate of {_s.Server} {_certProblem}.", e);
            }
            if (_s.Credential != null)
            {
                await c.AuthenticateAsync(_s.Credential, ct).ConfigureAwait(false);
            }

            Connections++;
            _client = c;
            return c;
        }

        /// <summary>Opens (or keeps) the connection and logs in, without sending anything.</summary>
        public Task ConnectAsync(CancellationToken ct) => Connected(ct);

        public async Task<MailSendResult> SendAsync(OutgoingMail mail, CancellationToken ct)
        {
            var msg = Build(mail);
            var response = await SendRawAsync(msg, ct).ConfigureAwait(false);
            return new MailSendResult
            {
                MessageId = msg.MessageId,
                From = mail.From,
                Recipients = mail.To.Concat(mail.Cc).Concat(mail.Bcc).ToArray(),
                Subject = mail.Subject,
                Server = $"{_s.Server}:{_s.Port}",
                SentAt = DateTime.UtcNow,
                Response = response,
            };
        }

        /// <summary>Sends a message built earlier (the scheduled-mail queue); returns the server's answer. A connection that fails
        /// before the whole message was handed over (an idle connection the server closed, a reset before the final ".") is opened
        /// again once; a failure after that throws <see cref="MailInDoubtException"/> and is never retried: the server may have it.</summary>
        public async Task<string> SendRawAsync(MimeMessage msg, CancellationToken ct)
        {
            for (var attempt = 1; ; attempt++)
            {
                var c = await Connected(ct).ConfigureAwait(false);
                _handover.Reset();
                try
                {
                    return await c.SendAsync(msg, ct).ConfigureAwait(false);
                }
                catch (SmtpCommandException)
                {
                    throw;
                } // the server answered: refused, not in doubt
                catch (Exception e) when (_handover.HandedOver)
                {
                    _client?.Dispose();
                    _client = null;
                    throw new MailInDoubtException($"{_s.Server}:{_s.Port}", msg.MessageId, e);
                }
                catch (Exception e) when (attempt == 1 && (e is SmtpProtocolException || e is IOException) && !ct.IsCancellationRequested)
                {
                    // the server closed the connection before it had the message (e.g. an idle connection): connect again once
                    _client?.Dispose();
                    _client = null;
                }
            }
        }

        /// <summary>Watches what the client writes (MailKit's protocol log) to tell whether the end of the message (the final "."
        /// after DATA, or BDAT ... LAST) has been written: after that the server may have accepted the message.</summary>
        private sealed class HandoverTracker : IProtocolLogger
        {
            private bool _inData;
            private string _tail = "";
            public bool HandedOver { get; private set; }
            public IAuthenticationSecretDetector AuthenticationSecretDetector { get; set; }
            public void Reset()
            {
                _inData = false;
                _tail = "";
                HandedOver = false;
            }
            public void LogConnect(Uri uri)
            {
            }
            public void LogServer(byte[] buffer, int offset, int count)
            {
            }
            public void LogClient(byte[] buffer, int offset, int count)
            {
                if (HandedOver)
                {
                    return;
                }

                var text = System.Text.Encoding.GetEncoding("ISO-8859-1").GetString(buffer, offset, count);
                if (!_inData)
                {
                    foreach (var line in text.Split(new[] { "\r\n" }, StringSplitOptions.None))
                    {
                        if (line.StartsWith("BDAT ", StringComparison.OrdinalIgnoreCase))
                        {
                            HandedOver = true;
                            return;
                        } // chunks: conservatively, any of them
                        if (line.Equals("DATA", StringComparison.OrdinalIgnoreCase))
                        {
                            _inData = true;
                        }
                    }
                    if (!_inData)
                    {
                        return;
                    }

                    var at = text.IndexOf("DATA\r\n", StringComparison.OrdinalIgnoreCase);
                    text = at >= 0 ? text.Substring(at + 6) : "";
                    _tail = "\r\n"; // the data starts at the beginning of a line
                }
                _tail += text;
                if (_tail.IndexOf("\r\n.\r\n", StringComparison.Ordinal) >= 0)
                {
                    HandedOver = true;
                }
                else if (_tail.Length > 8)
                {
                    _tail = _tail.Substring(_tail.Length - 8);
                }
            }
            public void Dispose()
            {
            }
        }

        public void Dispose()
        {
            if (_client == null)
            {
                return;
            }

            try
            {
                if (_client.IsConnected)
                {
                    _client.Disconnect(true);
                }
            }
            catch (Exception e) when (e is IOException || e is SmtpProtocolException)
            {
                // the connection is already broken: QUIT cannot be said, and disposing below closes the socket anyway
                System.Diagnostics.Trace.WriteLine($"SMTP disconnect: {e.Message}");
            }

            _client.Dispose();
            _client = null;
        }
    }
}
