using System.CommandLine;
using Reproduce.Core.Cache;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce clean</c>: deletes the selected cells (under their current keys) and their work
/// directories. A cell being computed right now, or that a run in progress needs (its upstream cells), is left alone
/// and reported.
/// </summary>
internal static class CleanCommand
{
    public static Command Create(CommonOptions common)
    {
        var command = new Command("clean", "delete the selected cells from the cache (all cells of the manifest without filters)");
        common.AddSelection(command);
        command.SetAction(result =>
        {
            var session = common.OpenSession(result);
            var plan = session.Plan(common.FilterFrom(result), force: false);
            var (removed, busy) = (0, 0);
            var inUse = session.Cache.CellsInUse();
            foreach (var entry in plan.Entries.Where(e => e.Selected))
            {
                if (inUse.Contains(entry.Key))
                {
                    Console.WriteLine($"in use  {entry.Cell.Address}: a run in progress needs it; left alone");
                    busy++;
                    continue;
                }

                using var cellLock = session.Cache.TryLock(entry.Key, LockOwner.Current(TimeProvider.System));
                if (cellLock is null)
                {
                    Console.WriteLine($"busy    {entry.Cell.Address}: another process holds its lock; left alone");
                    busy++;
                    continue;
                }

                if (session.Cache.TryReadComplete(entry.Cell.Stage, entry.Key) is not null || session.Cache.HasWork(entry.Cell.Stage, entry.Key))
                {
                    session.Cache.Remove(entry.Cell.Stage, entry.Key);
                    removed++;
                }
            }

            Console.WriteLine($"removed {removed} cell(s){(busy > 0 ? $", {busy} busy" : "")}");
            return busy > 0 ? Core.Errors.ExitCodes.Environment : 0;
        });
        return command;
    }
}
