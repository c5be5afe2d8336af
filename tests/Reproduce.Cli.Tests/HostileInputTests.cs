namespace Reproduce.Cli.Tests;

/// <summary>
/// Keys and manifest values that try to name paths outside the roots: each is refused with one <c>error:</c> line and
/// exit 2, and nothing outside the cache and data roots is written or deleted.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("reproduce-hostile-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Theory]
    [InlineData("../../outside")]
    [InlineData("/tmp/outside")]
    [InlineData("")]
    [InlineData("a")]
    public void UnlockRefusesAKeyThatIsNotOneAndDeletesNothing(string key)
    {
        // What a key with '..' would have reached from <cache>/.locks/<first two characters>/.
        var bait = Path.Combine(temp, "outside.lock");
        File.WriteAllText(bait, "");

        var result = Reproduce("unlock", key);

        Assert.True(result.ExitCode == 2, result.ToString());
        var error = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("is not a cell key: 64 lower-case hex digits", error, StringComparison.Ordinal);
        Assert.True(File.Exists(bait));
    }

    /// <summary>
    /// Every verb that reads a file it is given refuses a hostile one the same way: exit 2, one <c>error:</c> line that
    /// names the file, no stack trace and no internal error. (Inside a run, a bad data file fails its cell: exit 1, below.)
    /// </summary>
    [Theory]
    [InlineData("manifest.yaml", "plan", "--manifest")]
    [InlineData("manifest.yaml", "run", "--manifest")]
    [InlineData("manifest.yaml", "status", "--manifest")]
    [InlineData("manifest.yaml", "clean", "--manifest")]
    [InlineData("manifest.yaml", "cancel", "--manifest")]
    [InlineData("manifest.yaml", "regress", "--manifest")]
    [InlineData("manifest.yaml", "baseline", "--manifest")]
    [InlineData("slice.dcm", "inspect")]
    [InlineData("predictions.csv", "metrics")]
    public void EachVerbRefusesAHostileFileWithOneErrorLineNamingItAndExitCode2(string file, params string[] verb)
    {
        var path = Path.Combine(temp, file);
        switch (Path.GetExtension(file))
        {
            case ".yaml":
                // Nested far deeper than a manifest may be: once a stack overflow.
                File.WriteAllText(path, "experiment: " + new string('[', 10_000));
                break;
            case ".dcm":
                // A Part 10 preamble and magic, then a meta group element whose length runs past the file.
                File.WriteAllBytes(path, [.. new byte[128], .. "DICM"u8, 0x02, 0x00, 0x00, 0x00, (byte)'U', (byte)'L', 0xFF, 0xFF]);
                break;
            default:
                File.WriteAllText(path, "id,label,p_0,p_1\nimage.png,1,0.5\n");
                break;
        }

        var result = Reproduce([.. verb, path]);

        Assert.True(result.ExitCode == 2, result.ToString());
        var error = Assert.Single(result.ErrorLines, line => line.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(path, error, StringComparison.Ordinal);
        Assert.DoesNotContain(result.ErrorLines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal) || line.Contains("internal error", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("version", "../../../outside")]
    [InlineData("version", "feature/branch")]
    [InlineData("version", ".hidden")]
    public void ADatasetVersionThatIsNotAFolderNameIsRefusedAtItsPosition(string setting, string value)
    {
        var manifest = Path.Combine(temp, "hostile.yaml");
        File.WriteAllText(manifest, $"""
            extends: {Path.Combine(CliProcess.RepositoryRoot, "experiments", "ci.yaml")}
            datasets:
              covid: {"{"}source: github, url: "http://127.0.0.1:9/covid", {setting}: "{value}", synthetic: ~{"}"}
            """);

        var result = Reproduce("plan", "--manifest", manifest);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{manifest}:3:", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"'datasets.covid.{setting}' is '{value}': it names the dataset's data folder", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile archives given as the Brain dataset's Kaggle zip, run through the real download cell: the run fails that
    /// cell by the archive's name and entry, and a walk of everything around the three roots (deep enough that the
    /// archives' <c>..</c> paths would land inside the walk) finds nothing written, changed or deleted.
    /// </summary>
    [Theory]
    [InlineData("slip", "would be written outside the extraction folder")]
    [InlineData("link", "is a symbolic link, not a file or folder")]
    public void AHostileArchiveFailsItsCellAndNothingOutsideTheRootsChanges(string kind, string problem)
    {
        var roots = Path.Combine(temp, "r", "r", "r", "r", "r", "r");
        // The roots exist before the walk, so the folder holding them changes only if something else lands there.
        foreach (var root in new[] { "cache", "data", "results" })
        {
            Directory.CreateDirectory(Path.Combine(roots, root));
        }

        var bait = Path.Combine(temp, "bait.txt");
        File.WriteAllText(bait, "untouched");
        var archive = Path.Combine(temp, $"{kind}.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(archive, System.IO.Compression.ZipArchiveMode.Create))
        {
            if (kind == "slip")
            {
                Write(zip.CreateEntry(string.Concat(Enumerable.Repeat("../", 9)) + "escaped.txt"), "escaped");
            }
            else
            {
                var link = zip.CreateEntry("head_ct");
                link.ExternalAttributes = unchecked((int)(0xA1FFu << 16));
                Write(link, temp);
                Write(zip.CreateEntry("head_ct/bait.txt"), "overwritten");
            }
        }

        var manifest = Path.Combine(temp, "hostile.yaml");
        File.WriteAllText(manifest, $"extends: {Path.Combine(CliProcess.RepositoryRoot, "experiments", "ci.yaml")}\ndatasets:\n  brain: {{source: kaggle, path: {archive}, synthetic: ~}}\n");
        var before = Around(roots);

        var result = CliProcess.Run(temp, new Dictionary<string, string?>
        {
            ["REPRODUCE_CACHE"] = Path.Combine(roots, "cache"),
            ["REPRODUCE_DATA"] = Path.Combine(roots, "data"),
            ["REPRODUCE_RESULTS"] = Path.Combine(roots, "results"),
        }, "run", "--manifest", manifest, "--only", "download", "--dataset", "brain");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{archive}: entry ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(problem, result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, Around(roots));
        Assert.Equal("untouched", File.ReadAllText(bait));
    }

    /// <summary>Every file and folder under the test's folder but outside the three roots, with its size and time.</summary>
    private List<string> Around(string roots)
    {
        var inside = new[] { "cache", "data", "results" }.Select(r => Path.Combine(roots, r) + Path.DirectorySeparatorChar).ToList();
        return [.. Directory.EnumerateFileSystemEntries(temp, "*", SearchOption.AllDirectories)
            .Where(p => !inside.Any(r => (p + Path.DirectorySeparatorChar).StartsWith(r, StringComparison.Ordinal)))
            .Select(p => $"{Path.GetRelativePath(temp, p)} {(File.Exists(p) ? new FileInfo(p).Length : -1)} {File.GetLastWriteTimeUtc(p):O}")
            .Order(StringComparer.Ordinal)];
    }

    private static void Write(System.IO.Compression.ZipArchiveEntry entry, string text)
    {
        using var writer = new StreamWriter(entry.Open());
        writer.Write(text);
    }

    private CliProcess.Result Reproduce(params string[] arguments) =>
        CliProcess.Run(temp, new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = Path.Combine(temp, "cache"), ["REPRODUCE_DATA"] = Path.Combine(temp, "data") }, arguments);
}
