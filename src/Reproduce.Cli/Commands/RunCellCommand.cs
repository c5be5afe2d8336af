using System.CommandLine;
using Reproduce.Cli.Composition;
using Reproduce.Cli.Progress;
using Reproduce.Core.Cache;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Learning;
using Reproduce.Learning.Runtime;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce run-cell &lt;key&gt;</c>: compute one cell from the spec recorded under its key in the cache, with no
/// manifest: the process <c>reproduce run</c> starts for each heavy cell, and the entry point of a cluster task. Its
/// upstream cells must already be cached; a cached cell exits 0 at once, so a requeued or duplicated task is harmless.
/// With <c>--manifest</c> the manifest is planned first and the cell's spec recorded, so a key from
/// <c>reproduce plan</c> runs directly.
/// </summary>
internal static class RunCellCommand
{
    public const string Name = "run-cell";

    /// <summary>Progress as <see cref="CellEvents"/> lines for the run that started this process, which then owns its signals.</summary>
    public const string EventsFlag = "--events";

    public static Command Create(CommonOptions common, Option<bool> verbose)
    {
        var key = new Argument<string>("key") { Description = "the cell key (as printed by plan; a unique prefix of at least 12 characters will do)" };
        var manifest = new Option<string>("--manifest") { Description = "plan this manifest first, so its cells' keys are known (and take its cache)" };
        var cache = new Option<string>("--cache") { Description = "the cache holding the cell's spec (default: REPRODUCE_CACHE, else cache/ in the repository)" };
        var data = new Option<string>("--data") { Description = "the data root (default: REPRODUCE_DATA, else data/)" };
        var results = new Option<string>("--results") { Description = "the results root (default: REPRODUCE_RESULTS, else results/)" };
        var device = new Option<string>("--device") { Description = "cpu or cuda (default: the device the key was computed for)" };
        var threads = new Option<int>("--threads") { Description = "compute threads (default: all cores)" };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "training steps between checkpoints (default: the manifest's, else 500)" };
        var events = new Option<bool>(EventsFlag) { Description = "report as JSON lines for a parent run (internal)", Hidden = true };
        var command = new Command(Name, "compute one cell by its key from its recorded spec; its upstream cells must be cached");
        command.Arguments.Add(key);
        foreach (var option in new Option[] { manifest, cache, data, results, device, common.Force, threads, checkpointEvery, events })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var repositoryRoot = Roots.FindRepositoryRoot(Directory.GetCurrentDirectory());
            var manifestPath = result.GetValue(manifest);
            var session = manifestPath is null ? null : Session.Open(manifestPath, result.GetValue(device) ?? "cpu");
            var configured = Roots.Resolve(repositoryRoot, session?.Manifest.Paths ?? PathsSpec.None, Environment.GetEnvironmentVariable);
            var roots = new Roots(
                Path.GetFullPath(result.GetValue(data) ?? configured.Data),
                Path.GetFullPath(result.GetValue(cache) ?? configured.Cache),
                Path.GetFullPath(result.GetValue(results) ?? configured.Results));
            var store = new CacheStore(roots.Cache);
            var wanted = result.GetValue(key)!;
            var spec = session is null ? store.ReadSpec(wanted) : PlannedCell.Record(session.Manifest.Experiment, session.Graph, session.Keys, store, wanted);
            var settings = new RunSettings
            {
                Device = ComputeDevice.PlannedFor(spec, result.GetValue(device)),
                Reproduce = ReproduceHost.Current(),
                Workers = 1,
                Threads = result.GetValue(threads) is > 0 and var chosen ? chosen : Environment.ProcessorCount,
                CheckpointEvery = result.GetValue(checkpointEvery) is > 0 and var every ? every : session?.Manifest.Pretrain.CheckpointEvery ?? new RunSettings().CheckpointEvery,
            };
            var clock = TimeProvider.System;
            var provenance = Provenance.Collect(repositoryRoot);
            if (settings.Device == "cuda")
            {
                provenance["gpu"] = GpuDevices.NameOfVisible() ?? "unknown (nvidia-smi gave no name)";
            }

            var runner = new InProcessCellRunner(PipelineStages.Create(), store, roots, settings, clock, provenance, ownProcess: true);
            var force = result.GetValue(common.Force);
            return result.GetValue(events)
                ? await ChildCellProcess.RunAsync(runner, spec, force, Console.In, Console.Out, Console.Error, clock, result.GetValue(verbose), cancellationToken)
                : await ForUserAsync(runner, spec, force, clock, cancellationToken);
        });
        return command;
    }

    private static async Task<int> ForUserAsync(InProcessCellRunner runner, CellSpec spec, bool force, TimeProvider clock, CancellationToken cancellationToken)
    {
        var lines = new LineObserver(Console.Out, clock);
        var started = clock.GetTimestamp();
        var outcome = await runner.RunAsync(new CellRun(spec, force, 0, () => Console.WriteLine($"start   {spec.Address} ({spec.Key[..12]})"), lines.ProgressOf(spec.Address)), cancellationToken);
        switch (outcome.Status)
        {
            case CellRunStatus.Computed:
                Console.WriteLine($"done    {spec.Address} in {clock.GetElapsedTime(started).TotalSeconds:0.0}s");
                return ExitCodes.Success;
            case CellRunStatus.Cached:
                Console.WriteLine($"cached  {spec.Address}");
                return ExitCodes.Success;
            default:
                throw new EnvironmentException($"{spec.Address} is being computed by {outcome.Holder?.ToString() ?? "another process"}; run again once it is done");
        }
    }
}
