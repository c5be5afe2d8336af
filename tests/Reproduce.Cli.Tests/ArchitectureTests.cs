using System.Reflection;
using System.Text.RegularExpressions;

namespace Reproduce.Cli.Tests;

/// <summary>
/// The layering of DESIGN.md §2 and the "no static mutable state" rule of §6, checked on the built assemblies;
/// and that the checkout stands alone: no source, build or documentation file points outside the repository.
/// </summary>
public class ArchitectureTests
{
    private static readonly Assembly[] Product =
    [
        typeof(Core.Manifests.Manifest).Assembly,
        typeof(Learning.TorchRuntime).Assembly,
        typeof(Program).Assembly,
    ];

    private static IEnumerable<string> References(string assembly) =>
        Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!);

    [Theory]
    [InlineData("Reproduce.Core")]
    [InlineData("Reproduce.Data")]
    [InlineData("Reproduce.Evaluation")]
    public void OnlyLearningAndTheCliSeeTorchSharp(string assembly)
    {
        Assert.DoesNotContain("TorchSharp", References(assembly));
    }

    [Fact]
    public void DependenciesPointOneWay()
    {
        Assert.DoesNotContain(References("Reproduce.Core"), r => r.StartsWith("Reproduce.", StringComparison.Ordinal));
        Assert.DoesNotContain(References("Reproduce.Data"), r => r is "Reproduce.Learning" or "Reproduce.Evaluation" or "reproduce");
        Assert.DoesNotContain(References("Reproduce.Evaluation"), r => r is "Reproduce.Learning" or "Reproduce.Data" or "reproduce");
        Assert.DoesNotContain("reproduce", References("Reproduce.Learning"));
    }

    /// <summary>
    /// DESIGN.md §2 "Folders": inside each assembly the folders' uses point one way too, so each folder can be read, and
    /// moved, knowing only the folders below it.
    /// </summary>
    [Theory]
    [InlineData("Reproduce.Core", "Reproduce.Core")]
    [InlineData("Reproduce.Data", "Reproduce.Data")]
    [InlineData("Reproduce.Learning", "Reproduce.Learning")]
    [InlineData("Reproduce.Evaluation", "Reproduce.Evaluation")]
    [InlineData("reproduce", "Reproduce.Cli")]
    public void NoFolderDependsOnItselfThroughOthers(string assembly, string rootNamespace)
    {
        var uses = FolderDependencies.Of(Assembly.Load(assembly), rootNamespace);
        Assert.NotEmpty(uses);
        var cycles = FolderDependencies.Cycles(uses.Keys);
        Assert.True(cycles.Count == 0, string.Join('\n', cycles.Select(cycle =>
            $"the folders {string.Join(", ", cycle)} use one another:\n" +
            string.Join('\n', uses.Where(u => cycle.Contains(u.Key.From) && cycle.Contains(u.Key.To)).Select(u => $"  {u.Key.From} -> {u.Key.To}: {u.Value}")))));
    }

    /// <summary>The front door stays thin: a command parses, calls one library entry point and formats what it returns.</summary>
    [Fact]
    public void NoCommandFileIsLongerThan120Lines()
    {
        var commands = Path.Combine(CliProcess.RepositoryRoot, "src", "Reproduce.Cli", "Commands");
        var tooLong = Directory.GetFiles(commands, "*.cs")
            .Select(file => (Name: Path.GetFileName(file), Lines: File.ReadAllLines(file).Length))
            .Where(f => f.Lines > 120)
            .Select(f => $"{f.Name}: {f.Lines} lines")
            .ToList();
        Assert.True(tooLong.Count == 0, "command files over 120 lines (move what is not parsing or formatting to the library that owns it):\n" + string.Join('\n', tooLong));
    }

    /// <summary>DESIGN.md §6 "Test names": a test's name is the sentence it checks, in PascalCase, with no underscores.</summary>
    [Fact]
    public void EveryTestIsNamedAsAPascalCaseSentence()
    {
        var root = CliProcess.RepositoryRoot;
        var method = new Regex(@"public (?:async Task|void) (?<name>\w+)\(", RegexOptions.CultureInvariant);
        var files = Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var misnamed = files
            .SelectMany(file => method.Matches(File.ReadAllText(file)).Select(m => (file, name: m.Groups["name"].Value)))
            .Where(t => t.name.Contains('_', StringComparison.Ordinal) || !char.IsUpper(t.name[0]))
            .Select(t => $"{Path.GetRelativePath(root, t.file).Replace('\\', '/')}: {t.name}")
            .ToList();

        Assert.Contains(files, f => f.EndsWith("ArchitectureTests.cs", StringComparison.Ordinal));
        Assert.True(misnamed.Count == 0, "tests not named as a PascalCase sentence:\n" + string.Join('\n', misnamed));
    }

    [Fact]
    public void NoLibraryHoldsStaticMutableState()
    {
        var assemblies = Product.Concat(new[] { "Reproduce.Data", "Reproduce.Evaluation" }.Select(Assembly.Load)).Distinct();
        var mutable = assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsLiteral && !f.IsInitOnly && !f.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)))
            .Where(f => !f.Name.Contains('<', StringComparison.Ordinal))
            .Select(f => $"{f.DeclaringType}.{f.Name}")
            .ToList();

        Assert.Empty(mutable);
    }

    /// <summary>
    /// The ambient APIs DESIGN.md §6 keeps out of the libraries are in src/BannedSymbols.txt, each with its reason, and
    /// src/Directory.Build.props hands that file to the analyzer of every library but the CLI's.
    /// </summary>
    [Fact]
    public void TheLibrariesBanTheAmbientClockRandomnessAndConsole()
    {
        var src = Path.Combine(CliProcess.RepositoryRoot, "src");
        var entries = File.ReadAllLines(Path.Combine(src, "BannedSymbols.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal))
            .Select(line => line.Split(';', 2))
            .ToList();

        Assert.All(entries, entry => Assert.True(entry.Length == 2 && entry[1].Trim().Length > 0, $"{entry[0]} is banned without a reason"));
        Assert.Superset(
            new HashSet<string>(
            [
                "T:System.Console", "P:System.DateTime.Now", "P:System.DateTime.UtcNow", "P:System.DateTime.Today",
                "P:System.DateTimeOffset.Now", "P:System.DateTimeOffset.UtcNow", "P:System.TimeProvider.System",
                "P:System.Environment.TickCount", "P:System.Environment.TickCount64", "T:System.Random", "M:System.Guid.NewGuid",
            ]),
            entries.Select(entry => entry[0]).ToHashSet());
        var props = File.ReadAllText(Path.Combine(src, "Directory.Build.props"));
        Assert.Contains("Microsoft.CodeAnalysis.BannedApiAnalyzers", props);
        Assert.Contains("BannedSymbols.txt", props);
        Assert.Contains("'$(MSBuildProjectName)' != 'Reproduce.Cli'", props);
    }

    /// <summary>The file kinds a clone carries as text: source, build, manifests, scripts and documentation.</summary>
    private static readonly HashSet<string> TextExtensions =
        new([".cs", ".csproj", ".props", ".targets", ".sln", ".md", ".yaml", ".yml", ".json", ".sh", ".ps1", ".cake", ".py"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Folders that are build output, caches, downloads or local scratch space, never part of a clone (cf. .gitignore).</summary>
    private static readonly HashSet<string> SkippedFolders =
        new(["bin", "obj", ".git", ".vs", ".idea", "node_modules", "TestResults", "artifacts", "data", "cache", "tools"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A pointer outside the checkout: a sibling folder named shared reached with "..", the docs or fixtures
    /// folders of such a sibling, a Path.Combine that climbs to it, or a fixed absolute machine path.
    /// </summary>
    private static readonly Regex OutsidePointer = new(
        """
        \.\.[/\\]shared\b
        | \bshared[/\\](?:docs|fixtures)\b
        | "\.\."\s*,\s*"shared"
        | (?<![\w.~$-])/(?:work|root|home)/
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant);

    /// <summary>
    /// A document named in capitals (<c>DESIGN.md</c>), not as part of a path, and what follows it on the line up to the
    /// next document or the end of the parenthesis: where its section numbers and quoted part names are.
    /// </summary>
    private static readonly Regex CitedDocument = new(@"(?<![\w/.-])(?<document>[A-Z][A-Z0-9_]*\.md)\b(?<tail>[^()]*?)(?=\)|[A-Z][A-Z0-9_]*\.md|$)", RegexOptions.CultureInvariant);

    /// <summary>A document named by its path from the repository root.</summary>
    private static readonly Regex CitedPath = new(@"(?<![\w/.-])(?:tests|docs|src|bench|experiments)/[\w./-]*[\w-]\.md\b", RegexOptions.CultureInvariant);

    /// <summary>A section number: 7, 1.4, A1, B2.11.</summary>
    private static readonly Regex CitedSection = new(@"§\s?(?<number>[A-Z]?\d+(?:\.\d+)*|[A-Z](?![\w]))", RegexOptions.CultureInvariant);

    /// <summary>A part cited by name after its section: §7 "Roots".</summary>
    private static readonly Regex CitedPart = new(@"§\s?[A-Z]?\d+(?:\.\d+)*,?\s*""(?<part>[^""]+)""", RegexOptions.CultureInvariant);

    /// <summary>A numbered Markdown heading: "## 7. Decisions", "### 7.5 Native", "### A1. LIDC-IDRI", "## B. DICOM".</summary>
    private static readonly Regex NumberedHeading = new(@"^#{2,4}\s+(?<number>[A-Z]?\d+(?:\.\d+)*|[A-Z])(?=[.\s])", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    [Fact]
    public void NoFileOfTheRepositoryPointsOutsideIt()
    {
        var root = CliProcess.RepositoryRoot;
        Assert.True(File.Exists(Path.Combine(root, "Reproduce.sln")), $"no repository root above {AppContext.BaseDirectory}");

        var files = RepositoryTextFiles(root).ToList();
        var hits = files
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, number: index + 1)))
            .Where(l => OutsidePointer.IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(root, l.file).Replace('\\', '/')}:{l.number}: {l.line.Trim()}")
            .ToList();

        Assert.Contains(files, f => f.EndsWith("ArchitectureTests.cs", StringComparison.Ordinal));
        Assert.True(hits.Count == 0, "paths outside the repository (a clone must stand alone):\n" + string.Join('\n', hits));
    }

    /// <summary>
    /// A document cited by name (<c>DESIGN.md §7 "Roots"</c>, <c>METHODS.md §1.4</c>, <c>tests/fixtures/README.md</c>)
    /// is a file of the repository, in docs/, at the root or at the path given; each section it cites is a numbered
    /// heading of it, and each part cited by name a heading or text in it. The fuzzing corpus is left out: its inputs
    /// are mutated on purpose.
    /// </summary>
    [Fact]
    public void EveryDocumentCitedIsInTheRepositoryWithTheSectionsCited()
    {
        var root = CliProcess.RepositoryRoot;
        var problems = new List<string>();
        var citations = 0;
        foreach (var file in RepositoryTextFiles(root).Where(f => !Path.GetRelativePath(root, f).Replace('\\', '/').StartsWith("tests/fixtures/fuzz/", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var index = 0; index < lines.Length; index++)
            {
                foreach (Match citation in CitedDocument.Matches(lines[index]))
                {
                    citations++;
                    var at = $"{Path.GetRelativePath(root, file).Replace('\\', '/')}:{index + 1}";
                    var name = citation.Groups["document"].Value;
                    var document = new[] { Path.Combine(root, "docs", name), Path.Combine(root, name) }.FirstOrDefault(File.Exists);
                    if (document is null)
                    {
                        problems.Add($"{at}: {name} is not in docs/ or at the root");
                        continue;
                    }

                    var text = File.ReadAllText(document);
                    var sections = NumberedHeading.Matches(text).Select(m => m.Groups["number"].Value).ToHashSet(StringComparer.Ordinal);
                    var tail = citation.Groups["tail"].Value;
                    problems.AddRange(CitedSection.Matches(tail).Select(m => m.Groups["number"].Value).Where(n => !sections.Contains(n)).Select(n => $"{at}: {name} has no section {n}"));
                    problems.AddRange(CitedPart.Matches(tail).Select(m => m.Groups["part"].Value).Where(p => !text.Contains(p, StringComparison.Ordinal)).Select(p => $"{at}: {name} has no part \"{p}\""));
                }

                foreach (Match path in CitedPath.Matches(lines[index]))
                {
                    citations++;
                    if (!File.Exists(Path.Combine(root, path.Value)))
                    {
                        problems.Add($"{Path.GetRelativePath(root, file).Replace('\\', '/')}:{index + 1}: {path.Value} is not in the repository");
                    }
                }
            }
        }

        Assert.True(citations > 100, $"only {citations} citations found: is the pattern still right?");
        Assert.True(problems.Count == 0, "documents cited but missing:\n" + string.Join('\n', problems));
    }

    /// <summary>
    /// The text files a clone carries, found by walking the tree rather than asking git (a CI checkout may be an
    /// archive without .git): skips build outputs and caches, scratch folders, .ci/out and the rendered results
    /// that .gitignore keeps local (only results/synthetic and results/baselines are committed).
    /// </summary>
    private static IEnumerable<string> RepositoryTextFiles(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var folder))
        {
            var parent = Path.GetRelativePath(root, folder).Replace('\\', '/');
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                if (TextExtensions.Contains(Path.GetExtension(file)) || (parent, Path.GetFileName(file)) is (".ci", "run"))
                {
                    yield return file;
                }
            }

            foreach (var child in Directory.EnumerateDirectories(folder))
            {
                var name = Path.GetFileName(child);
                var skipped = SkippedFolders.Contains(name)
                    || name.StartsWith("scratch", StringComparison.OrdinalIgnoreCase)
                    || (parent, name) is (".ci", "out")
                    || (parent == "results" && name is not ("synthetic" or "baselines"));
                if (!skipped)
                {
                    pending.Push(child);
                }
            }
        }
    }
}
