using MailAdmin.Errors;
using MailAdmin.Models;
using MailAdmin.Validation;
using Xunit;

namespace MailAdmin.Core.Tests;

public class MailNamesTests
{
    [Theory]
    [InlineData("Contoso.COM", "contoso.com")]
    [InlineData("contoso.com.", "contoso.com")]
    [InlineData("例子.测试", "xn--fsqu00a.xn--0zwm56d")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    public void NormalizeDomain_gives_lower_case_punycode(string input, string expected)
        => Assert.Equal(expected, MailNames.NormalizeDomain(input));

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("-bad.example")]
    [InlineData("bad-.example")]
    [InlineData("a..example")]
    [InlineData("under_score.example")]
    [InlineData("192.168.1.1")]
    [InlineData("has space.example")]
    public void NormalizeDomain_rejects_with_the_value_in_the_message(string input)
    {
        var e = Assert.Throws<MailAdminException>(() => MailNames.NormalizeDomain(input));
        Assert.Equal(MailErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("InvalidDomainName", e.ErrorId);
        if (input.Length > 0) Assert.Contains(input, e.Message);
    }

    [Fact]
    public void NormalizeDomain_rejects_labels_over_63_and_names_over_253()
    {
        Assert.Throws<MailAdminException>(() => MailNames.NormalizeDomain(new string('a', 64) + ".example"));
        var longName = string.Join(".", Enumerable.Repeat(new string('a', 60), 5)) + ".com";
        Assert.Throws<MailAdminException>(() => MailNames.NormalizeDomain(longName));
    }

    [Theory]
    [InlineData("Li.Lei@Contoso.com", "li.lei@contoso.com")]
    [InlineData("  a+tag@contoso.com ", "a+tag@contoso.com")]
    [InlineData("o'brien@contoso.com", "o'brien@contoso.com")]
    [InlineData("e@例子.测试", "e@xn--fsqu00a.xn--0zwm56d")]
    public void NormalizeAddress_accepts_dot_atoms(string input, string expected)
        => Assert.Equal(expected, MailNames.NormalizeAddress(input));

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("@contoso.com")]
    [InlineData("user@")]
    [InlineData(".lead@contoso.com")]
    [InlineData("trail.@contoso.com")]
    [InlineData("two..dots@contoso.com")]
    [InlineData("\"quoted\"@contoso.com")]
    [InlineData("李雷@contoso.com")]
    [InlineData("sp ace@contoso.com")]
    [InlineData("a@b@contoso")]
    [InlineData("user@-bad.com")]
    public void NormalizeAddress_rejects_and_names_the_value(string input)
    {
        var e = Assert.Throws<MailAdminException>(() => MailNames.NormalizeAddress(input));
        Assert.Equal("InvalidAddress", e.ErrorId);
        Assert.Contains(input.Trim(), e.Message);
        Assert.Equal(input, e.Target);
    }

    [Fact]
    public void NormalizeAddress_enforces_rfc5321_lengths()
    {
        Assert.Throws<MailAdminException>(() => MailNames.NormalizeAddress(new string('a', 65) + "@contoso.com"));
        Assert.Equal(new string('a', 64) + "@contoso.com", MailNames.NormalizeAddress(new string('a', 64) + "@contoso.com"));
    }

    [Fact]
    public void AddressToUnicode_shows_idn_domains_as_written()
        => Assert.Equal("e@例子.测试", MailNames.AddressToUnicode("e@xn--fsqu00a.xn--0zwm56d"));
}

public class PasswordTests
{
    [Fact]
    public void Validate_rejects_short_passwords_without_revealing_them()
    {
        var e = Assert.Throws<MailAdminException>(() => Passwords.Validate(new SecretText("Ab1!x"), 8, "a@contoso.com"));
        Assert.Equal("WeakPassword", e.ErrorId);
        Assert.DoesNotContain("Ab1!x", e.Message);
        Assert.Contains("8", e.Message);
    }

    [Fact]
    public void Validate_rejects_the_mailbox_name_and_repeated_characters()
    {
        Assert.Throws<MailAdminException>(() => Passwords.Validate(new SecretText("lilei-2024!"), 8, "lilei@contoso.com"));
        Assert.Throws<MailAdminException>(() => Passwords.Validate(new SecretText("aaaaaaaaaaaa"), 8, "x@contoso.com"));
        Assert.Throws<MailAdminException>(() => Passwords.Validate(new SecretText("abc\u0001defghij"), 8, "x@contoso.com"));
    }

    [Fact]
    public void Validate_accepts_a_policy_conformant_password()
        => Passwords.Validate(new SecretText("Corr3ct-Horse"), 8, "x@contoso.com");

    [Fact]
    public void Generate_makes_distinct_strong_passwords()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 200; i++)
        {
            var p = Passwords.Generate().Reveal();
            Assert.Equal(20, p.Length);
            Assert.Contains(p, c => char.IsUpper(c));
            Assert.Contains(p, c => char.IsLower(c));
            Assert.Contains(p, c => char.IsDigit(c));
            Assert.Contains(p, c => !char.IsLetterOrDigit(c));
            Assert.True(seen.Add(p));
            Passwords.Validate(new SecretText(p), 16, "someone@contoso.com");
        }
    }

    [Fact]
    public void SecretText_never_prints_its_value()
    {
        var s = new SecretText("hunter2-secret");
        Assert.Equal("********", s.ToString());
        Assert.DoesNotContain("hunter2", $"{s}");
    }
}
