using Reproduce.Cli.Composition;
using Reproduce.Cli.Progress;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Planning;
using Spectre.Console;

namespace Reproduce.Cli.Commands;

/// <summary>Runs a plan with the local executor, renders progress, and prints the summary table.</summary>
internal static class Execution
{
    public static async Task<int> RunAsync(Session session, Plan plan, RunSettings settings, bool verbose, CancellationToken cancellationToken)
    {
        if (plan.ToRun == 0)
        {
            Console.WriteLine($"nothing to do: all {plan.Entries.Count} cells are cached");
            return ExitCodes.Success;
        }

        Console.WriteLine($"{plan.ToRun} of {plan.Entries.Count} cells to compute, {settings.Workers} at a time");
        var clock = TimeProvider.System;
        var provenance = Provenance.Collect(session.RepositoryRoot);
        ExecutionReport report;
        if (Console.IsOutputRedirected)
        {
            var executor = new LocalExecutor(session.Stages, session.Cache, session.Roots, settings, new LineObserver(Console.Out, clock), clock, provenance);
            report = await executor.RunAsync(plan, cancellationToken);
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
                    var executor = new LocalExecutor(session.Stages, session.Cache, session.Roots, settings, observer, clock, provenance);
                    return await executor.RunAsync(plan, cancellationToken);
                });
            foreach (var message in observer!.Messages)
            {
                Console.WriteLine(message);
            }
        }

        Console.WriteLine();
        Console.WriteLine(report.SummaryTable());
        foreach (var failure in report.Outcomes.Where(o => o.Kind == OutcomeKind.Failed))
        {
            Console.Error.WriteLine($"error: {failure.Describe()}");
            if (verbose)
            {
                Console.Error.WriteLine(failure.Error);
            }
        }

        return report.ExitCode;
    }
}
