using System.Globalization;
using System.Text.Json.Nodes;
using Reproduce.Core.Stages;

namespace Reproduce.Core.TestHost;

/// <summary>
/// Test-only stages: <c>source</c> writes its parameter <c>value</c>; <c>sum</c> adds its upstream
/// values. Both write "stage key pid" into a new file in the journal folder named by the environment
/// variable REPRODUCE_TEST_JOURNAL (if set), so tests can count how often each cell was computed and by whom,
/// and sleep <c>delay_ms</c> (from REPRODUCE_TEST_DELAY_MS) so a test can kill or race a run mid-cell.
/// </summary>
public sealed class ValueStage(string name, int version = 1) : IStage
{
    public const string ValueFile = "value.txt";

    public StageDescriptor Descriptor { get; } = new(name, version);

    public async Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var value = parameters["value"]?.GetValue<double>()
            ?? context.Upstream.Sum(u => double.Parse(File.ReadAllText(Path.Combine(u.Directory, ValueFile)), CultureInfo.InvariantCulture));
        var partial = Path.Combine(context.WorkDirectory, "partial.txt");
        await File.WriteAllTextAsync(partial, "started", cancellationToken);
        Journal(context.Key);
        if (int.TryParse(Environment.GetEnvironmentVariable("REPRODUCE_TEST_DELAY_MS"), out var delay) && delay > 0)
        {
            await Task.Delay(delay, cancellationToken);
        }

        if (parameters["fail"]?.GetValue<bool>() == true)
        {
            throw new InvalidOperationException($"{context.Address} fails on purpose");
        }

        await File.WriteAllTextAsync(Path.Combine(context.WorkDirectory, ValueFile), value.ToString(CultureInfo.InvariantCulture), cancellationToken);
        return new StageResult(new JsonObject { ["value"] = value });
    }

    private void Journal(string key)
    {
        if (Environment.GetEnvironmentVariable("REPRODUCE_TEST_JOURNAL") is { Length: > 0 } journal)
        {
            // One file per computation: appends from two processes to one file could overwrite each other.
            Directory.CreateDirectory(journal);
            File.WriteAllText(Path.Combine(journal, $"{Guid.NewGuid():N}.txt"), $"{Descriptor.Name} {key} {Environment.ProcessId}");
        }
    }
}
