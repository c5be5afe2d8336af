using System.CommandLine;
using System.Globalization;
using Reproduce.Cli.Composition;
using Reproduce.Cli.Progress;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Learning.Benchmarks;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce bench cells</c>: <see cref="CellsMemoryBenchmark"/> on <c>--count</c> fine-tuning cells of one task and
/// init of a manifest (default: the quickstart's OrganSMNIST from scratch), on a fresh temporary cache, data and results
/// root deleted afterwards.
/// </summary>
internal static class CellsBench
{
    /// <summary>The verb under <see cref="BenchCommand.Name"/>.</summary>
    public const string Name = "cells";

    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "fine-tuning cells to run", DefaultValueFactory = _ => 9 };
        var manifest = new Option<string>("--manifest") { Description = "the manifest whose cells run", DefaultValueFactory = _ => "experiments/synthetic.yaml" };
        var task = new Option<string>("--task") { Description = "the cells' task", DefaultValueFactory = _ => "organsmnist" };
        var init = new Option<string>("--init") { Description = "the cells' init (scratch needs no pre-training)", DefaultValueFactory = _ => "scratch" };
        var threads = new Option<int>("--threads") { Description = "compute threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command(Name, "peak memory after 1, 3, 9, … fine-tuning cells in one process");
        foreach (var option in new Option[] { count, manifest, task, init, threads })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var wanted = result.GetValue(count);
            if (wanted < 1)
            {
                throw new UsageException($"--count {wanted}: at least 1");
            }

            var root = Path.Combine(Path.GetTempPath(), $"reproduce-bench-cells-{Environment.ProcessId}");
            foreach (var (variable, folder) in new[] { ("REPRODUCE_CACHE", "cache"), ("REPRODUCE_DATA", "data"), ("REPRODUCE_RESULTS", "results") })
            {
                Environment.SetEnvironmentVariable(variable, Path.Combine(root, folder));
            }

            try
            {
                var session = Session.Open(result.GetValue(manifest)!, "cpu");
                var selection = new Dictionary<string, IReadOnlyList<string>> { ["task"] = [result.GetValue(task)!], ["init"] = [result.GetValue(init)!] };
                var plan = session.Plan(CellFilter.Create(selection, [Core.Manifests.StageNames.Finetune]), force: false);
                var available = CellsMemoryBenchmark.FinetuneCells(plan).Count;
                if (wanted > available)
                {
                    throw new UsageException($"--count {wanted}: {session.Manifest.Experiment} has {available} fine-tuning cells of task {result.GetValue(task)} and init {result.GetValue(init)}");
                }

                var settings = RunCommand.Settings("cpu", workers: 1, result.GetValue(threads), session.Manifest.Pretrain.CheckpointEvery);
                var clock = TimeProvider.System;
                var outcome = await CellsMemoryBenchmark.RunAsync(
                    plan, wanted, session.Cache, settings.Threads,
                    observer => new LocalExecutor(session.Stages, session.Cache, session.Roots, settings, observer, clock, Provenance.Collect(session.RepositoryRoot)),
                    new LineObserver(Console.Out, clock), Print, cancellationToken);
                if (outcome.Report.ExitCode != ExitCodes.Success)
                {
                    Console.Error.WriteLine(outcome.Report.SummaryTable());
                    return outcome.Report.ExitCode;
                }

                Console.WriteLine($"peak after {wanted} cells / after 1: {outcome.Growth:0.00} (target: at most {CellsMemoryBenchmark.TargetGrowth:0.00})");
                var parts = outcome.FirstCell!;
                Console.WriteLine(
                    $"one cell, accounted: the process before it {Megabytes(outcome.BeforeFirst)} MB + weights {Megabytes(parts.Weights)} + gradients {Megabytes(parts.Gradients)} " +
                    $"+ optimizer state {Megabytes(parts.OptimizerState)} + best-epoch snapshot {Megabytes(parts.Snapshot)} + images {Megabytes(parts.Data)} " +
                    $"+ a training batch's activations {Megabytes(parts.Activations)} = {Megabytes(outcome.Accounted)} MB; its peak RSS {Megabytes(outcome.Peaks[0])} MB is " +
                    $"{(double)outcome.Peaks[0] / outcome.Accounted:0.00}× that (target: at most {CellsMemoryBenchmark.TargetAccount:0.0})");
                return ExitCodes.Success;
            }
            finally
            {
                // A refused --count ends before any cell has made the folder.
                if (Directory.Exists(root))
                {
                    Directory.Delete(root, recursive: true);
                }
            }
        });
        return command;
    }

    private static void Print(MemorySample sample) => Console.WriteLine(
        $"after {sample.Cells} cell{(sample.Cells == 1 ? "" : "s")}: peak RSS {Megabytes(sample.PeakResident)} MB, RSS {Megabytes(sample.Resident)} MB, " +
        $"native heap in use {(sample.NativeHeap is { } native ? Megabytes(native).ToString(CultureInfo.InvariantCulture) : "?")} MB, managed heap {Megabytes(sample.ManagedHeap)} MB");

    private static long Megabytes(long bytes) => bytes >> 20;
}
