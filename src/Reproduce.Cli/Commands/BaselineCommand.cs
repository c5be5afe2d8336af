using System.CommandLine;
using System.Globalization;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Regression;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce baseline</c>: runs an experiment through its aggregates at its own seed and at each of
/// <c>--seeds</c>, and writes <c>results/baselines/&lt;experiment&gt;.json</c> with the Markdown file that says how
/// its tolerances were derived (<see cref="BaselineDerivation"/>). Cells of every seed stay cached, so a rerun with
/// another <c>--k</c> or <c>--floor</c> computes nothing.
/// </summary>
internal static class BaselineCommand
{
    public static Command Create(CommonOptions common, Option<bool> verbose)
    {
        var seeds = new Option<string[]>("--seeds")
        {
            Description = "the other seeds σ is measured over, repeated or separated by commas (at least 2; the manifest's own seed is always the first run)",
            DefaultValueFactory = _ => ["2,3,4,5"],
            AllowMultipleArgumentsPerToken = true,
        };
        var k = new Option<double>("--k") { Description = "tolerance = max(floor, k·σ)", DefaultValueFactory = _ => 4 };
        var floor = new Option<double>("--floor") { Description = "the smallest tolerance", DefaultValueFactory = _ => 0.02 };
        var workers = new Option<int>("--workers") { Description = "cells computed at once", DefaultValueFactory = _ => 1 };
        // The thread count changes a cell's numbers more than the bands allow for some metrics, so the baseline and
        // the regression run (the Regress target) both use one thread per cell, the same on every machine.
        var threads = new Option<int>("--threads") { Description = "compute threads per cell (Regress runs at 1)", DefaultValueFactory = _ => 1 };
        var command = new Command("baseline", "derive results/baselines/<experiment>.json from runs at several seeds");
        command.Options.Add(common.Manifest);
        command.Options.Add(common.Device);
        command.Options.Add(seeds);
        command.Options.Add(k);
        command.Options.Add(floor);
        command.Options.Add(workers);
        command.Options.Add(threads);
        command.SetAction(async (result, cancellationToken) =>
        {
            var manifestPath = result.GetValue(common.Manifest)!;
            var device = result.GetValue(common.Device)!;
            var reference = common.OpenSession(result);
            var others = Seeds(result.GetValue(seeds)!).Where(s => s != reference.Manifest.Seed).ToList();
            if (others.Count < 2 || !(result.GetValue(k) > 0) || !(result.GetValue(floor) >= 0))
            {
                throw new UsageException("--seeds needs at least 2 seeds besides the manifest's, --k a positive number and --floor a number ≥ 0");
            }

            var runs = new List<BaselineDerivation.SeedRun>();
            foreach (var seed in others.Prepend(reference.Manifest.Seed))
            {
                var session = seed == reference.Manifest.Seed ? reference : Session.Open(reference.Manifest with { Seed = seed }, device);
                Console.WriteLine($"seed {seed}:");
                var plan = session.Plan(CellFilter.Create(new Dictionary<string, IReadOnlyList<string>>(), [StageNames.Aggregate]), force: false);
                var settings = RunCommand.Settings(device, result.GetValue(workers), result.GetValue(threads), session.Manifest.Pretrain.CheckpointEvery);
                var code = await Execution.RunAsync(session, plan, settings, result.GetValue(verbose), cancellationToken);
                if (code != ExitCodes.Success)
                {
                    return code;
                }

                runs.Add(new BaselineDerivation.SeedRun(seed, ExperimentSummaries.Read(session.Manifest.Experiment, session.Graph, session.Keys, session.Cache)));
            }

            var invocation = $"reproduce baseline --manifest {manifestPath} --threads {result.GetValue(threads)} --seeds {string.Join(',', others)} --k {result.GetValue(k).ToString(CultureInfo.InvariantCulture)} --floor {result.GetValue(floor).ToString(CultureInfo.InvariantCulture)}";
            var derived = BaselineDerivation.Derive(reference.Manifest.Experiment, manifestPath, runs[0], runs[1..], result.GetValue(k), result.GetValue(floor), invocation);
            var path = reference.BaselinePath;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            derived.Baseline.Write(path);
            File.WriteAllText(Path.ChangeExtension(path, ".md"), derived.Explanation);
            Console.WriteLine($"baseline: {derived.Baseline.Metrics.Count} metrics written to {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)} (derivation: {Path.GetFileName(Path.ChangeExtension(path, ".md"))})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static List<long> Seeds(string[] values) =>
        [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : throw new UsageException($"--seeds: '{v}' is not an integer"))
            .Distinct()];
}
