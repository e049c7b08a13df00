using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailAdmin.Dns.Tests.Wire;

/// <summary>
/// A DNS peer on 127.0.0.1 (UDP and TCP on one port) whose answers a test scripts: for each query it calls Respond, which
/// returns the datagrams to send back (none: stay silent). Queries it saw are kept. Answers are built with Answer.
/// </summary>
public sealed class ScriptedDnsServer : IDisposable
{
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();

    public ScriptedDnsServer(
        Func<byte[], Socket, IPEndPoint, IEnumerable<byte[]>> respond, Func<byte[], byte[]> respondTcp = null, IPAddress address = null)
    {
        Respond = respond;
        RespondTcp = respondTcp;
        address ??= IPAddress.Loopback;
        _udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _udp.Bind(new IPEndPoint(address, 0));
        EndPoint = (IPEndPoint)_udp.LocalEndPoint;
        _tcp = new TcpListener(EndPoint);
        _tcp.Start();
        _ = Task.Run(UdpLoop);
        _ = Task.Run(TcpLoop);
    }

    public IPEndPoint EndPoint { get; }

    public List<byte[]> Queries { get; } = new();

    public int TcpQueries;

    private Func<byte[], Socket, IPEndPoint, IEnumerable<byte[]>> Respond { get; }

    private Func<byte[], byte[]> RespondTcp { get; }

    private async Task UdpLoop()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                var any = new IPEndPoint(_udp.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
                r = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            var query = buffer.AsSpan(0, r.ReceivedBytes).ToArray();
            lock (Queries)
            {
                Queries.Add(query);
            }

            foreach (var answer in Respond(query, _udp, (IPEndPoint)r.RemoteEndPoint))
            {
                await _udp.SendToAsync(answer, SocketFlags.None, r.RemoteEndPoint);
            }
        }
    }

    private async Task TcpLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient c;
            try
            {
                c = await _tcp.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            using (c)
            {
                var s = c.GetStream();
                var len = new byte[2];
                await s.ReadExactlyAsync(len);
                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(len)];
                await s.ReadExactlyAsync(query);
                Interlocked.Increment(ref TcpQueries);
                var answer = RespondTcp(query);
                var framed = new byte[answer.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)answer.Length);
                answer.CopyTo(framed, 2);
                await s.WriteAsync(framed);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Stop();
    }

    /// <summary>The query's name (dotted, as on the wire) and type.</summary>
    public static (string name, int type) Question(byte[] query)
    {
        var labels = new List<string>();
        var at = 12;
        while (query[at] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(query, at + 1, query[at]));
            at += 1 + query[at];
        }
        return (string.Join(".", labels), BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(at + 1)));
    }

    /// <summary>An answer to the query: its ID and question echoed, the flags and rcode given, then the records. Each record
    /// is (type, rdata); its owner is a compression pointer to the question name (offset 12).</summary>
    public static byte[] Answer(byte[] query, int rcode, IEnumerable<(int type, byte[] data)> records,
        bool truncated = false, bool authenticated = false, byte[] optData = null)
    {
        var questionEnd = 12;
        while (query[questionEnd] != 0)
        {
            questionEnd += 1 + query[questionEnd];
        }
        questionEnd += 5;
        var m = new List<byte>(query.AsSpan(0, questionEnd).ToArray());
        m[2] = (byte)(0x81 | (truncated ? 0x02 : 0));                         // QR, RD (+TC)
        m[3] = (byte)(0x80 | (authenticated ? 0x20 : 0) | rcode);              // RA (+AD), RCODE
        var list = records.ToList();
        m[6] = (byte)(list.Count >> 8);
        m[7] = (byte)list.Count;
        m[8] = 0;
        m[9] = 0;
        m[10] = 0;
        m[11] = (byte)(optData == null ? 0 : 1);
        foreach (var (type, data) in list)
        {
            m.AddRange(new byte[] { 0xC0, 12, (byte)(type >> 8), (byte)type, 0, 1, 0, 0, 1, 44, (byte)(data.Length >> 8), (byte)data.Length });
            m.AddRange(data);
        }
        if (optData != null)
        {
            m.AddRange(new byte[] { 0, 0, 41, 4, 208, 0, 0, 0x80, 0, (byte)(optData.Length >> 8), (byte)optData.Length });
            m.AddRange(optData);
        }
        return m.ToArray();
    }

    /// <summary>A name in wire form, uncompressed.</summary>
    public static byte[] Name(string name)
    {
        var b = new List<byte>();
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            b.Add((byte)label.Length);
            b.AddRange(Encoding.ASCII.GetBytes(label));
        }
        b.Add(0);
        return b.ToArray();
    }

    /// <summary>TXT data of the character-strings given.</summary>
    public static byte[] Txt(params string[] strings)
        => strings.SelectMany(s => new[] { (byte)Encoding.UTF8.GetByteCount(s) }.Concat(Encoding.UTF8.GetBytes(s))).ToArray();
}
