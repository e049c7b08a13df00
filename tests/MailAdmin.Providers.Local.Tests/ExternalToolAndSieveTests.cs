using System.Diagnostics;
using MailAdmin.Models;
using Xunit;

namespace MailAdmin.Providers.Local.Tests;

/// <summary>Issue 12: the external-tool runner and Sieve escaping.</summary>
public class ExternalToolAndSieveTests
{
    [Fact]
    public void Tool_arguments_keep_backslashes_quotes_and_spaces()
    {
        var (code, output) = DovecotTools.Run("/bin/echo", null, @"a\b c", @"d\\""e", "-n x");
        Assert.Equal(0, code);
        Assert.Equal(@"a\b c d\\""e -n x", output);
    }

    [Fact]
    public void A_hung_tool_is_stopped_at_the_timeout()
    {
        var old = DovecotTools.Timeout;
        DovecotTools.Timeout = TimeSpan.FromSeconds(2);
        try
        {
            var sw = Stopwatch.StartNew();
            var (code, output) = DovecotTools.Run("/bin/sh", null, "-c", "exec sleep 20");
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
            Assert.Equal(-1, code);
            Assert.Contains("did not finish", output);
        }
        finally { DovecotTools.Timeout = old; }
    }

    [Fact]
    public void A_tool_that_reads_its_input_gets_it_all()
    {
        var (code, output) = DovecotTools.Run("/bin/cat", "line 1\n$HOME \\n ${X}\n");
        Assert.Equal(0, code);
        Assert.Equal("line 1\n$HOME \\n ${X}", output);
    }

    [Fact]
    public void Admin_text_is_not_expanded_as_sieve_variables()
    {
        var script = SieveCompiler.Compile(new SieveInput
        {
            Mailbox = "a@contoso.com",
            AutoReply = new MailAutoReply { Enabled = true, Subject = "Away ${subject}", Body = "code ${X} and ${1} and $5 and ${" },
            Rules = new[] { new MailRule { Name = "r", Enabled = true, SubjectContains = new[] { "${x}" }, MoveToFolder = "F ${y}" } },
        });
        // no admin string carries a "${" that Sieve's variables extension would expand
        foreach (var literal in new[] { "${X}", "${1}", "${subject}", "${x}", "${y}" }) Assert.DoesNotContain(literal, script);
        Assert.Contains("set \"dollar\" \"$\";", script);
        Assert.Contains("code ${dollar}{X} and ${dollar}{1} and $5 and ${dollar}{", script);
    }

    [Fact]
    public void The_vacation_reply_says_what_the_admin_wrote()
    {
        if (!File.Exists("/usr/bin/sieve-test")) throw new InvalidOperationException("sieve-test (dovecot-sieve) is needed for this test");
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ma-sieve-" + Guid.NewGuid().ToString("n"))).FullName;
        try
        {
            var script = SieveCompiler.Compile(new SieveInput
            {
                Mailbox = "a@contoso.com",
                AutoReply = new MailAutoReply { Enabled = true, Subject = "S", Body = "code ${X} end" },
            });
            File.WriteAllText(Path.Combine(dir, "s.sieve"), script);
            File.WriteAllText(Path.Combine(dir, "m.eml"), "From: b@fabrikam.com\r\nTo: a@contoso.com\r\nSubject: hi\r\nMessage-ID: <1@fabrikam.com>\r\n\r\nhello\r\n");
            File.WriteAllText(Path.Combine(dir, "dovecot.conf"), $"mail_location = maildir:{dir}/Maildir\nprotocols =\n");
            foreach (var f in Directory.GetFiles(dir)) File.SetUnixFileMode(f, (UnixFileMode)Convert.ToInt32("644", 8));
            File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("777", 8));
            // sieve-test refuses to run as root: run it as nobody
            var (code, output) = DovecotTools.Run("/usr/sbin/runuser", null, "-u", "nobody", "--", "env", "HOME=" + dir, "/usr/bin/sieve-test", "-c", Path.Combine(dir, "dovecot.conf"),
                "-a", "a@contoso.com", "-r", "a@contoso.com", "-f", "b@fabrikam.com", Path.Combine(dir, "s.sieve"), Path.Combine(dir, "m.eml"));
            Assert.True(code == 0, output);
            // sieve-test prints the reply's body on a line of its own
            Assert.Contains(output.Split('\n'), l => l.Trim() == "code ${X} end");
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary>Issue 12: the security report finds the logins of mailboxes on internationalised domains.</summary>
public class SecurityReportLoginTests : IClassFixture<StoreFixture>
{
    private readonly StoreFixture _f;
    public SecurityReportLoginTests(StoreFixture f) => _f = f;

    [Fact]
    public async Task A_mailbox_on_an_idn_domain_that_signed_in_is_not_reported_as_never_signed_in()
    {
        var path = Path.Combine(_f.Dir, Guid.NewGuid().ToString("n") + ".db");
        var p = new LocalMailProvider(path);
        await p.SetSecurityPolicyAsync(null, new MailSecurityPolicyUpdate { PasswordHashCost = 4 }, default);
        await p.AddDomainAsync("例子.测试", null, default);
        var m = await p.CreateMailboxAsync(new MailboxCreateRequest { Address = "li@例子.测试", DisplayName = "Li", Password = new SecretText("Str0ng-Passw0rd") }, default);
        Assert.Equal("li@例子.测试", m.Address);
        // Dovecot records the login name, the ASCII form
        var logins = ServerConfigWriter.LoginsPathFor(path);
        LastLogins.CreateStore(logins);
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={logins};Pooling=false"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"INSERT INTO last_login VALUES ('li@xn--fsqu00a.xn--0zwm56d', {DateTimeOffset.UtcNow.ToUnixTimeSeconds()})";
            cmd.ExecuteNonQuery();
        }
        var findings = await MailAdmin.Reports.SecurityReportBuilder.BuildAsync(p, 365, DateTime.UtcNow.AddDays(60), null, null, default); // the mailbox is 60 days old then
        Assert.DoesNotContain(findings, f => f.Category == MailAdmin.Reports.SecurityReportBuilder.NeverSignedIn && f.Target == m.Address);
        Assert.DoesNotContain(findings, f => f.Category == MailAdmin.Reports.SecurityReportBuilder.Dormant && f.Target == m.Address);
    }
}

/// <summary>Issue 12: a group nested in a group open to Anyone would take mail from anyone, whatever its own WhoCanSend.</summary>
public class GroupNestingTests : IClassFixture<StoreFixture>
{
    private readonly StoreFixture _f;
    public GroupNestingTests(StoreFixture f) => _f = f;

    private async Task<LocalMailProvider> Store()
    {
        var p = _f.NewStore();
        await p.AddDomainAsync("contoso.com", null, default);
        await p.CreateGroupAsync(new MailGroup { Address = "board@contoso.com", DisplayName = "Board", WhoCanSend = MailGroupSenderPolicy.Members, Members = new[] { "ceo@contoso.com" } }, default);
        await p.CreateGroupAsync(new MailGroup { Address = "info@contoso.com", DisplayName = "Info", WhoCanSend = MailGroupSenderPolicy.Anyone }, default);
        return p;
    }

    [Fact]
    public async Task A_restricted_group_cannot_be_added_to_a_group_open_to_anyone()
    {
        var p = await Store();
        var e = await Assert.ThrowsAnyAsync<MailAdmin.Errors.MailAdminException>(() => p.AddMembersAsync("info@contoso.com", new[] { "board@contoso.com" }, default));
        Assert.Contains("board@contoso.com", e.Message);
        Assert.DoesNotContain("board@contoso.com", (await p.GetGroupAsync("info@contoso.com", default)).Members);
    }

    [Fact]
    public async Task A_group_holding_a_restricted_group_cannot_be_opened_to_anyone()
    {
        var p = await Store();
        await p.CreateGroupAsync(new MailGroup { Address = "all@contoso.com", DisplayName = "All", WhoCanSend = MailGroupSenderPolicy.Members, Members = new[] { "board@contoso.com" } }, default);
        await Assert.ThrowsAnyAsync<MailAdmin.Errors.MailAdminException>(() => p.UpdateGroupAsync("all@contoso.com", new MailGroupUpdate { WhoCanSend = MailGroupSenderPolicy.Anyone }, default));
        Assert.Equal(MailGroupSenderPolicy.Members, (await p.GetGroupAsync("all@contoso.com", default)).WhoCanSend);
        // nor can a new group open to anyone hold it, directly or through another group
        await Assert.ThrowsAnyAsync<MailAdmin.Errors.MailAdminException>(() => p.CreateGroupAsync(new MailGroup { Address = "open@contoso.com", DisplayName = "Open", WhoCanSend = MailGroupSenderPolicy.Anyone, Members = new[] { "all@contoso.com" } }, default));
    }

    [Fact]
    public async Task A_group_for_the_organisation_cannot_hold_a_members_only_group()
    {
        // any signed-in user may write to an Organization group; through it they would reach the Members group's members
        var p = await Store();
        var e = await Assert.ThrowsAnyAsync<MailAdmin.Errors.MailAdminException>(() => p.CreateGroupAsync(new MailGroup { Address = "staff@contoso.com", DisplayName = "Staff", WhoCanSend = MailGroupSenderPolicy.Organization, Members = new[] { "board@contoso.com" } }, default));
        Assert.Equal("GroupNestingBypassesWhoCanSend", e.ErrorId);
        Assert.Contains("WhoCanSend Organization", e.Message);
        await Assert.ThrowsAsync<MailAdmin.Errors.MailAdminException>(() => p.GetGroupAsync("staff@contoso.com", default));
        // a Members group may hold another one
        await p.CreateGroupAsync(new MailGroup { Address = "execs@contoso.com", DisplayName = "Execs", WhoCanSend = MailGroupSenderPolicy.Members, Members = new[] { "board@contoso.com" } }, default);
    }
}

public class ExternalToolInputTests
{
    [Fact]
    public void A_tool_that_never_reads_a_large_input_is_still_stopped_at_the_timeout()
    {
        var old = DovecotTools.Timeout;
        DovecotTools.Timeout = TimeSpan.FromSeconds(2);
        try
        {
            var sw = Stopwatch.StartNew();
            var (code, _) = DovecotTools.Run("/bin/sh", new string('x', 4 * 1024 * 1024), "-c", "exec sleep 20");
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
            Assert.Equal(-1, code);
        }
        finally { DovecotTools.Timeout = old; }
    }
}
