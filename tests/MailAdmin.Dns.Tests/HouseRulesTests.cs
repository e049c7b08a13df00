using System.Text.RegularExpressions;
using Xunit;

namespace MailAdmin.Dns.Tests;

/// <summary>House rules the analyzers cannot check, over every project under src/: lines that fit a reader's screen, and no
/// exception swallowed by an empty catch.</summary>
public class HouseRulesTests
{
    private const int MaxLine = 160;

    /// <summary>Every project folder under src/, so a new project is held to the rules from its first commit.</summary>
    public static TheoryData<string> Folders
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var dir in Directory.EnumerateDirectories(Path.Combine(Root(), "src")).OrderBy(d => d, StringComparer.Ordinal))
            {
                data.Add("src/" + Path.GetFileName(dir));
            }

            return data;
        }
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MailAdmin.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MailAdmin.sln not found");
    }

    private static IEnumerable<string> Sources(string folder)
        => Directory.EnumerateFiles(Path.Combine(Root(), folder), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>The lines of a file with the <c>&lt;code&gt;</c> examples of the cmdlets' help blanked: an example is one command a
    /// line in the help Get-Help shows, so it is left as long as the command is.</summary>
    private static IEnumerable<string> HelpExamplesBlanked(IEnumerable<string> lines)
    {
        var inCode = false;
        foreach (var line in lines)
        {
            var doc = line.TrimStart().StartsWith("///", StringComparison.Ordinal);
            var opens = doc && line.Contains("<code>", StringComparison.Ordinal);
            var closes = doc && line.Contains("</code>", StringComparison.Ordinal);
            yield return doc && (inCode || opens) ? string.Empty : line;
            inCode = doc && (inCode || opens) && !closes;
        }
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Lines_fit_a_readers_screen(string folder)
    {
        var tooLong = Sources(folder)
            .SelectMany(p => HelpExamplesBlanked(File.ReadLines(p)).Select((line, i) => (p, i, line)))
            .Where(x => x.line.Length > MaxLine)
            .Select(x => $"{Path.GetRelativePath(Root(), x.p)}:{x.i + 1} ({x.line.Length})")
            .ToList();
        Assert.True(tooLong.Count == 0, $"{tooLong.Count} line(s) over {MaxLine} characters: " + string.Join(", ", tooLong.Take(20)));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void No_exception_is_swallowed(string folder)
    {
        // a catch whose block is empty or holds only a comment
        var empty = new Regex(@"catch\s*(\([^)]*\))?\s*(when\s*\([^{]*\))?\s*\{\s*(//[^\n]*\n\s*|/\*.*?\*/\s*)*\}", RegexOptions.Singleline);
        var found = Sources(folder)
            .Where(p => empty.IsMatch(File.ReadAllText(p)))
            .Select(p => Path.GetRelativePath(Root(), p).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();
        Assert.True(found.Count == 0, "Empty catch blocks in: " + string.Join(", ", found));
    }

    [Fact]
    public void Only_the_help_examples_are_exempt()
    {
        var lines = new[] { "/// <code>Get-Mailbox", "/// -Identity a@b.c</code>", "var s = \"<code>\";", "/// <summary>after</summary>", "x();" };
        var expected = new[] { string.Empty, string.Empty, "var s = \"<code>\";", "/// <summary>after</summary>", "x();" };
        Assert.Equal(expected, HelpExamplesBlanked(lines).ToArray());
    }
}
