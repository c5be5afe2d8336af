using System.CommandLine;
using System.Runtime.InteropServices;
using Reproduce.Cli.Commands;
using Reproduce.Cli.Composition;
using Reproduce.Core.Errors;

namespace Reproduce.Cli;

/// <summary>
/// The <c>reproduce</c> command: parses arguments, runs one verb, and turns every failure into one
/// clear line and the exit code of DESIGN.md §7 (the stack trace only with --verbose).
/// </summary>
internal static class Program
{
    /// <summary>SIGUSR1 by its Linux number (x86-64 and arm64 alike), which .NET accepts for a signal it does not name.</summary>
    private const PosixSignal UserSignal1 = (PosixSignal)10;

    /// <summary>The verbs that train or time training, which run on jemalloc where the host has it (<see cref="AllocatorPreload"/>).</summary>
    private static readonly HashSet<string> TrainingVerbs = [RunCellCommand.Name, Reproduce.Learning.Models.ConvolutionCrashGuard.ProbeVerb, $"{BenchCommand.Name} {PretrainBench.Name}", $"{BenchCommand.Name} {CellsBench.Name}", $"{BenchCommand.Name} {ViewsBench.Name}"];

    public static async Task<int> Main(string[] args)
    {
        var verbose = new Option<bool>("--verbose") { Description = "print stack traces with errors", Recursive = true };
        var common = new CommonOptions();
        var root = new RootCommand("Reproduce: Wolf et al. 2023 (self-supervised pre-training on CT), end to end")
        {
            PlanCommand.Create(common),
            RunCommand.Create(common, verbose),
            RunCellCommand.Create(common, verbose),
            StatusCommand.Create(common),
            CancelCommand.Create(common),
            CleanCommand.Create(common),
            UnlockCommand.Create(),
            InspectCommand.Create(),
            MetricsCommand.Create(),
            BenchCommand.Create(),
            RegressCommand.Create(common),
            BaselineCommand.Create(common, verbose),
            ProbeKernelsCommand.Create(),
        };
        root.Options.Add(verbose);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            Console.Error.WriteLine("see 'reproduce --help'");
            return ExitCodes.InvalidInput;
        }

        if (TrainingVerbs.Contains(VerbOf(parsed.CommandResult)))
        {
            try
            {
                AllocatorPreload.Apply();
            }
            catch (ReproduceException error)
            {
                Report(error, parsed.GetValue(verbose));
                return error.ExitCode;
            }
        }

        // A cell's own process (run-cell --events) leaves Ctrl+C to the run that started it, which stops it with SIGTERM.
        var parentOwnsSignals = parsed.CommandResult.Command.Name == RunCellCommand.Name && args.Contains(RunCellCommand.EventsFlag);
        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, parentOwnsSignals ? context => context.Cancel = true : Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, parentOwnsSignals ? StopForParent : Interrupt);
        // A cluster task's cell (run-cell without a parent) stops on SIGUSR1, which its job script forwards from Slurm
        // before the time limit: a resumable cell keeps its checkpoint, and the exit code asks the script to requeue.
        var requeue = false;
        using var sigusr1 = parsed.CommandResult.Command.Name == RunCellCommand.Name && !parentOwnsSignals
            ? PosixSignalRegistration.Create(UserSignal1, context =>
            {
                context.Cancel = true;
                requeue = true;
                interrupt.Cancel();
            })
            : null;
        try
        {
            var code = await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, interrupt.Token);
            return interrupt.IsCancellationRequested && code == 0 ? (requeue ? ExitCodes.Requeue : ExitCodes.Interrupted) : code;
        }
        catch (ReproduceException error)
        {
            Report(error, parsed.GetValue(verbose));
            return error.ExitCode;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            return Stopped();
        }
        catch (Exception error)
        {
            Report(error, parsed.GetValue(verbose));
            return ExitCodes.CellFailed;
        }

        int Stopped()
        {
            Console.Error.WriteLine(requeue ? "stopped on SIGUSR1: the cell's checkpoint is kept; exiting for requeue" : "interrupted");
            return requeue ? ExitCodes.Requeue : ExitCodes.Interrupted;
        }

        void StopForParent(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupt.Cancel();
        }

        // The first Ctrl+C (or SIGTERM) asks the run to stop: running cells see the token, resumable
        // ones keep their checkpoints. A second Ctrl+C is not intercepted and ends the process.
        void Interrupt(PosixSignalContext context)
        {
            if (!interrupt.IsCancellationRequested)
            {
                context.Cancel = true;
                Console.Error.WriteLine("interrupting: finishing up (press Ctrl+C again to stop at once)");
                interrupt.Cancel();
            }
        }
    }

    /// <summary>The words that name the parsed command below the root, e.g. <c>bench pretrain</c>.</summary>
    private static string VerbOf(System.CommandLine.Parsing.CommandResult command) =>
        command.Parent is System.CommandLine.Parsing.CommandResult { Parent: not null } parent ? $"{VerbOf(parent)} {command.Command.Name}" : command.Command.Name;

    private static void Report(Exception error, bool verbose)
    {
        var kind = error is ReproduceException ? "error" : "internal error";
        foreach (var line in error.Message.Split(Environment.NewLine))
        {
            Console.Error.WriteLine($"{kind}: {line}");
        }

        if (verbose)
        {
            Console.Error.WriteLine(error);
        }
    }
}
