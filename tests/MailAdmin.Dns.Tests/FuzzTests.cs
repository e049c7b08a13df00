using System.Text;
using MailAdmin.Dns.Checks;
using MailAdmin.Dns.Spf;
using Xunit;
using Xunit.Abstractions;

namespace MailAdmin.Dns.Tests;

/// <summary>Random and mutated records into every parser: no exception may escape (only SPF's own syntax error, which is its result).</summary>
public class FuzzTests
{
    private readonly ITestOutputHelper _out;
    public FuzzTests(ITestOutputHelper output) => _out = output;

    private static readonly string[] Seeds =
    {
        "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a mx:example.com/24//64 include:_spf.example.net exists:%{i}.%{l1r+-}.e.example ptr ~all exp=exp.%{d} redirect=x.example",
        "v=spf1 a:%{d2}.example.com -all", "v=spf1 include:spf.protection.outlook.com -all", "v=spf1 +all", "v=spf1 ?all", "v=spf1 a//64 mx/24 -all",
        "v=DMARC1; p=reject; sp=quarantine; np=reject; pct=50; adkim=s; aspf=r; fo=1:d:s; rf=afrf; ri=86400; rua=mailto:a@example.com,mailto:b@x.example!10m; ruf=mailto:f@example.com; psd=n; t=y",
        "v=DKIM1; k=rsa; h=sha256:sha1; t=y:s; s=email; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoXPlLBQJo0uKzhN9ETn6xb5Y06GjiVwcLyHWqH0eEj7oZlfJY8mP5hQH9m8eK0F7s0w7s9jk6Q3vSUBFH8TPAv0OKPz5d7mFaQHLc7G4C0tz8dqKk4xj2V1T+ijYyGuV3yR0qR8z2SHlHg4fZ4uYqJXbZUq1Jz3U5a5Kc3bC3yJbQ2sFvR1O7s6v2b4Uo3c9Y8d7W5a3n1L2l0K9x8w6e4r2t0y1u3i5o7p9a1s3d5f7g9h1j3k5l7z9x1c3v5b7n9m1Q3W5E7R9T1Y3U5I7O9P1A3S5D7F9G1H3J5K7L9Z1X3C5V7B9N1M3qwIDAQAB",
        "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        "v=STSv1; id=20240101000000;", "v=TLSRPTv1; rua=mailto:tls@example.com,https://report.example.com/tls",
        "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" baseProfile=\"tiny-ps\" viewBox=\"0 0 100 100\"><title>Brand</title><circle r=\"4\"/></svg>",
    };

    private static string Mutate(Random r, string s)
    {
        var sb = new StringBuilder(s);
        var ops = r.Next(1, 6);
        for (var i = 0; i < ops; i++)
        {
            var pos = sb.Length == 0 ? 0 : r.Next(sb.Length);
            switch (r.Next(6))
            {
                case 0: if (sb.Length > 0) sb.Remove(pos, Math.Min(sb.Length - pos, r.Next(1, 8))); break;
                case 1: sb.Insert(pos, (char)r.Next(0, 0x250)); break;
                case 2: sb.Insert(pos, " ;:=/%{}.-+~?!,"[r.Next(15)]); break;
                case 3: if (sb.Length > 0) sb[pos] = (char)r.Next(32, 127); break;
                case 4: sb.Insert(pos, sb.ToString(0, Math.Min(sb.Length, r.Next(0, 20)))); break;
                case 5: sb.Insert(pos, new[] { "%{", "}", "//", "/99", "all", "include:", "p=", "v=", "\r\n", "mx:", "max_age:", "=" }[r.Next(12)]); break;
            }
        }
        return sb.ToString();
    }

    private static string Random(Random r)
    {
        var n = r.Next(0, 120);
        var sb = new StringBuilder();
        for (var i = 0; i < n; i++) sb.Append(r.Next(4) == 0 ? (char)r.Next(0, 0x3000) : (char)r.Next(32, 127));
        return sb.ToString();
    }

    [Fact]
    public void Parsers_survive_100000_random_and_mutated_records()
    {
        var r = new Random(20261127);
        var count = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var seed = Seeds[r.Next(Seeds.Length)];
            var input = r.Next(5) == 0 ? Random(r) : Mutate(r, seed);
            if (r.Next(3) == 0 && !input.StartsWith("v=spf1")) input = "v=spf1 " + input;
            try { SpfRecord.Parse(input); } catch (SpfSyntaxException) { }
            var sink = new CheckSink();
            DmarcCheck.Validate(input, sink);
            DkimCheck.CheckKey("s", "s._domainkey.example.com", input, sink);
            MtaStsRecordCheck.CheckMtaStsTxt(input, sink);
            TlsRptCheck.CheckTlsRpt(input, sink);
            MtaStsPolicy.Parse(input, sink);
            MtaStsPolicy.Matches(input, "mail.example.com");
            BimiFetcher.CheckSvg("https://x.example/l.svg", input, sink);
            BimiFetcher.EmbeddedSvg(Encoding.UTF8.GetBytes("data:image/svg+xml;base64," + input));
            count++;
        }
        _out.WriteLine($"{count} inputs through 8 parsers without an exception");
        Assert.Equal(100_000, count);
    }

    [Fact]
    public async Task Spf_evaluation_of_mutated_records_ends_in_a_result()
    {
        var r = new Random(7208);
        for (var i = 0; i < 5_000; i++)
        {
            var zone = new ZoneResolver();
            zone["example.com"].Txt.Add(Mutate(r, Seeds[r.Next(6)]));
            zone["_spf.example.net"].Txt.Add(Mutate(r, Seeds[r.Next(6)]));
            zone["example.com"].A.Add(System.Net.IPAddress.Parse("192.0.2.1"));
            var eval = await new SpfEvaluator(zone).CheckHostAsync(System.Net.IPAddress.Parse("192.0.2.1"), "a@example.com", "mail.example.com");
            Assert.True(Enum.IsDefined(eval.Result));
        }
    }
}
