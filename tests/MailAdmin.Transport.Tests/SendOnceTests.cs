using System.Net;
using MailAdmin.Transport;
using Xunit;

namespace MailAdmin.Transport.Tests;

/// <summary>Issue 12, item 2: Send-Mail retries only when the server cannot have the message.</summary>
public class SendOnceTests
{
    private static OutgoingMail Mail(string subject = "s") => new() { From = "a@contoso.test", To = new[] { "b@contoso.test" }, Subject = subject, TextBody = "x" };

    private static MailSender Sender(LoopbackSmtpServer srv) => new(new SmtpSubmission { Server = "127.0.0.1", Port = srv.Port, NoTls = true, Timeout = TimeSpan.FromSeconds(5) });

    [Fact]
    public async Task A_drop_after_the_final_dot_is_reported_in_doubt_and_not_sent_again()
    {
        using var srv = new LoopbackSmtpServer { OnDot = n => n == 1 ? AfterDot.Drop : AfterDot.Accept };
        using var sender = Sender(srv);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(Mail(), default));
        Assert.Single(srv.Taken);
        Assert.Equal(MailSendFailure.InDoubt, MailSender.Classify(e, out _));
        var doubt = Assert.IsType<MailInDoubtException>(e);
        Assert.Equal(srv.Taken.Single(), "<" + doubt.MessageId + ">");
        Assert.Contains(doubt.MessageId, doubt.Message);
    }

    [Fact]
    public async Task A_connection_lost_before_the_message_is_handed_over_is_retried_once()
    {
        using var srv = new LoopbackSmtpServer { DropAtMailOnConnection = 1 };
        using var sender = Sender(srv);
        var r = await sender.SendAsync(Mail(), default);
        Assert.Single(srv.Taken);
        Assert.Equal("<" + r.MessageId + ">", srv.Taken.Single());
        Assert.Equal(2, srv.Connections);
    }

    [Fact]
    public async Task A_server_that_stalls_after_the_dot_is_in_doubt_not_resent()
    {
        using var srv = new LoopbackSmtpServer { OnDot = n => n == 1 ? AfterDot.Stall : AfterDot.Accept, StallFor = TimeSpan.FromSeconds(20) };
        using var sender = new MailSender(new SmtpSubmission { Server = "127.0.0.1", Port = srv.Port, NoTls = true, Timeout = TimeSpan.FromSeconds(2) });
        var e = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(Mail(), default));
        Assert.IsType<MailInDoubtException>(e);
        Assert.Single(srv.Taken);
    }
}
