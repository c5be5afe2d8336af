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
    public void Unlock_refuses_a_key_that_is_not_one_and_deletes_nothing(string key)
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

    [Theory]
    [InlineData("version", "../../../outside")]
    [InlineData("version", "feature/branch")]
    [InlineData("version", ".hidden")]
    public void A_dataset_version_that_is_not_a_folder_name_is_refused_at_its_position(string setting, string value)
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

    private CliProcess.Result Reproduce(params string[] arguments) =>
        CliProcess.Run(temp, new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = Path.Combine(temp, "cache"), ["REPRODUCE_DATA"] = Path.Combine(temp, "data") }, arguments);
}
