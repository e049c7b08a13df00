using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailAdmin.Dns.Wire;
using Xunit;
using static MailAdmin.Dns.Tests.Wire.ScriptedDnsServer;

namespace MailAdmin.Dns.Tests.Wire;

/// <summary>The resolver's own transport against a scripted DNS peer on loopback: what it sends, which answers it takes
/// (and which forged or stray ones it ignores), TCP after truncation, retries to the next server, timeouts, malformed
/// answers and cancellation. PowerDNS covers the same path end to end in the Pester suite.</summary>
public class DnsTransportTests
{
    private static DnsResolver Resolver(TimeSpan timeout, int retries, params IPEndPoint[] servers) => new(servers, timeout, retries);

    // tests that expect an answer wait long (a loaded machine must not turn an answer into a timeout); tests of timeouts
    // give the silent server a short one
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(300);

    // serial 5, refresh 3600, retry 1800, expire 1209600, minimum 300
    private static readonly byte[] SoaNumbers = { 0, 0, 0, 5, 0, 0, 14, 16, 0, 0, 7, 8, 0, 18, 117, 0, 0, 0, 1, 44 };

    [Fact]
    public async Task Sends_one_question_with_edns_do_and_reads_every_record_type_the_checks_use()
    {
        byte[] Respond(byte[] q)
        {
            var (name, type) = Question(q);
            var data = type switch
            {
                16 => new[] { (16, Txt("v=spf1 ", "-all")) },
                15 => new[] { (15, new byte[] { 0, 10, 0xC0, 12 }) },                 // MX 10 <the question name>, compressed
                1 => new[] { (1, new byte[] { 192, 0, 2, 7 }) },
                28 => new[] { (28, IPAddress.Parse("2001:db8::7").GetAddressBytes()) },
                6 => new[] { (6, Name("ns1.x.test").Concat(Name("hostmaster.x.test")).Concat(SoaNumbers).ToArray()) },
                257 => new[] { (257, new byte[] { 0, 5 }.Concat(Encoding.ASCII.GetBytes("issueletsencrypt.org")).ToArray()) },
                52 => new[] { (52, new byte[] { 3, 1, 1, 0xAB, 0xCD }) },
                33 => new[] { (33, new byte[] { 0, 5, 0, 0, 3, 225 }.Concat(Name("imap.x.test")).ToArray()) },
                43 => new[] { (43, new byte[] { 0x30, 0x39, 13, 2, 0xDE, 0xAD }) },
                _ => Array.Empty<(int, byte[])>(),
            };
            return Answer(q, 0, data, authenticated: type == 16);
        }
        using var server = new ScriptedDnsServer((q, _, _) => new[] { Respond(q) });
        var r = Resolver(Patient, 0, server.EndPoint);

        var txt = await r.TxtAsync("X.test.", CancellationToken.None);
        Assert.Equal(DnsStatus.NoError, txt.Status);
        Assert.Equal(new[] { "v=spf1 -all" }, txt.Records);
        Assert.True(txt.Authenticated);
        Assert.Equal("192.0.2.7:" + server.EndPoint.Port, r.Servers.Single().Replace("127.0.0.1", "192.0.2.7"));
        var mx = Assert.Single((await r.MxAsync("x.test", CancellationToken.None)).Records);
        Assert.Equal((10, "x.test"), (mx.Preference, mx.Exchange));
        Assert.Equal(IPAddress.Parse("192.0.2.7"), Assert.Single((await r.AddressAsync("x.test", false, CancellationToken.None)).Records));
        Assert.Equal(IPAddress.Parse("2001:db8::7"), Assert.Single((await r.AddressAsync("x.test", true, CancellationToken.None)).Records));
        Assert.Equal("ns1.x.test. hostmaster.x.test. 5 3600 1800 1209600 300", Assert.Single((await r.SoaAsync("x.test", CancellationToken.None)).Records));
        Assert.Equal("0 issue \"letsencrypt.org\"", Assert.Single((await r.QueryAsync("x.test", "CAA", CancellationToken.None)).Records));
        Assert.Equal("3 1 1 abcd", Assert.Single((await r.TlsaAsync("_25._tcp.x.test", CancellationToken.None)).Records));
        Assert.Equal("5 0 993 imap.x.test", Assert.Single((await r.QueryAsync("_imaps._tcp.x.test", "SRV", CancellationToken.None)).Records));
        Assert.Equal("12345 13 2 DEAD", Assert.Single((await r.QueryAsync("x.test", "DS", CancellationToken.None)).Records));

        // what went out: one question, RD, and an OPT record offering 1232 bytes with DO set
        var sent = server.Queries[0];
        Assert.Equal(("X.test", 16), Question(sent));
        Assert.Equal(0x01, sent[2]);
        Assert.Equal(new byte[] { 0, 1, 0, 0, 0, 0, 0, 1 }, sent.AsSpan(4, 8).ToArray());
        var opt = sent.AsSpan(sent.Length - 11).ToArray();
        Assert.Equal(new byte[] { 0, 0, 41, 4, 208, 0, 0, 0x80, 0, 0, 0 }, opt);
        // IDs are not a counter
        Assert.True(server.Queries.Select(q => BinaryPrimitives.ReadUInt16BigEndian(q)).Distinct().Count() >= server.Queries.Count - 1);
    }

    [Fact]
    public async Task Ignores_answers_with_another_id_question_or_source_and_takes_the_real_one()
    {
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var server = new ScriptedDnsServer((q, udp, client) =>
        {
            var wrongId = Answer(q, 0, new[] { (16, Txt("forged: wrong id")) });
            wrongId[0] ^= 0xFF;
            var otherName = (byte[])q.Clone();
            otherName[13] = (byte)'z';                                       // first letter of the name
            var wrongQuestion = Answer(otherName, 0, new[] { (16, Txt("forged: wrong question")) });
            // from another port of the same host: not the server asked
            stranger.SendTo(Answer(q, 0, new[] { (16, Txt("forged: wrong source")) }), client);
            Thread.Sleep(20);
            return new[] { wrongId, wrongQuestion, Answer(q, 0, new[] { (16, Txt("real")) }) };
        });
        var a = await Resolver(Patient, 0, server.EndPoint).TxtAsync("forge.test", CancellationToken.None);
        Assert.Equal(new[] { "real" }, a.Records);
    }

    [Fact]
    public async Task Asks_again_over_tcp_when_the_udp_answer_is_truncated()
    {
        var big = new string('k', 250);   // a character-string holds 255 bytes at most; five make more than 1,232
        using var server = new ScriptedDnsServer(
            (q, _, _) => new[] { Answer(q, 0, Array.Empty<(int, byte[])>(), truncated: true) },
            q => Answer(q, 0, new[] { (16, Txt(big, big, big, big, big)) }));
        var a = await Resolver(Patient, 0, server.EndPoint).TxtAsync("big.test", CancellationToken.None);
        Assert.Equal(DnsStatus.NoError, a.Status);
        Assert.Equal(string.Concat(Enumerable.Repeat(big, 5)), Assert.Single(a.Records));
        Assert.Equal(1, server.TcpQueries);
    }

    [Fact]
    public async Task Sends_the_next_try_to_the_next_server_when_an_answer_is_late()
    {
        using var silent = new ScriptedDnsServer((_, _, _) => Array.Empty<byte[]>());
        using var good = new ScriptedDnsServer((q, _, _) => new[] { Answer(q, 0, new[] { (16, Txt("from the second")) }) });
        var wait = TimeSpan.FromSeconds(1);
        var sw = Stopwatch.StartNew();
        var a = await Resolver(wait, 1, silent.EndPoint, good.EndPoint).TxtAsync("retry.test", CancellationToken.None);
        Assert.Equal(new[] { "from the second" }, a.Records);
        Assert.True(sw.Elapsed >= wait, $"the second server was asked after {sw.Elapsed}, before the first one's answer was late");
        Assert.Single(silent.Queries);
        Assert.Single(good.Queries);
    }

    [Fact]
    public async Task Gives_up_with_timeout_after_every_try()
    {
        using var silent = new ScriptedDnsServer((_, _, _) => Array.Empty<byte[]>());
        var sw = Stopwatch.StartNew();
        var a = await Resolver(Quick, 2, silent.EndPoint).TxtAsync("late.test", CancellationToken.None);
        Assert.Equal(DnsStatus.Timeout, a.Status);
        Assert.Empty(a.Records);
        Assert.Equal(3, silent.Queries.Count);
        Assert.True(sw.Elapsed >= Quick * 3, $"gave up after {sw.Elapsed}, before three tries of {Quick}");
    }

    [Fact]
    public async Task Reports_nxdomain_and_server_failure_and_a_malformed_answer_as_failure()
    {
        using var server = new ScriptedDnsServer((q, _, _) =>
        {
            var name = Question(q).name;
            if (name.StartsWith("nx"))
            {
                return new[] { Answer(q, 3, Array.Empty<(int, byte[])>()) };
            }

            if (name.StartsWith("fail"))
            {
                return new[] { Answer(q, 2, Array.Empty<(int, byte[])>(), optData: new byte[] { 0, 15, 0, 6, 0, 6, (byte)'b', (byte)'a', (byte)'d', 0 }) };
            }

            // an MX whose exchange points at itself: a compression loop
            var loop = Answer(q, 0, new[] { (15, new byte[] { 0, 10, 0xC0, 0 }) });
            var at = loop.Length - 2;
            loop[at] = (byte)(0xC0 | (at >> 8));
            loop[at + 1] = (byte)at;
            return new[] { loop };
        });
        var r = Resolver(Patient, 0, server.EndPoint);
        Assert.Equal(DnsStatus.NxDomain, (await r.TxtAsync("nx.test", CancellationToken.None)).Status);
        var fail = await r.TxtAsync("fail.test", CancellationToken.None);
        Assert.Equal(DnsStatus.ServerFailure, fail.Status);
        Assert.Equal("6 DNSSEC Bogus: bad", fail.ExtendedError);
        var loop = await r.MxAsync("loop.test", CancellationToken.None);
        Assert.Equal(DnsStatus.ServerFailure, loop.Status);
    }

    [Fact]
    public async Task Sends_unicode_names_as_their_a_labels_and_never_sends_a_name_dns_cannot_carry()
    {
        using var server = new ScriptedDnsServer((q, _, _) => new[] { Answer(q, 0, new[] { (16, Txt("ok")) }) });
        var r = Resolver(Patient, 0, server.EndPoint);
        Assert.Equal(new[] { "ok" }, (await r.TxtAsync("_dmarc.例子.测试", CancellationToken.None)).Records);
        Assert.Equal("_dmarc.xn--fsqu00a.xn--0zwm56d", Question(server.Queries.Single()).name);
        Assert.Equal(DnsStatus.NxDomain, (await r.TxtAsync(new string('a', 64) + ".test", CancellationToken.None)).Status);
        Assert.Equal(DnsStatus.NxDomain, (await r.TxtAsync("a..test", CancellationToken.None)).Status);
        Assert.Single(server.Queries);
    }

    [Fact]
    public async Task Asks_an_ipv6_server_over_its_own_socket_and_moves_on_to_an_ipv4_one()
    {
        using var v4 = new ScriptedDnsServer((q, _, _) => new[] { Answer(q, 0, new[] { (16, Txt("over IPv4")) }) });
        ScriptedDnsServer v6 = null;
        try
        {
            v6 = new ScriptedDnsServer((q, _, _) => new[] { Answer(q, 0, new[] { (16, Txt("over IPv6")) }) }, address: IPAddress.IPv6Loopback);
        }
        catch (SocketException)
        {
            // a machine without ::1: a send to an IPv6 server fails at once, and the next server is asked without waiting
            // for the timeout
            var sw = Stopwatch.StartNew();
            var moved = await Resolver(TimeSpan.FromSeconds(5), 1, new IPEndPoint(IPAddress.IPv6Loopback, 53), v4.EndPoint)
                .TxtAsync("mixed.test", CancellationToken.None);
            Assert.Equal(new[] { "over IPv4" }, moved.Records);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"took {sw.Elapsed}");
            return;
        }
        using (v6)
        {
            var a = await Resolver(Patient, 0, v6.EndPoint).TxtAsync("six.test", CancellationToken.None);
            Assert.Equal(new[] { "over IPv6" }, a.Records);
            Assert.Equal($"[::1]:{v6.EndPoint.Port}", Resolver(Patient, 0, v6.EndPoint).Servers.Single());
        }

        using var silent6 = new ScriptedDnsServer((_, _, _) => Array.Empty<byte[]>(), address: IPAddress.IPv6Loopback);
        var b = await Resolver(TimeSpan.FromSeconds(1), 1, silent6.EndPoint, v4.EndPoint).TxtAsync("mixed.test", CancellationToken.None);
        Assert.Equal(new[] { "over IPv4" }, b.Records);
    }

    [Fact]
    public async Task Moves_on_to_the_next_server_on_refused_or_servfail_but_keeps_a_servfail_that_explains_itself()
    {
        using var refusing = new ScriptedDnsServer((q, _, _) => new[] { Answer(q, 5, Array.Empty<(int, byte[])>()) });
        using var good = new ScriptedDnsServer((q, _, _) => new[] { Answer(q, 0, new[] { (16, Txt("from the second")) }) });
        var a = await Resolver(Patient, 1, refusing.EndPoint, good.EndPoint).TxtAsync("refused.test", CancellationToken.None);
        Assert.Equal(new[] { "from the second" }, a.Records);

        // a SERVFAIL with an Extended DNS Error (a validating resolver's "DNSSEC Bogus") is the answer, not a server's failure
        using var bogus = new ScriptedDnsServer((q, _, _) => new[]
        {
            Answer(q, 2, Array.Empty<(int, byte[])>(), optData: new byte[] { 0, 15, 0, 2, 0, 6 }),
        });
        using var other = new ScriptedDnsServer((q, _, _) => new[] { Answer(q, 0, new[] { (16, Txt("should not be asked")) }) });
        var b = await Resolver(Patient, 1, bogus.EndPoint, other.EndPoint).TxtAsync("bogus.test", CancellationToken.None);
        Assert.Equal(DnsStatus.ServerFailure, b.Status);
        Assert.Equal("6 DNSSEC Bogus", b.ExtendedError);
        Assert.Empty(other.Queries);
    }

    [Fact]
    public async Task Keeps_a_utf8_character_whole_when_a_txt_record_splits_it_and_matches_an_idn_alias()
    {
        var bytes = Encoding.UTF8.GetBytes("v=spf1 例 -all");
        var split = Array.IndexOf(bytes, (byte)0xE4) + 1;                   // inside the three bytes of 例
        var txt = new[] { (byte)split }.Concat(bytes.Take(split)).Concat(new[] { (byte)(bytes.Length - split) }).Concat(bytes.Skip(split)).ToArray();
        using var server = new ScriptedDnsServer((q, _, _) => new[]
        {
            Question(q).type == 5 ? Answer(q, 0, new[] { (5, Name("target.test")) }) : Answer(q, 0, new[] { (16, txt) }),
        });
        var r = Resolver(Patient, 0, server.EndPoint);
        Assert.Equal("v=spf1 例 -all", Assert.Single((await r.TxtAsync("split.test", CancellationToken.None)).Records));
        Assert.Equal("target.test", Assert.Single((await r.CnameAsync("www.例子.测试", CancellationToken.None)).Records));
    }

    [Fact]
    public async Task Never_times_out_a_query_before_its_timeout_however_many_are_sent_at_once()
    {
        // the reviewer's race: a query visible to the timer before its deadline was set ended at once as a timeout
        using var silent = new ScriptedDnsServer((_, _, _) => Array.Empty<byte[]>());
        using var cts = new CancellationTokenSource();
        var r = Resolver(TimeSpan.FromSeconds(30), 0, silent.EndPoint);
        var asks = await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            Enumerable.Range(0, 4000).Select(i => r.TxtAsync($"t{t}-{i}.test", cts.Token)).ToArray())));
        await Task.Delay(500);
        var all = asks.SelectMany(a => a).ToArray();
        var early = all.Where(t => t.IsCompleted).ToArray();
        Assert.True(early.Length == 0, $"{early.Length} of {all.Length} queries ended before their 30 s timeout");
        cts.Cancel();
        foreach (var t in all)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t);
        }
        Assert.Equal(0, DnsTransport.Shared.Pending);
    }

    [Fact]
    public async Task Stops_waiting_when_cancelled()
    {
        using var silent = new ScriptedDnsServer((_, _, _) => Array.Empty<byte[]>());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Resolver(TimeSpan.FromSeconds(5), 2, silent.EndPoint).TxtAsync("cancel.test", cts.Token));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task Keeps_many_questions_apart_when_answers_come_back_out_of_order()
    {
        // answers held back and sent in reverse order, so no answer arrives in the order asked
        var held = new List<(byte[] answer, EndPoint to)>();
        Socket udp = null;
        using var server = new ScriptedDnsServer((q, s, client) =>
        {
            udp = s;
            lock (held)
            {
                held.Add((Answer(q, 0, new[] { (16, Txt("for " + Question(q).name)) }), client));
            }
            return Array.Empty<byte[]>();
        });
        var r = Resolver(TimeSpan.FromSeconds(5), 0, server.EndPoint);
        var asks = Enumerable.Range(0, 200).Select(i => r.TxtAsync($"n{i}.test", CancellationToken.None)).ToArray();
        while (true)
        {
            lock (held)
            {
                if (held.Count == 200)
                {
                    break;
                }
            }
            await Task.Delay(10);
        }
        for (var i = held.Count - 1; i >= 0; i--)
        {
            udp.SendTo(held[i].answer, held[i].to);
        }
        var answers = await Task.WhenAll(asks);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal($"for n{i}.test", Assert.Single(answers[i].Records));
        }
        Assert.Equal(0, DnsTransport.Shared.Pending);
    }

    [Fact]
    public void Reader_refuses_forward_pointers_and_names_past_the_message()
    {
        var forward = new byte[] { 0xC0, 2, 1, (byte)'a', 0 };
        Assert.Throws<FormatException>(() => new DnsWireReader(forward, 0).ReadName());
        var shortLabel = new byte[] { 5, (byte)'a', (byte)'b' };
        Assert.Throws<FormatException>(() => new DnsWireReader(shortLabel, 0).ReadName());
        var escaped = new byte[] { 3, (byte)'a', (byte)'.', 200, 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0 };
        Assert.Equal("a\\.\\200.test", new DnsWireReader(escaped, 0).ReadName());
    }
}
