using Reproduce.Core.Stages;

namespace Reproduce.Fuzz.Tests;

/// <summary>
/// Every fuzzing target replays its whole corpus here on every test run: the study's own files, and each input
/// the fuzzer once crashed a reader with (tests/fixtures/fuzz/&lt;target&gt;/). Each must be accepted or refused
/// with a short message that names the file, never escape as another exception.
/// </summary>
public sealed class FuzzCorpusTests
{
    /// <summary>The longest line a refusal may print: a path and a value quoted to about 200 characters.</summary>
    private const int MaxRefusalLine = 1_000;

    private static readonly string RepositoryRoot = Roots.FindRepositoryRoot(AppContext.BaseDirectory);

    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryCorpusInputIsAcceptedOrRefusedWithAShortMessageNamingTheFile(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var corpus = FuzzTargets.Corpus(target, RepositoryRoot);
        Assert.NotEmpty(corpus);
        using var runner = new FuzzRunner(target, RepositoryRoot);
        var accepted = 0;
        foreach (var file in corpus)
        {
            var outcome = runner.Run(File.ReadAllBytes(file));
            if (outcome.Accepted)
            {
                accepted++;
                continue;
            }

            Assert.True(outcome.Refusal!.Contains(target.FileName, StringComparison.Ordinal), $"{file}: the refusal does not name the file: {outcome.Refusal}");
            var longest = outcome.Refusal.Split('\n').Max(line => line.Length);
            Assert.True(longest <= MaxRefusalLine, $"{file}: a refusal line of {longest} characters");
        }

        // A harness that refused everything (a wrong file name, a missing neighbour) would fuzz only the first bytes.
        Assert.True(accepted > 0, $"the {name} target accepted none of its {corpus.Count} corpus files");
    }

    [Fact]
    public void EveryRegressionFolderBelongsToATarget()
    {
        var folder = Path.Combine(RepositoryRoot, FuzzTargets.RegressionFolder);
        var unknown = Directory.EnumerateDirectories(folder).Select(Path.GetFileName).Where(n => FuzzTargets.Find(n!) is null);
        Assert.Empty(unknown);
    }
}
