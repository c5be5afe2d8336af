using System.CommandLine;
using Reproduce.Cli.Composition;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;

namespace Reproduce.Cli.Commands;

/// <summary><c>reproduce run</c>: compute every selected cell that is not cached (and the upstream cells it needs).</summary>
internal static class RunCommand
{
    public static Command Create(CommonOptions common, Option<bool> verbose)
    {
        var workers = new Option<int>("--workers") { Description = "cells computed at once", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "compute threads per cell (default: cores / workers)" };
        var devices = new Option<string>("--devices") { Description = "with --device cuda: the GPUs the workers share out, one each (e.g. 0,1,2,3; default: every visible GPU)" };
        var executor = new Option<string>("--executor") { Description = "local (this machine) or slurm (job arrays on a cluster sharing the cache)", DefaultValueFactory = _ => "local" };
        var maxArrayTasks = new Option<int?>("--max-array-size") { Description = "with --executor slurm: at most this many cells per job array (default: the cluster's MaxArraySize)" };
        var resources = new Option<string[]>("--slurm") { Description = "with --executor slurm: [STAGE.]SETTING=VALUE over the manifest's slurm section (e.g. pretrain.time=2-00:00:00, partition=debug); repeatable", AllowMultipleArgumentsPerToken = false };
        var detach = new Option<bool>("--detach") { Description = "with --executor slurm: return once the jobs are submitted (follow with status, stop with cancel)" };
        var command = new Command("run", "compute the selected cells that are not cached, in dependency order");
        common.AddSelection(command);
        command.Options.Add(common.Force);
        command.Options.Add(workers);
        command.Options.Add(threads);
        command.Options.Add(devices);
        command.Options.Add(executor);
        command.Options.Add(maxArrayTasks);
        command.Options.Add(resources);
        command.Options.Add(detach);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(executor) is not ("local" or "slurm"))
            {
                throw new UsageException($"--executor '{result.GetValue(executor)}': local or slurm");
            }

            var onCluster = result.GetValue(executor) == "slurm";
            if (result.GetValue(maxArrayTasks) is { } tasks && (tasks < 1 || !onCluster))
            {
                throw new UsageException($"--max-array-size {tasks}: at least 1, and only with --executor slurm");
            }

            var overrides = result.GetValue(resources) ?? [];
            if (!onCluster && (overrides.Length > 0 || result.GetValue(detach)))
            {
                throw new UsageException($"{(overrides.Length > 0 ? "--slurm" : "--detach")}: only with --executor slurm");
            }

            var session = common.OpenSession(result);
            session.PrintLeftOutInits(Console.Error);
            var plan = session.Plan(common.FilterFrom(result), result.GetValue(common.Force));
            var settings = Settings(result.GetValue(common.Device)!, result.GetValue(workers), result.GetValue(threads), session.Manifest.Pretrain.CheckpointEvery) with
            {
                Devices = GpuDevices.Choose(result.GetValue(common.Device)!, result.GetValue(devices)),
            };
            var cluster = onCluster ? new SlurmRunOptions(Override(session.Manifest.Slurm, overrides), result.GetValue(maxArrayTasks), result.GetValue(detach)) : null;
            return await Execution.RunAsync(session, plan, settings, result.GetValue(verbose), cancellationToken, cluster);
        });
        return command;
    }

    /// <summary>The manifest's Slurm resources with each <c>--slurm</c> assignment applied in order.</summary>
    private static SlurmSpec Override(SlurmSpec spec, IEnumerable<string> assignments)
    {
        foreach (var assignment in assignments)
        {
            var (changed, error) = spec.With(assignment);
            spec = changed ?? throw new UsageException($"--slurm {assignment}: {error}");
        }

        return spec;
    }

    public static RunSettings Settings(string device, int workers, int threads, int checkpointEvery)
    {
        if (workers < 1)
        {
            throw new UsageException($"--workers {workers}: at least 1");
        }

        if (threads < 0)
        {
            throw new UsageException($"--threads {threads}: at least 1 (or 0 for cores / workers)");
        }

        return new RunSettings
        {
            Device = device,
            Reproduce = ReproduceHost.Current(),
            Workers = workers,
            Threads = threads > 0 ? threads : Math.Max(1, Environment.ProcessorCount / workers),
            CheckpointEvery = checkpointEvery,
        };
    }
}
