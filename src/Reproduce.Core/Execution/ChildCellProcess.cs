using Reproduce.Core.Errors;
using Reproduce.Core.Keys;

namespace Reproduce.Core.Execution;

/// <summary>
/// The child's end of <see cref="ChildProcessCellRunner"/>: computes one cell for the run that started this process,
/// reporting <see cref="CellEvents"/> on <c>events</c>, the outcome as the last event. The parent owns the signals, and
/// this process stops the cell when <c>parentInput</c> closes, which is when the parent is gone.
/// </summary>
public static class ChildCellProcess
{
    /// <summary>Returns the exit code: 0 with a <c>finished</c> event, the error's code with a <c>failed</c> one, or 130 when stopped.</summary>
    /// <param name="errors">where the full exception goes when <paramref name="verbose"/>: the parent shows it</param>
    public static async Task<int> RunAsync(
        ICellRunner runner, CellSpec spec, bool force, TextReader parentInput, TextWriter events, TextWriter errors, TimeProvider clock, bool verbose, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = Task.Run(async () =>
        {
            await parentInput.ReadToEndAsync(CancellationToken.None);
            await stop.CancelAsync();
        }, CancellationToken.None);

        var writer = new CellEventWriter(events, clock);
        try
        {
            var outcome = await runner.RunAsync(new CellRun(spec, force, 0, writer.Started, writer), stop.Token);
            writer.Finished(outcome);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        catch (Exception error)
        {
            var code = error is ReproduceException known ? known.ExitCode : ExitCodes.CellFailed;
            writer.Failed(error is ReproduceException ? error.Message : $"{error.GetType().Name}: {error.Message}", code);
            if (verbose)
            {
                await errors.WriteLineAsync(error.ToString());
            }

            return code;
        }
    }
}
