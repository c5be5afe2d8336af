using System.Diagnostics;
using Reproduce.Core.Stages;

namespace Reproduce.Cli.Tests;

/// <summary>
/// Runs the built <c>reproduce</c> command (<c>dotnet reproduce.dll …</c> from the test's own output
/// folder) as a separate process and captures its exit code and output. Shared by Reproduce.Cli.Tests
/// and, as a linked file, Reproduce.EndToEnd.Tests.
/// </summary>
public static class CliProcess
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The repository root: the nearest ancestor of the test's output folder holding Reproduce.sln.</summary>
    public static string RepositoryRoot { get; } = Core.Stages.Roots.FindRepositoryRoot(AppContext.BaseDirectory);

    /// <summary>The CLI next to the test assembly (the test project references the Cli project).</summary>
    public static string ReproduceDll => Path.Combine(AppContext.BaseDirectory, "reproduce.dll");

    /// <summary>
    /// Runs <c>reproduce <paramref name="arguments"/></c> in <paramref name="workingDirectory"/> with
    /// these environment variables set (a null value removes one). Kills the process tree and fails
    /// the test after <see cref="Timeout"/>.
    /// </summary>
    public static Result Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        RunWithin(Timeout, workingDirectory, environment, arguments);

    /// <summary>
    /// <see cref="Run"/> with a limit of its own, for whole experiments: a guard against a hang, not a timing
    /// target (on 2 cores shared with the other test projects a run may take several times its idle time).
    /// </summary>
    public static Result RunWithin(TimeSpan timeout, string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        Assert.True(File.Exists(ReproduceDll), $"{ReproduceDll} is missing: the test project must reference Reproduce.Cli.");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ReproduceDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"reproduce {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds} s and was killed.\nstdout:\n{stdout.Result}\nstderr:\n{stderr.Result}");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string DotnetHost()
    {
        // The SDK tells child processes which host it runs on; a test host started by `dotnet test`
        // is itself that host.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    /// <summary>What a run of <c>reproduce</c> left: its exit code and its two output streams.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public IReadOnlyList<string> OutputLines => Lines(StandardOutput);

        public IReadOnlyList<string> ErrorLines => Lines(StandardError);

        public override string ToString() => $"exit code {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";

        /// <summary>The lines of an output stream; the newline that ends the last line does not start another.</summary>
        private static string[] Lines(string text)
        {
            var normalised = text.ReplaceLineEndings("\n");
            return normalised.Length == 0 ? [] : (normalised.EndsWith('\n') ? normalised[..^1] : normalised).Split('\n');
        }
    }
}
