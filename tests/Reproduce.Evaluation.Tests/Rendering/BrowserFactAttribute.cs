namespace Reproduce.Evaluation.Tests.Rendering;

/// <summary>
/// A fact that needs a Chromium to open a page in (Debian's <c>chromium</c>). Without one it is skipped with the
/// reason, except when <c>REPRODUCE_REQUIRE_BROWSER=1</c> (as <c>.ci/run</c> sets after installing it): then it runs,
/// and a browser that is not there fails it. xUnit v2 cannot skip at run time, so the browser is looked for when the
/// attribute is constructed, at discovery.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string RequireVariable = "REPRODUCE_REQUIRE_BROWSER";

    public BrowserFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(RequireVariable) != "1" && Chromium.Find() is null)
        {
            Skip = "no Chromium on the PATH (install Debian's: apt-get install --no-install-recommends chromium)";
        }
    }
}

/// <summary>The system's Chromium, never a downloaded one.</summary>
internal static class Chromium
{
    private static readonly string[] Names = ["chromium", "chromium-browser"];

    /// <summary>The first of <see cref="Names"/> found on the PATH, or null.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => Names.Select(name => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);
}
