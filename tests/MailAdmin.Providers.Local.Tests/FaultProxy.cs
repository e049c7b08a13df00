using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailAdmin.Providers.Local.Tests;

/// <summary>
/// A TCP proxy between the module and the real PostgreSQL that breaks connections the way networks do: on demand it drops
/// every open connection and refuses new ones (the database unreachable), or, armed, drops the connection that sends the
/// next COMMIT after forwarding it, so the server commits while the client never hears back (a connection lost after commit).
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly List<TcpClient> _open = new();
    private volatile bool _down;
    private int _dropAfterCommit;
    private readonly CancellationTokenSource _stop = new();

    public FaultProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _ = AcceptLoop();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections were dropped right after they sent COMMIT.</summary>
    public int CommitsCut { get; private set; }

    /// <summary>Drops the connection that sends the next COMMIT, just after the server received it.</summary>
    public void DropAfterNextCommit() => Interlocked.Exchange(ref _dropAfterCommit, 1);

    /// <summary>Drops every connection and refuses new ones until <see cref="Up"/>.</summary>
    public void Down()
    {
        _down = true;
        lock (_open)
        {
            foreach (var c in _open) c.Dispose();
            _open.Clear();
        }
    }

    public void Up() => _down = false;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            if (_down) { client.Dispose(); continue; }
            var server = new TcpClient();
            try { await server.ConnectAsync(IPAddress.Loopback, _target); }
            catch (SocketException) { client.Dispose(); server.Dispose(); continue; }
            lock (_open) { _open.Add(client); _open.Add(server); }
            var pair = new Pair();
            _ = Pump(client, server, pair, watchCommit: true);
            _ = Pump(server, client, pair, watchCommit: false);
        }
    }

    private sealed class Pair
    {
        /// <summary>Set when the client sent the COMMIT to be cut: from then on nothing the server says reaches the client.</summary>
        public volatile bool Muted;
    }

    private async Task Pump(TcpClient from, TcpClient to, Pair pair, bool watchCommit)
    {
        var buffer = new byte[65536];
        try
        {
            var src = from.GetStream();
            var dst = to.GetStream();
            while (true)
            {
                var n = await src.ReadAsync(buffer, _stop.Token);
                if (n == 0) break;
                var cut = watchCommit && Volatile.Read(ref _dropAfterCommit) == 1
                    // the COMMIT statement, not BEGIN ... ISOLATION LEVEL READ COMMITTED
                    && System.Text.RegularExpressions.Regex.IsMatch(Encoding.ASCII.GetString(buffer, 0, n), @"\bCOMMIT\b")
                    && Interlocked.Exchange(ref _dropAfterCommit, 0) == 1;
                if (cut)
                {
                    pair.Muted = true;
                    CommitsCut++;
                }

                if (pair.Muted && !watchCommit) break;
                await dst.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                if (cut)
                {
                    // the server has the COMMIT; give it time to make it durable, then cut both ends: the answer never returns
                    await Task.Delay(300);
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException || e is ObjectDisposedException || e is SocketException || e is OperationCanceledException)
        {
            // the other direction (or Down) closed the connection: nothing more to pump
        }

        from.Dispose();
        to.Dispose();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Down();
    }
}
