using System.CommandLine;
using Reproduce.Core.Execution.Slurm;
using Reproduce.Core.Planning;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce status</c>: per stage, how many cells are cached, missing or incomplete, and which locks are held; when
/// cells were submitted to Slurm, where each stands on the cluster (queued, running, failed and why, blocked).
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CommonOptions common)
    {
        var command = new Command("status", "counts of cached, missing and incomplete cells per stage, and held locks");
        common.AddSelection(command);
        command.SetAction(result =>
        {
            var session = common.OpenSession(result);
            var plan = session.Plan(common.FilterFrom(result), force: false);
            Console.WriteLine($"experiment {session.Manifest.Experiment}, cache {session.Cache.Root}");
            Console.WriteLine($"{"stage",-12} {"cells",6} {"cached",7} {"missing",8} {"incomplete",11}");
            foreach (var stage in plan.Stages)
            {
                Console.WriteLine($"{stage,-12} {plan.Count(stage),6} {plan.Count(stage, CellStatus.Cached),7} {plan.Count(stage, CellStatus.Missing),8} {plan.Count(stage, CellStatus.Incomplete),11}");
            }

            var keys = plan.Entries.ToDictionary(e => e.Key, e => e.Cell.Address.Text);
            foreach (var held in session.Cache.Locks().Where(l => l.Held))
            {
                var cell = keys.GetValueOrDefault(held.Key, "a cell of another manifest");
                var stale = held.HolderIsDead ? " (its process is gone: 'reproduce unlock --stale')" : "";
                Console.WriteLine($"locked  {cell} {held.Key[..12]} by {held.Owner?.ToString() ?? "an unknown process"}{stale}");
            }

            // Cells never submitted to Slurm have no lease, and then squeue is not asked at all.
            var cluster = new SlurmTracker(session.Cache, new SlurmCommands()).States(plan);
            if (cluster.Any(s => s.Lease is not null))
            {
                PrintCluster(cluster);
            }

            return 0;
        });
        return command;
    }

    private static void PrintCluster(IReadOnlyList<SlurmCellState> states)
    {
        var columns = new[] { SlurmCellStatus.Cached, SlurmCellStatus.Pending, SlurmCellStatus.Running, SlurmCellStatus.Failed, SlurmCellStatus.Blocked, SlurmCellStatus.Missing, SlurmCellStatus.Submitting };
        Console.WriteLine();
        Console.WriteLine("on Slurm (from the cache, the submissions' leases and squeue):");
        Console.WriteLine($"{"stage",-12}" + string.Concat(columns.Select(c => $" {c.ToString().ToLowerInvariant(),10}")));
        foreach (var stage in states.GroupBy(s => s.Entry.Cell.Stage))
        {
            Console.WriteLine($"{stage.Key,-12}" + string.Concat(columns.Select(c => $" {stage.Count(s => s.Status == c),10}")));
        }

        foreach (var state in states.Where(s => s.Status is SlurmCellStatus.Running or SlurmCellStatus.Failed))
        {
            var line = state.Status == SlurmCellStatus.Running
                ? $"running {state.Entry.Cell} as task {state.Lease!.Task}, log {state.Lease.Log}"
                : $"failed  {state.Entry.Cell}: {state.Reason}";
            Console.WriteLine(line);
        }
    }
}
