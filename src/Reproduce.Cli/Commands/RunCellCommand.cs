using System.CommandLine;
using Reproduce.Core.Errors;
using Reproduce.Core.Planning;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce run-cell &lt;key&gt;</c>: compute one cell by key, the entry point of a cluster array
/// task. Its upstream cells must already be cached; a cached cell exits 0 at once, so a requeued
/// or duplicated task is harmless.
/// </summary>
internal static class RunCellCommand
{
    public static Command Create(CommonOptions common, Option<bool> verbose)
    {
        var key = new Argument<string>("key") { Description = "the cell key (as printed by plan)" };
        var threads = new Option<int>("--threads") { Description = "compute threads (default: all cores)" };
        var command = new Command("run-cell", "compute one cell by its key; its upstream cells must be cached");
        command.Arguments.Add(key);
        command.Options.Add(common.Manifest);
        command.Options.Add(common.Device);
        command.Options.Add(common.Force);
        command.Options.Add(threads);
        command.SetAction(async (result, cancellationToken) =>
        {
            var session = common.OpenSession(result);
            var wanted = result.GetValue(key)!;
            var cell = session.Graph.Cells.FirstOrDefault(c => session.Keys.KeyOf(c) == wanted || session.Keys.KeyOf(c).StartsWith(wanted, StringComparison.Ordinal) && wanted.Length >= 12)
                ?? throw new UsageException($"no cell of {session.Manifest.Experiment} has key {wanted} (keys change with the manifest and the device: see 'reproduce plan')");
            var plan = session.Plan(new CellFilter { Values = cell.Address.Coordinates.ToDictionary(c => c.Dimension, c => (IReadOnlyList<string>)[c.Value]), Stages = [cell.Stage] }, result.GetValue(common.Force));
            var missing = plan.Entries.Where(e => cell.Upstream.Contains(e.Cell) && e.WillRun).Select(e => e.Cell.Address.Text).ToList();
            if (missing.Count > 0)
            {
                var named = string.Join(", ", missing.Take(3)) + (missing.Count > 3 ? $" and {missing.Count - 3} more" : "");
                throw new EnvironmentException($"{cell} needs {named} first: run their stage (or 'reproduce run') before this cell");
            }

            var settings = RunCommand.Settings(result.GetValue(common.Device)!, 1, result.GetValue(threads), session.Manifest.Pretrain.CheckpointEvery);
            return await Execution.RunAsync(session, plan, settings, result.GetValue(verbose), cancellationToken);
        });
        return command;
    }
}
