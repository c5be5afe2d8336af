using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Reproduce.Cli.Composition;

/// <summary>What every cell records about the code and machine that computed it (DESIGN.md §6).</summary>
internal static class Provenance
{
    public static JsonObject Collect(string repositoryRoot) => new()
    {
        ["commit"] = GitCommit(repositoryRoot),
        ["reproduce"] = typeof(Provenance).Assembly.GetName().Version?.ToString(),
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["os"] = RuntimeInformation.OSDescription,
        ["torchsharp"] = Learning.TorchRuntime.ManagedVersion,
        ["processors"] = Environment.ProcessorCount,
    };

    /// <summary>The checked-out commit, with "+dirty" when the work tree has changes; "unknown" without git.</summary>
    private static string GitCommit(string repositoryRoot)
    {
        var commit = Git(repositoryRoot, "rev-parse HEAD");
        if (commit is null)
        {
            return "unknown";
        }

        var status = Git(repositoryRoot, "status --porcelain --untracked-files=no");
        return string.IsNullOrEmpty(status) ? commit : commit + "+dirty";
    }

    private static string? Git(string directory, string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
