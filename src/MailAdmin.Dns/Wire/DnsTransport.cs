using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Dns.Wire
{
    /// <summary>
    /// Sends queries over UDP and matches the answers, for the whole process: one socket per address family (a source port
    /// the kernel picks at random), one thread per socket that blocks in receive and completes the matching query, and one
    /// timer that resends or gives up on queries whose answer is late. An answer counts only when its ID, the server it came
    /// from and its question all match (RFC 5452 9.1); IDs are random. A truncated answer is asked again over TCP
    /// (RFC 7766 5).
    /// </summary>
    /// <remarks>
    /// Why not DnsClient's transport, which the module used before: a profile of Test-MailDomain over 1,000 domains put about
    /// three quarters of the process's managed CPU in it and in the thread pool it kept busy (a socket per query, a timer and a
    /// task per timeout, a thread-pool hop per answer). Here an answer costs one receive call and no hop.
    /// </remarks>
    internal sealed class DnsTransport
    {
        private static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(50);

        private readonly ConcurrentDictionary<ushort, PendingQuery> _pending = new ConcurrentDictionary<ushort, PendingQuery>();
        private readonly object _gate = new object();
        private readonly Timer _timer;
        private Socket _v4, _v6;
        private bool _ticking;

        private DnsTransport()
        {
            _timer = new Timer(_ => Tick(), null, Timeout.Infinite, Timeout.Infinite);
        }

        /// <summary>The process's transport (its sockets and threads live as long as the process).</summary>
        public static DnsTransport Shared { get; } = new DnsTransport();

        /// <summary>Queries waiting for an answer now.</summary>
        public int Pending => _pending.Count;

        /// <summary>Sends the query (its ID is set here) to the first server and, each time an answer is late, to the next, up
        /// to <paramref name="tries"/> sends in all.</summary>
        public Task<DnsExchange> QueryAsync(byte[] query, IReadOnlyList<IPEndPoint> servers, TimeSpan timeout, int tries, CancellationToken ct)
        {
            if (servers == null || servers.Count == 0)
            {
                throw new ArgumentException("no DNS server to ask", nameof(servers));
            }

            ct.ThrowIfCancellationRequested();
            var p = new PendingQuery(query, servers, timeout, Math.Max(1, tries));
            do
            {
                p.Id = (ushort)RandomNumberGenerator.GetInt32(65536);
            }
            while (!_pending.TryAdd(p.Id, p));
            BinaryPrimitives.WriteUInt16BigEndian(query, p.Id);
            if (ct.CanBeCanceled)
            {
                p.Cancellation = ct.UnsafeRegister(s => Cancel((PendingQuery)s, ct), p);
            }

            EnsureTicking();
            p.Deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            Send(p);
            return p.Completion.Task;
        }

        private void Send(PendingQuery p)
        {
            var server = p.Server;
            try
            {
                SocketFor(server.AddressFamily).SendTo(p.Query, server);
            }
            catch (SocketException)
            {
                // no route, no address family: this try is lost; the timer moves on to the next server or gives up
                p.Deadline = Environment.TickCount64;
            }
        }

        private Socket SocketFor(AddressFamily family)
        {
            var s = family == AddressFamily.InterNetworkV6 ? _v6 : _v4;
            if (s != null)
            {
                return s;
            }

            lock (_gate)
            {
                s = family == AddressFamily.InterNetworkV6 ? _v6 : _v4;
                if (s != null)
                {
                    return s;
                }

                s = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
                s.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
                var loop = new Thread(() => ReceiveLoop(s)) { IsBackground = true, Name = "MailAdmin DNS receive" };
                loop.Start();
                if (family == AddressFamily.InterNetworkV6)
                {
                    _v6 = s;
                }
                else
                {
                    _v4 = s;
                }

                return s;
            }
        }

        private void ReceiveLoop(Socket socket)
        {
            var buffer = new byte[65535];
            var any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            while (true)
            {
                EndPoint from = any;
                int n;
                try
                {
                    n = socket.ReceiveFrom(buffer, ref from);
                }
                catch (SocketException)
                {
                    // an ICMP error for an earlier send, reported on this socket: nothing to match it with; the query's
                    // own timeout deals with it
                    Thread.Sleep(1);
                    continue;
                }
                Deliver(buffer.AsSpan(0, n), (IPEndPoint)from);
            }
        }

        private void Deliver(ReadOnlySpan<byte> message, IPEndPoint from)
        {
            var id = DnsWireResponse.PeekId(message);
            if (id < 0 || !_pending.TryGetValue((ushort)id, out var p) || !p.SentTo(from) || !p.AsksSameQuestion(message))
            {
                return; // late, stray or forged: not an answer to anything asked
            }

            DnsWireResponse r;
            try
            {
                r = DnsWireResponse.Parse(message);
            }
            catch (FormatException)
            {
                Finish(p, new DnsExchange(DnsStatus.ServerFailure, null));
                return;
            }
            if (r.Truncated)
            {
                p.Deadline = long.MaxValue;
                _ = AskOverTcpAsync(p, from);
                return;
            }
            Finish(p, Exchange(r));
        }

        private static DnsExchange Exchange(DnsWireResponse r)
        {
            switch (r.ResponseCode)
            {
                case 0: return new DnsExchange(DnsStatus.NoError, r);
                case 3: return new DnsExchange(DnsStatus.NxDomain, r);
                default: return new DnsExchange(DnsStatus.ServerFailure, r);
            }
        }

        /// <summary>The same question over TCP (two-byte length, then the message: RFC 1035 4.2.2), within the query's timeout.</summary>
        private async Task AskOverTcpAsync(PendingQuery p, IPEndPoint server)
        {
            var result = new DnsExchange(DnsStatus.Timeout, null);
            try
            {
                using (var cts = new CancellationTokenSource(p.Timeout))
                using (var s = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
                {
                    await s.ConnectAsync(server, cts.Token).ConfigureAwait(false);
                    var framed = new byte[p.Query.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)p.Query.Length);
                    p.Query.CopyTo(framed, 2);
                    await s.SendAsync(framed, SocketFlags.None, cts.Token).ConfigureAwait(false);
                    var length = new byte[2];
                    await ReceiveExactlyAsync(s, length, cts.Token).ConfigureAwait(false);
                    var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
                    await ReceiveExactlyAsync(s, answer, cts.Token).ConfigureAwait(false);
                    if (DnsWireResponse.PeekId(answer) == p.Id && p.AsksSameQuestion(answer))
                    {
                        result = Exchange(DnsWireResponse.Parse(answer));
                    }
                }
            }
            catch (Exception e) when (e is SocketException || e is OperationCanceledException || e is FormatException)
            {
                // refused, reset, late or malformed over TCP too: the query ends with what it has
                result = new DnsExchange(e is FormatException ? DnsStatus.ServerFailure : DnsStatus.Timeout, null);
            }
            Finish(p, result);
        }

        private static async Task ReceiveExactlyAsync(Socket s, Memory<byte> buffer, CancellationToken ct)
        {
            while (buffer.Length > 0)
            {
                var n = await s.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new SocketException((int)SocketError.ConnectionReset);
                }

                buffer = buffer.Slice(n);
            }
        }

        private void Finish(PendingQuery p, DnsExchange result)
        {
            if (!_pending.TryRemove(new KeyValuePair<ushort, PendingQuery>(p.Id, p)))
            {
                return; // ended already (answered, timed out or cancelled)
            }

            p.Cancellation.Unregister();
            p.Completion.TrySetResult(result);
        }

        private void Cancel(PendingQuery p, CancellationToken ct)
        {
            if (_pending.TryRemove(new KeyValuePair<ushort, PendingQuery>(p.Id, p)))
            {
                p.Completion.TrySetCanceled(ct);
            }
        }

        /// <summary>Starts the timer if it is stopped. Lock-free when it runs (the common case): the query was added to
        /// _pending before this reads _ticking, and Tick clears _ticking before it looks at _pending, so either Tick sees the
        /// query and keeps running, or this sees the cleared flag and starts it again (under the lock Tick stops it in).</summary>
        private void EnsureTicking()
        {
            if (Volatile.Read(ref _ticking))
            {
                return;
            }

            lock (_gate)
            {
                if (!_ticking)
                {
                    _ticking = true;
                    _timer.Change(TickPeriod, TickPeriod);
                }
            }
        }

        private void Tick()
        {
            var now = Environment.TickCount64;
            foreach (var entry in _pending)
            {
                var p = entry.Value;
                if (p.Deadline > now)
                {
                    continue;
                }

                if (p.Attempt + 1 < p.Tries)
                {
                    p.Attempt++;
                    p.Deadline = now + (long)p.Timeout.TotalMilliseconds;
                    Send(p);
                }
                else
                {
                    Finish(p, new DnsExchange(DnsStatus.Timeout, null));
                }
            }
            lock (_gate)
            {
                Volatile.Write(ref _ticking, false);
                Interlocked.MemoryBarrier();
                if (_pending.IsEmpty)
                {
                    _timer.Change(Timeout.Infinite, Timeout.Infinite);
                }
                else
                {
                    _ticking = true;
                }
            }
        }
    }
}
