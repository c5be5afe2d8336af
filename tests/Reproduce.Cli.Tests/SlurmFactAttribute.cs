using System.Diagnostics;

namespace Reproduce.Cli.Tests;

/// <summary>
/// A fact that needs a running Slurm cluster (<c>build/slurm/test-cluster.sh start</c>). Without one it is skipped
/// with the reason, except when <c>REPRODUCE_REQUIRE_SLURM=1</c> (as <c>.ci/run</c> sets after starting the
/// test cluster): then it runs, and a cluster that is not there fails it. xUnit v2 cannot skip at run time, so
/// the cluster is looked for when the attribute is constructed, at discovery.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("REPRODUCE_REQUIRE_SLURM") != "1" && !ClusterAnswers())
        {
            Skip = "no Slurm cluster answers 'sinfo' (start one with: sudo build/slurm/test-cluster.sh install && sudo build/slurm/test-cluster.sh start)";
        }
    }

    private static bool ClusterAnswers()
    {
        try
        {
            using var sinfo = Process.Start(new ProcessStartInfo("sinfo", "--noheader") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (sinfo is null || !sinfo.WaitForExit(10_000))
            {
                return false;
            }

            return sinfo.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
