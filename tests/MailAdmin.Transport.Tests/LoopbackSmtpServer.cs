using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Transport.Tests;

/// <summary>What the fake server does with one message once it has read the final ".".</summary>
public enum AfterDot { Accept, Drop, Stall }

/// <summary>
/// A loopback SMTP server for the tests: it can advertise AUTH without STARTTLS, refuse or drop a connection before DATA,
/// drop it after the final "." (the message is taken but the client never hears so), or stall; it counts what it took.
/// Also compiled by the Pester tests (Add-Type), so it keeps to the framework's own types.
/// </summary>
public sealed class LoopbackSmtpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _messages;

    /// <summary>Decides per message (numbered from 1 across all connections) what happens after its final ".".</summary>
    public Func<int, AfterDot> OnDot { get; set; }
    /// <summary>For callers that cannot pass a delegate (Pester): the message that is dropped after its ".", and the one that stalls.</summary>
    public int DropAt { get; set; }
    public int StallAt { get; set; }
    /// <summary>Drops the connection when the client sends MAIL FROM on this (1-based) connection; 0: never.</summary>
    public int DropAtMailOnConnection { get; set; }
    public bool AdvertiseAuth { get; set; } = true;
    public TimeSpan StallFor { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan GreetingDelay { get; set; } = TimeSpan.Zero;
    /// <summary>With a certificate (and its key) the server offers STARTTLS and, after it, speaks TLS with that certificate.</summary>
    public X509Certificate2 Certificate { get; set; }
    /// <summary>When set, STARTTLS is offered and answered with this line (e.g. "454 4.7.0 TLS not available") instead of starting TLS.</summary>
    public string StartTlsReply { get; set; }

    /// <summary>The messages taken (the final "." was read), in order: their Message-ID headers.</summary>
    public ConcurrentQueue<string> Taken { get; } = new();
    public ConcurrentQueue<string> AuthCommands { get; } = new();
    public int Connections;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public LoopbackSmtpServer()
    {
        OnDot = n => n == DropAt ? AfterDot.Drop : n == StallAt ? AfterDot.Stall : AfterDot.Accept;
        _listener.Start();
        _ = AcceptLoop();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient c;
            try { c = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            var n = Interlocked.Increment(ref Connections);
            _ = Task.Run(() => Serve(c, n));
        }
    }

    private async Task Serve(TcpClient c, int connection)
    {
        using (c)
        {
            Stream s = c.GetStream();
            var reader = new StreamReader(s, Encoding.Latin1);
            var secure = false;
            async Task Say(string line) { var b = Encoding.ASCII.GetBytes(line + "\r\n"); await s.WriteAsync(b, _stop.Token); }
            try
            {
                if (GreetingDelay > TimeSpan.Zero) await Task.Delay(GreetingDelay, _stop.Token);
                await Say("220 fake.test ESMTP");
                while (true)
                {
                    var line = await reader.ReadLineAsync(_stop.Token);
                    if (line == null) return;
                    var verb = line.Split(' ')[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                            await Say("250-fake.test");
                            if ((Certificate != null || StartTlsReply != null) && !secure) await Say("250-STARTTLS");
                            if (AdvertiseAuth) await Say("250-AUTH PLAIN LOGIN");
                            await Say("250 8BITMIME");
                            break;
                        case "HELO": await Say("250 fake.test"); break;
                        case "STARTTLS" when StartTlsReply != null:
                            await Say(StartTlsReply);
                            break;
                        case "STARTTLS" when Certificate != null && !secure:
                            await Say("220 2.0.0 Ready to start TLS");
                            var tls = new SslStream(s);
                            await tls.AuthenticateAsServerAsync(Certificate);
                            s = tls;
                            reader = new StreamReader(s, Encoding.Latin1);
                            secure = true;
                            break;
                        case "AUTH": AuthCommands.Enqueue(line); await Say("235 2.7.0 ok"); break;
                        case "MAIL":
                            if (DropAtMailOnConnection == connection) return;
                            await Say("250 2.1.0 ok"); break;
                        case "RCPT": await Say("250 2.1.5 ok"); break;
                        case "RSET": case "NOOP": await Say("250 ok"); break;
                        case "QUIT": await Say("221 bye"); return;
                        case "DATA":
                            await Say("354 go ahead");
                            string id = null;
                            while (true)
                            {
                                var l = await reader.ReadLineAsync(_stop.Token);
                                if (l == null) return;
                                if (l == ".") break;
                                if (id == null && l.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase)) id = l.Substring(11).Trim();
                            }
                            Taken.Enqueue(id ?? "");
                            var n = Interlocked.Increment(ref _messages);
                            var what = OnDot(n);
                            if (what == AfterDot.Drop) return;
                            if (what == AfterDot.Stall) await Task.Delay(StallFor, _stop.Token);
                            await Say($"250 2.0.0 Ok: queued as Q{n}");
                            break;
                        default: await Say("502 5.5.2 not implemented"); break;
                    }
                }
            }
            catch (Exception) { /* the test ended or the client went away */ }
        }
    }

    public void Dispose() { _stop.Cancel(); _listener.Stop(); }
}
