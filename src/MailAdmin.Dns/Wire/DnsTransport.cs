using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Dns.Wire
{
    /// <summary>
    /// Sends queries over UDP and matches the answers, for the whole process: a pool of sockets per address family (each on
    /// a source port the kernel picks at random; each query goes out on one picked at random), one thread per pool that
    /// waits for answers and completes the matching query, and one timer that resends or gives up on queries whose answer
    /// is late. An answer counts only when its ID, the server it came from and its question all match (RFC 5452 9.1); IDs are
    /// random. A truncated answer is asked again over TCP (RFC 7766 5); SERVFAIL or REFUSED moves on to the next server
    /// when there is one.
    /// </summary>
    /// <remarks>
    /// Why not DnsClient's transport, which the module used before: a profile of Test-MailDomain over 1,000 domains put about
    /// three quarters of the process's managed CPU in it and in the thread pool it kept busy (a socket per query, a timer and a
    /// task per timeout, a thread-pool hop per answer). Here an answer costs one receive call and no hop: the receive thread
    /// runs the awaiting code itself, so that code must never block (no .Result, no Wait) on this path.
    /// </remarks>
    internal sealed class DnsTransport
    {
        /// <summary>Sockets per address family: the source port is one of this many random ports, chosen per query.</summary>
        private const int PoolSize = 8;

        private static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(50);

        private readonly ConcurrentDictionary<ushort, PendingQuery> _pending = new ConcurrentDictionary<ushort, PendingQuery>();
        private readonly object _gate = new object();
        private readonly Timer _timer;
        private Socket[] _v4, _v6;
        private int _armed;

        private DnsTransport()
        {
            _timer = new Timer(_ => Tick(), null, Timeout.Infinite, Timeout.Infinite);
        }

        /// <summary>The process's transport (its sockets and threads live as long as the process).</summary>
        public static DnsTransport Shared { get; } = new DnsTransport();

        /// <summary>Queries waiting for an answer now.</summary>
        public int Pending => _pending.Count;

        /// <summary>Sends the query (its ID is set here) to the first server and, each time an answer is late (or the server
        /// fails or refuses it), to the next, up to <paramref name="tries"/> sends in all.</summary>
        public Task<DnsExchange> QueryAsync(byte[] query, IReadOnlyList<IPEndPoint> servers, TimeSpan timeout, int tries, CancellationToken ct)
        {
            if (servers == null || servers.Count == 0)
            {
                throw new ArgumentException("no DNS server to ask", nameof(servers));
            }

            ct.ThrowIfCancellationRequested();
            var p = new PendingQuery(query, servers, timeout, Math.Max(1, tries));
            p.Deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            // the query is whole (ID written, deadline set) before the timer or the receive threads can see it
            do
            {
                p.Id = RandomBits.Next16();
                BinaryPrimitives.WriteUInt16BigEndian(query, p.Id);
            }
            while (!_pending.TryAdd(p.Id, p));
            if (ct.CanBeCanceled)
            {
                p.Cancellation = ct.UnsafeRegister(s => Cancel((PendingQuery)s, ct), p);
                if (p.Completion.Task.IsCompleted)
                {
                    p.Cancellation.Unregister();
                }
            }

            EnsureTicking();
            Send(p);
            return p.Completion.Task;
        }

        private void Send(PendingQuery p)
        {
            var server = p.Server;
            try
            {
                var pool = SocketsFor(server.AddressFamily);
                pool[RandomBits.Next16() % pool.Length].SendTo(p.Query, server);
            }
            catch (SocketException)
            {
                // no route, no address family: this try is lost; the timer moves on to the next server or gives up
                p.Deadline = Environment.TickCount64;
            }
        }

        private Socket[] SocketsFor(AddressFamily family)
        {
            var v6 = family == AddressFamily.InterNetworkV6;
            var pool = v6 ? Volatile.Read(ref _v6) : Volatile.Read(ref _v4);
            if (pool != null)
            {
                return pool;
            }

            lock (_gate)
            {
                pool = v6 ? _v6 : _v4;
                if (pool != null)
                {
                    return pool;
                }

                pool = new Socket[PoolSize];
                for (var i = 0; i < PoolSize; i++)
                {
                    var s = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
                    try
                    {
                        s.Bind(new IPEndPoint(v6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
                        // a burst of answers waits in the kernel while the receive thread runs the checks
                        s.ReceiveBufferSize = 4 * 1024 * 1024;
                        if (OperatingSystem.IsWindows())
                        {
                            // SIO_UDP_CONNRESET off: Windows would report an ICMP "port unreachable" as an error on receive
                            s.IOControl(unchecked((int)0x9800000C), new byte[4], null);
                        }
                    }
                    catch (SocketException)
                    {
                        s.Dispose();
                        for (var j = 0; j < i; j++)
                        {
                            pool[j].Dispose();
                        }

                        throw;
                    }
                    pool[i] = s;
                }
                var loop = new Thread(() => ReceiveLoop(pool)) { IsBackground = true, Name = "MailAdmin DNS receive" };
                loop.Start();
                if (v6)
                {
                    _v6 = pool;
                }
                else
                {
                    _v4 = pool;
                }

                return pool;
            }
        }

        /// <summary>One thread reads every socket of a pool: it waits until one holds an answer, then drains it. One thread, not
        /// one a socket: the awaiting code runs here, and several threads running it at once contended for its locks (a
        /// fifth of the CPU in a profile with eight).</summary>
        private void ReceiveLoop(Socket[] pool)
        {
            var buffer = new byte[65535];
            var any = new IPEndPoint(pool[0].AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            var ready = new List<Socket>(pool.Length);
            while (true)
            {
                ready.Clear();
                ready.AddRange(pool);
                try
                {
                    Socket.Select(ready, null, null, -1);
                }
                catch (SocketException e)
                {
                    Trace.WriteLine($"MailAdmin DNS: waiting for answers failed: {e.Message}");
                    Thread.Sleep(10);
                    continue;
                }
                foreach (var socket in ready)
                {
                    do
                    {
                        EndPoint from = any;
                        int n;
                        try
                        {
                            n = socket.ReceiveFrom(buffer, ref from);
                        }
                        catch (SocketException)
                        {
                            // an ICMP error for an earlier send, reported on this socket: nothing to match it with; the
                            // query's own timeout deals with it
                            break;
                        }
                        try
                        {
                            Deliver(buffer.AsSpan(0, n), (IPEndPoint)from);
                        }
                        catch (Exception e) when (!(e is OutOfMemoryException))
                        {
                            // this thread serves every query of the process: one bad answer must not end it
                            Trace.WriteLine($"MailAdmin DNS: an answer from {from} was dropped: {e.GetType().Name}: {e.Message}");
                        }
                    }
                    while (socket.Available > 0);
                }
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
                if (p.HandOverToTcp())
                {
                    _ = AskOverTcpAsync(p, from);
                }

                return;
            }
            if ((r.ResponseCode == 2 || r.ResponseCode == 5) && r.ExtendedError == null && p.Servers.Count > 1 && p.TryNext())
            {
                // SERVFAIL or REFUSED from this server (without an Extended DNS Error, which is the answer itself, e.g. a
                // bogus DNSSEC zone): the next server may answer
                p.Deadline = Environment.TickCount64 + (long)p.Timeout.TotalMilliseconds;
                Send(p);
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
            finally
            {
                Finish(p, result);
            }
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

        /// <summary>Arms the one-shot timer unless a tick is armed or running. A tick re-arms it at its end while queries are
        /// pending, so ticks never overlap, and a query added while a tick ends is seen either by that tick's last look at
        /// _pending or by this method's compare-and-swap (both sides are fenced).</summary>
        private void EnsureTicking()
        {
            if (Interlocked.CompareExchange(ref _armed, 1, 0) == 0)
            {
                _timer.Change(TickPeriod, Timeout.InfiniteTimeSpan);
            }
        }

        private void Tick()
        {
            try
            {
                // first see which tries are late, then act: finishing a query runs its awaiting code here, which takes time
                var late = new List<PendingQuery>();
                var now = Environment.TickCount64;
                foreach (var entry in _pending)
                {
                    if (entry.Value.Deadline <= now)
                    {
                        late.Add(entry.Value);
                    }
                }

                foreach (var p in late)
                {
                    if (p.TryNext())
                    {
                        p.Deadline = Environment.TickCount64 + (long)p.Timeout.TotalMilliseconds;
                        Send(p);
                    }
                    else if (!p.OverTcp)
                    {
                        Finish(p, new DnsExchange(DnsStatus.Timeout, null));
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _armed, 0);
                Interlocked.MemoryBarrier();
                if (!_pending.IsEmpty)
                {
                    EnsureTicking();
                }
            }
        }
    }
}
