using Reproduce.Cli.Composition;
using Reproduce.Cli.Progress;
using Reproduce.Core.Cache;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Execution.Slurm;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Evaluation.Rendering;
using Spectre.Console;

namespace Reproduce.Cli.Commands;

/// <summary>Runs a plan with the local or the Slurm executor, renders progress, and prints the summary table.</summary>
internal static class Execution
{
    /// <summary>How long an interrupted cell's process has to stop on its own (a training step, a checkpoint) before it is killed.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(60);

    /// <summary>How often the Slurm executor looks at the cache and the queue.</summary>
    private static readonly TimeSpan SlurmPollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Runs the plan's missing cells here, or with <paramref name="cluster"/> as Slurm jobs.</summary>
    public static async Task<int> RunAsync(Session session, Plan plan, RunSettings settings, bool verbose, CancellationToken cancellationToken, SlurmRunOptions? cluster = null)
    {
        // 'clean' leaves this run's cells alone while it lasts, cached upstream cells included.
        using var inUse = cluster is { Detach: true } ? null : session.Cache.UseCells(plan.Entries.Select(e => e.Key), LockOwner.Current(TimeProvider.System));
        if (plan.ToRun == 0)
        {
            Console.WriteLine($"nothing to do: all {plan.Entries.Count} cells are cached");
            PublishResults(session, plan);
            return ExitCodes.Success;
        }

        var slurm = cluster is not null;
        Console.WriteLine(slurm
            ? $"{plan.ToRun} of {plan.Entries.Count} cells to compute, submitted to Slurm"
            : $"{plan.ToRun} of {plan.Entries.Count} cells to compute, {settings.Workers} at a time");
        var clock = TimeProvider.System;
        var provenance = Provenance.Collect(session.RepositoryRoot);
        // Every TorchSharp cell in a process of its own: its memory goes with it, and this process never loads libtorch.
        var ownProcess = new ChildProcessCellRunner(ReproduceHost.Current(), session.Roots, settings, StopGrace);
        SlurmExecutor OnCluster(IExecutionObserver observer) =>
            new(session.Stages, session.Cache, session.Roots, settings, cluster!.Resources, ReproduceHost.Current(), new SlurmCommands(), observer, Console.Out, clock, SlurmPollInterval, cluster.MaxArrayTasks);
        IExecutor Executor(IExecutionObserver observer) => slurm
            ? OnCluster(observer)
            : new LocalExecutor(session.Stages, session.Cache, session.Roots, settings, observer, clock, provenance, ownProcess);
        if (cluster is { Detach: true })
        {
            var submission = OnCluster(new LineObserver(Console.Out, clock)).Submit(plan);
            var manifest = Path.GetRelativePath(Directory.GetCurrentDirectory(), session.Manifest.Files[0]);
            Console.WriteLine($"detached: {(submission.JobIds.Count == 0 ? "no job submitted" : $"job(s) {string.Join(", ", submission.JobIds)} submitted")}; " +
                $"'reproduce status --manifest {manifest}' shows where the cells stand, 'reproduce cancel --manifest {manifest}' cancels their jobs");
            return ExitCodes.Success;
        }

        ExecutionReport report;
        if (Console.IsOutputRedirected || slurm)
        {
            report = await Executor(new LineObserver(Console.Out, clock)).RunAsync(plan, cancellationToken);
        }
        else
        {
            LiveObserver? observer = null;
            report = await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    observer = new LiveObserver(context, clock);
                    return await Executor(observer).RunAsync(plan, cancellationToken);
                });
            foreach (var message in observer!.Messages)
            {
                Console.WriteLine(message);
            }
        }

        Console.WriteLine();
        Console.WriteLine(report.SummaryTable());
        Console.WriteLine(MemoryLine(session, report));
        foreach (var failure in report.Outcomes.Where(o => o.Kind == OutcomeKind.Failed))
        {
            Console.Error.WriteLine($"error: {failure.Describe()}");
            if (verbose)
            {
                Console.Error.WriteLine(failure.Error);
            }
        }

        PublishResults(session, plan);
        return report.ExitCode;
    }

    /// <summary>This process's peak resident set and the largest one of a cell computed in a process of its own.</summary>
    private static string MemoryLine(Session session, ExecutionReport report)
    {
        var own = ProcessMemory.PeakResidentBytes() is { } peak ? $"this process peaked at {Megabytes(peak)} MB" : "this process's peak is unknown here";
        return report.LargestCellPeak(session.Cache) is { } largest
            ? $"memory: {own}; the largest cell, {largest.Address}, at {Megabytes(largest.PeakBytes)} MB in its own process"
            : $"memory: {own}";
    }

    private static long Megabytes(long bytes) => bytes >> 20;

    private static void PublishResults(Session session, Plan plan)
    {
        foreach (var destination in ResultsPublisher.PublishRendered(plan, session.Cache, session.Roots.Results))
        {
            Console.WriteLine($"results: {Path.GetRelativePath(Directory.GetCurrentDirectory(), destination)}");
        }
    }
}

/// <summary>How <c>reproduce run --executor slurm</c> submits: the jobs' resources, the array size cap, and whether to return once submitted.</summary>
internal sealed record SlurmRunOptions(SlurmSpec Resources, int? MaxArrayTasks, bool Detach);
