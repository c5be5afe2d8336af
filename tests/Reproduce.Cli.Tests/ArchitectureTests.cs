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
