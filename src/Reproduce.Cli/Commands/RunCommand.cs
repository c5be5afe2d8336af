using System.CommandLine;
using Reproduce.Cli.Composition;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;

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
        var command = new Command("run", "compute the selected cells that are not cached, in dependency order");
        common.AddSelection(command);
        command.Options.Add(common.Force);
        command.Options.Add(workers);
        command.Options.Add(threads);
        command.Options.Add(devices);
        command.Options.Add(executor);
        command.Options.Add(maxArrayTasks);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(executor) is not ("local" or "slurm"))
            {
                throw new UsageException($"--executor '{result.GetValue(executor)}': local or slurm");
            }

            if (result.GetValue(maxArrayTasks) is { } tasks && (tasks < 1 || result.GetValue(executor) != "slurm"))
            {
                throw new UsageException($"--max-array-size {tasks}: at least 1, and only with --executor slurm");
            }

            var session = common.OpenSession(result);
            var plan = session.Plan(common.FilterFrom(result), result.GetValue(common.Force));
            var settings = Settings(result.GetValue(common.Device)!, result.GetValue(workers), result.GetValue(threads), session.Manifest.Pretrain.CheckpointEvery) with
            {
                Devices = GpuDevices.Choose(result.GetValue(common.Device)!, result.GetValue(devices)),
            };
            return await Execution.RunAsync(session, plan, settings, result.GetValue(verbose), cancellationToken, result.GetValue(executor)!, result.GetValue(maxArrayTasks));
        });
        return command;
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
            Workers = workers,
            Threads = threads > 0 ? threads : Math.Max(1, Environment.ProcessorCount / workers),
            CheckpointEvery = checkpointEvery,
        };
    }
}
