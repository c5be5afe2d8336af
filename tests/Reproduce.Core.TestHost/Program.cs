using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Execution;
using Reproduce.Core.Keys;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Core.TestHost;

// Runs the test graph of TestGraphs.Fan on a cache: `TestHost <cache-root> <width>`.
// Exit code: the execution report's. Used by the engine tests to kill a run mid-cell and to race
// two processes on one cache.
// With REPRODUCE_TEST_GATE set, announce readiness in "<gate>.<pid>.ready" and wait for the gate file, so
// a test can start two hosts at the same moment, after both paid their start-up cost.
if (Environment.GetEnvironmentVariable("REPRODUCE_TEST_GATE") is { Length: > 0 } gate)
{
    File.WriteAllText($"{gate}.{Environment.ProcessId}.ready", "");
    var deadline = DateTime.UtcNow.AddMinutes(2);
    while (!File.Exists(gate) && DateTime.UtcNow < deadline)
    {
        await Task.Delay(10);
    }
}

var cache = new CacheStore(args[0]);
var graph = TestGraphs.Fan(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
var stages = TestGraphs.Stages();
var plan = Planner.Create(graph, new CellKeys(graph, stages, TestGraphs.Runtime), cache, CellFilter.All, force: false);
var roots = new Roots(args[0], args[0], args[0]);
var executor = new LocalExecutor(stages, cache, roots, new RunSettings { Workers = 2 }, new SilentObserver(), TimeProvider.System, new JsonObject());
var report = await executor.RunAsync(plan, CancellationToken.None);
Console.WriteLine($"computed {report.Count(OutcomeKind.Computed)} cached {report.Count(OutcomeKind.Cached)}");
return report.ExitCode;
