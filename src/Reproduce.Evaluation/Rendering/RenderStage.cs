using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// The render stage: one cell per experiment. Reads every task's aggregate (in the order the planner lists the
/// tasks: its summary, comparisons and images-per-class estimates) and every pretrain cell's loss curve, evaluates the study's claims over the aggregates, and renders the
/// tables, figures, <c>report.md</c> and <c>report.html</c> into the cell (<see cref="ReportRenderer"/>); the CLI then
/// publishes the cell to <c>results/&lt;experiment&gt;/</c>. The provenance shown is that of the newest aggregate cell:
/// the code and machine of the run that produced the numbers. The cells listed are the pretrain, aggregate and
/// finetune cells, the last named by the aggregate cells' key components.
/// </summary>
public sealed class RenderStage : IStage
{
    /// <summary>Version 3: the report gains the images-per-class tables and figures, and results.csv the <c>images_per_class</c> column.</summary>
    public StageDescriptor Descriptor { get; } = new(StageNames.Render, Version: 3);

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
        var pretrains = context.Upstream.Where(u => u.Address.Stage == StageNames.Pretrain).OrderBy(u => u.Address.Text, StringComparer.Ordinal).ToList();
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
            ProvenanceOf(newest.Provenance, newest.Host, newest.Finished),
            [.. pretrains.Select(p => PretrainLossCurve.Read(p.Address["method"]!, Path.Combine(p.Directory, PretrainLossCurve.FileName)))],
            CellsOf(pretrains, aggregates),
            [.. aggregates.SelectMany(a => AggregateFiles.ReadImagesPerClass(Path.Combine(a.Directory, AggregateFiles.ImagesPerClassFileName)))]);
        ReportRenderer.Render(input, context.WorkDirectory);

        var verdicts = new JsonObject();
        foreach (var claim in input.Claims)
        {
            verdicts[claim.Id] = claim.Verdict.ToString();
        }

        return Task.FromResult(new StageResult(new JsonObject { ["claims"] = verdicts }, []));
    }

    /// <summary>The pretrain cells, then per aggregate cell (in task order) itself and its finetune cells by address.</summary>
    private static List<RenderedCell> CellsOf(List<UpstreamOutput> pretrains, List<UpstreamOutput> aggregates)
    {
        var cells = pretrains.Select(p => new RenderedCell(p.Address.Text, CacheStore.RelativeCellPath(StageNames.Pretrain, p.Key))).ToList();
        foreach (var aggregate in aggregates)
        {
            cells.Add(new RenderedCell(aggregate.Address.Text, CacheStore.RelativeCellPath(StageNames.Aggregate, aggregate.Key)));
            cells.AddRange(aggregate.Meta.Components.Upstream
                .OrderBy(u => u.Key, StringComparer.Ordinal)
                .Select(u => new RenderedCell(u.Key, CacheStore.RelativeCellPath(StageNames.Finetune, u.Value))));
        }

        return cells;
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
