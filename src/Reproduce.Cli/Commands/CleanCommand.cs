using System.CommandLine;
using Reproduce.Core.Cache;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;

namespace Reproduce.Cli.Commands;

/// <summary><c>reproduce clean</c>: <see cref="CellCleaner"/> on the selected cells, naming each it left alone.</summary>
internal static class CleanCommand
{
    public static Command Create(CommonOptions common)
    {
        var command = new Command("clean", "delete the selected cells from the cache (all cells of the manifest without filters)");
        common.AddSelection(command);
        command.SetAction(result =>
        {
            var session = common.OpenSession(result);
            var report = CellCleaner.Clean(session.Plan(common.FilterFrom(result), force: false), session.Cache, LockOwner.Current(TimeProvider.System));
            foreach (var (entry, reason) in report.LeftAlone)
            {
                Console.WriteLine(reason == CellLeftAlone.InUse
                    ? $"in use  {entry.Cell.Address}: a run in progress needs it; left alone"
                    : $"busy    {entry.Cell.Address}: another process holds its lock; left alone");
            }

            var busy = report.LeftAlone.Count;
            Console.WriteLine($"removed {report.Removed} cell(s){(busy > 0 ? $", {busy} busy" : "")}");
            return busy > 0 ? ExitCodes.Environment : ExitCodes.Success;
        });
        return command;
    }
}
