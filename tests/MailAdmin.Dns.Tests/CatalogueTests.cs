using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using MailAdmin.Models;
using Xunit;

namespace MailAdmin.Dns.Tests;

/// <summary>The check catalogue is complete, every entry has a check that emits it, and docs/CHECKS.md is generated from it.</summary>
public class CatalogueTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MailAdmin.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MailAdmin.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void EveryIdHasAnEntryWithAreaTitleReferenceAndFix()
    {
        var ids = Enum.GetValues<MailCheckId>().Where(i => i != MailCheckId.None).ToList();
        Assert.Equal(ids.Count, MailCheckCatalogue.All.Count);
        foreach (var id in ids)
        {
            var d = MailCheckCatalogue.Get(id);
            Assert.Equal(id, d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Area), $"{id} has no area");
            Assert.False(string.IsNullOrWhiteSpace(d.Title), $"{id} has no title");
            Assert.False(string.IsNullOrWhiteSpace(d.Reference), $"{id} has no reference");
            Assert.False(string.IsNullOrWhiteSpace(d.Fix), $"{id} has no fix");
        }
    }

    [Fact]
    public void TitlesAreUnique()
    {
        var twice = MailCheckCatalogue.All.GroupBy(d => d.Title, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(twice);
    }

    /// <summary>Each id is emitted by one check family (one source file; the two TLS scanners are one family), and every id
    /// in the catalogue is emitted somewhere.</summary>
    [Fact]
    public void EveryIdIsEmittedByExactlyOneCheckFamily()
    {
        var emit = new Regex(@"(?:Add|Create)\(\s*(?:[^,()]*\?\s*)?MailCheckId\.(\w+)(?:\s*:\s*MailCheckId\.(\w+))?|Id = MailCheckId\.(\w+)");
        var families = new Dictionary<string, HashSet<string>>();
        var sources = Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        foreach (var path in sources)
        {
            // a check and the probe it drives are one family
            var family = Path.GetFileNameWithoutExtension(path) switch
            {
                "OpenSslProbe" => "TlsScanner",
                "SmtpProbeCheck" => "SmtpProbe",
                "ClientServicesCheck" => "ClientPortProbe",
                var name => name,
            };

            foreach (Match m in emit.Matches(File.ReadAllText(path)))
            {
                foreach (var g in new[] { m.Groups[1], m.Groups[2], m.Groups[3] }.Where(g => g.Success))
                {
                    if (!families.TryGetValue(g.Value, out var set))
                    {
                        families[g.Value] = set = new HashSet<string>();
                    }

                    set.Add(family);
                }
            }
        }

        var missing = MailCheckCatalogue.All.Select(d => d.Id.ToString()).Where(n => !families.ContainsKey(n)).ToList();
        Assert.True(missing.Count == 0, "No check emits: " + string.Join(", ", missing));
        var shared = families.Where(f => f.Value.Count > 1).Select(f => $"{f.Key} ({string.Join(", ", f.Value)})").ToList();
        Assert.True(shared.Count == 0, "Emitted by two families: " + string.Join("; ", shared));
    }

    /// <summary>
    /// Every id is asserted by a test: an id a check under src/MailAdmin.Dns/Checks/&lt;Area&gt; emits is named in that family's
    /// test file (tests/MailAdmin.Dns.Tests/Checks/&lt;Area&gt;ChecksTests.cs), where it runs on in-memory zones. An id only a
    /// server can produce (the SMTP/TLS probes in MailAdmin.Transport, the name-server probe, the HTTPS fetches of the
    /// MTA-STS policy and BIMI files) is named in some other test of the repository (xunit or Pester) that talks to one.
    /// </summary>
    [Fact]
    public void EveryIdIsAssertedByATest()
    {
        var emit = new Regex(@"(?:Add|Create)\(\s*(?:[^,()]*\?\s*)?MailCheckId\.(\w+)(?:\s*:\s*MailCheckId\.(\w+))?|Id = MailCheckId\.(\w+)");
        var needsServer = new HashSet<string>(StringComparer.Ordinal) { "NameServerProbe", "MtaStsFetcher", "BimiFetcher" };

        // known gaps, each with the reason; remove an entry when a test asserts it
        var notYet = new Dictionary<string, string>(StringComparer.Ordinal)
        {
        };
        var checks = Path.Combine(Root, "src", "MailAdmin.Dns", "Checks");
        var tests = Path.Combine(Root, "tests");
        var allTests = Directory.EnumerateFiles(tests, "*.*", SearchOption.AllDirectories)
            .Where(p => (p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith(".ps1", StringComparison.Ordinal))
                && !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        var missing = new List<string>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            var ids = emit.Matches(File.ReadAllText(path)).SelectMany(m => new[] { m.Groups[1], m.Groups[2], m.Groups[3] })
                .Where(g => g.Success).Select(g => g.Value).Distinct().ToList();
            if (ids.Count == 0)
            {
                continue;
            }

            var name = Path.GetFileNameWithoutExtension(path);
            var dir = Path.GetDirectoryName(path);
            string familyTest = null;
            if (!needsServer.Contains(name) && (dir == checks || Path.GetDirectoryName(dir) == checks))
            {
                var area = dir == checks ? "Zone" : Path.GetFileName(dir); // DomainChecker emits the existence check of the zone
                familyTest = Path.Combine(Root, "tests", "MailAdmin.Dns.Tests", "Checks", area + "ChecksTests.cs");
                Assert.True(File.Exists(familyTest), $"{Path.GetRelativePath(Root, path)} has no family test file {Path.GetRelativePath(Root, familyTest)}");
            }

            foreach (var id in ids)
            {
                var asserted = familyTest != null
                    ? File.ReadAllText(familyTest).Contains("MailCheckId." + id, StringComparison.Ordinal)
                    : allTests.Any(t => t.Contains("MailCheckId." + id, StringComparison.Ordinal) || Regex.IsMatch(t, $@"(?<![\w.]){id}\b(?!\s*=)"));
                if (!asserted && !notYet.ContainsKey(id))
                {
                    missing.Add($"{id} ({Path.GetRelativePath(Root, familyTest ?? path)})");
                }
            }
        }

        Assert.True(missing.Count == 0, "Ids no test asserts: " + string.Join(", ", missing));
    }

    /// <summary>docs/CHECKS.md is the catalogue as a document; MAILADMIN_UPDATE_DOCS=1 rewrites it.</summary>
    [Fact]
    public void CatalogueDocumentIsCurrent()
    {
        var path = Path.Combine(Root, "docs", "CHECKS.md");
        var text = Render();
        if (Environment.GetEnvironmentVariable("MAILADMIN_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, text);
        }

        Assert.True(File.Exists(path), "docs/CHECKS.md is missing; run the tests with MAILADMIN_UPDATE_DOCS=1");
        Assert.True(
            File.ReadAllText(path) == text,
            "docs/CHECKS.md differs from MailCheckCatalogue; run the tests with MAILADMIN_UPDATE_DOCS=1 and commit it");
    }

    private static string Render()
    {
        var sb = new StringBuilder();
        sb.Append("# Test-MailDomain checks\n\n");
        sb.Append("Generated from `MailCheckCatalogue` (src/MailAdmin.Core/Models) by `CatalogueTests`; do not edit by hand.\n");
        sb.Append("Each row of Test-MailDomain's output carries one of these ids (`Id`, a `MailCheckId`), its area, and, ");
        sb.Append("when it fails or warns, the fix below (`Fix`). Filter on the name: `Where-Object Id -eq 'SpfLookupLimit'`.\n");
        foreach (var area in MailCheckCatalogue.All.GroupBy(d => d.Area))
        {
            sb.Append("\n## ").Append(area.Key).Append("\n\n");
            sb.Append("| # | Id | Check | Rule | Fix |\n|---|---|---|---|---|\n");
            foreach (var d in area.OrderBy(d => (int)d.Id))
            {
                sb.Append("| ").Append((int)d.Id).Append(" | `").Append(d.Id).Append("` | ").Append(d.Title)
                    .Append(" | ").Append(d.Reference).Append(" | ").Append(d.Fix.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
            }
        }

        return sb.ToString();
    }
}
