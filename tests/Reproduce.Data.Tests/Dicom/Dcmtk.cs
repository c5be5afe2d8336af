using System.Diagnostics;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>
/// Runs dcmtk's command-line tools (Debian package dcmtk): the conversion tests use them as a reference writer,
/// the writer tests use dcmdump as an independent reader.
/// </summary>
public static class Dcmtk
{
    public static IReadOnlyList<string> Tools { get; } = ["dcmconv", "dcmcrle", "dcmdump"];

    /// <summary>Every tool the tests call is an executable file on PATH.</summary>
    public static bool IsAvailable() => Tools.All(tool => Find(tool) is not null);

    /// <summary>Runs <paramref name="tool"/>; fails with its messages when it exits non-zero, and returns what it printed otherwise.</summary>
    public static (string Output, string Error) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Find(tool) ?? throw new InvalidOperationException($"{tool} is not on PATH"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error}{output.Result}");
        }

        return (output.Result, error);
    }

    private static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
}
