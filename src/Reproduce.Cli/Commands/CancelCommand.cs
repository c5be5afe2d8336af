using System.CommandLine;
using Reproduce.Core.Execution.Slurm;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce cancel --manifest M</c>: cancels the Slurm tasks still queued or running for the selected cells,
/// whichever submission made them (a detached run, or one whose terminal is gone). Published cells stay.
/// </summary>
internal static class CancelCommand
{
    public static Command Create(CommonOptions common)
    {
        var command = new Command("cancel", "cancel the Slurm jobs still queued or running for the selected cells");
        common.AddSelection(command);
        command.SetAction(result =>
        {
            var session = common.OpenSession(result);
            var plan = session.Plan(common.FilterFrom(result), force: false);
            var cancelled = new SlurmTracker(session.Cache, new SlurmCommands()).Cancel(plan);
            Console.WriteLine(cancelled.Count == 0
                ? "no job of these cells is queued or running"
                : $"cancelled {cancelled.Count} task(s): {string.Join(" ", cancelled)}");
            return 0;
        });
        return command;
    }
}
