using System.Text.Json.Nodes;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// The render stage: one cell per experiment. Reads every task's aggregate (in the order the planner lists the
/// tasks), evaluates the study's claims over all of them, and renders the tables, figures and <c>report.md</c>
/// into the cell (<see cref="ReportRenderer"/>); the CLI then publishes the cell to <c>results/&lt;experiment&gt;/</c>.
/// The provenance shown is that of the newest aggregate cell: the code and machine of the run that produced the numbers.
/// </summary>
public sealed class RenderStage : IStage
{
    public StageDescriptor Descriptor { get; } = new(StageNames.Render, Version: 1);

    public Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var aggregates = context.Upstream.Where(u => u.Address.Stage == StageNames.Aggregate).ToList();
        if (aggregates.Count == 0)
        {
            throw new InvalidOperationException($"{context.Address} has no aggregate cells upstream");
        }

        var summaries = aggregates.SelectMany(a => AggregateFiles.ReadSummary(Path.Combine(a.Directory, AggregateFiles.SummaryFileName))).ToList();
        var comparisons = aggregates.SelectMany(a => AggregateFiles.ReadComparisons(Path.Combine(a.Directory, AggregateFiles.ComparisonsFileName))).ToList();
        var newest = aggregates.MaxBy(a => a.Meta.Finished)!.Meta;
        var input = new RenderInput(
            parameters["experiment"]!.GetValue<string>(),
            parameters["title"]!.GetValue<string>(),
            [.. aggregates.Select(a => a.Address["task"]!)],
            Strings(parameters["metrics"]),
            Strings(parameters["inits"]),
            parameters["folds"]!.GetValue<int>(),
            summaries,
            comparisons,
            ClaimChecks.Evaluate(summaries),
            Strings(parameters["deviations"]),
            ProvenanceOf(newest.Provenance, newest.Host, newest.Finished));
        ReportRenderer.Render(input, context.WorkDirectory);

        var verdicts = new JsonObject();
        foreach (var claim in input.Claims)
        {
            verdicts[claim.Id] = claim.Verdict.ToString();
        }

        return Task.FromResult(new StageResult(new JsonObject { ["claims"] = verdicts }, []));
    }

    private static List<string> Strings(JsonNode? node) => [.. node!.AsArray().Select(v => v!.GetValue<string>())];

    private static RenderProvenance ProvenanceOf(JsonObject provenance, string host, DateTimeOffset time)
    {
        string Text(string name) => provenance[name]?.ToString() ?? "unknown";
        var versions = new Dictionary<string, string>();
        foreach (var name in new[] { "reproduce", "torchsharp", "dotnet", "os" })
        {
            versions[name] = Text(name);
        }

        return new RenderProvenance(Text("commit"), versions, Text("device"), provenance["threads"]?.GetValue<int>() ?? 0, host, time);
    }
}
