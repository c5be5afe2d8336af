using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// The render stage: one cell per experiment. Reads every task's fine-tuning aggregate (in the order the planner lists
/// the tasks: its summary, comparisons and images-per-class estimates), every frozen-encoder protocol's aggregates (an
/// aggregate cell whose address has a <c>protocol</c> coordinate: its summary and comparisons) and every pretrain cell's
/// loss curve, evaluates the study's claims over the fine-tuning aggregates, and renders the tables, figures,
/// <c>report.md</c> and <c>report.html</c> into the cell (<see cref="ReportRenderer"/>); the CLI then publishes the cell
/// to <c>results/&lt;experiment&gt;/</c>. The provenance shown is that of the newest fine-tuning aggregate cell: the code
/// and machine of the run that produced the numbers. The cells listed are the pretrain cells, the fine-tuning
/// aggregate cells with their finetune cells and the probe aggregate cells with their probe cells, the last two named
/// by the aggregate cells' key components.
/// </summary>
public sealed class RenderStage : IStage
{
    /// <summary>
    /// Version 4: the report gains the linear-probe and kNN section (per protocol and task the metric tables and
    /// reduction curves, files <c>&lt;task&gt;_&lt;metric&gt;_&lt;protocol&gt;</c>, and the protocol's paired comparisons) and the
    /// cells list the probe aggregate and probe cells; a render without probe aggregates upstream is unchanged.
    /// Version 3: the report gains the images-per-class tables and figures, and results.csv the <c>images_per_class</c> column.
    /// </summary>
    public StageDescriptor Descriptor { get; } = new(StageNames.Render, Version: 4);

    public Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var aggregates = context.Upstream.Where(u => u.Address.Stage == StageNames.Aggregate).ToList();
        var fineTuning = aggregates.Where(u => u.Address[ExperimentGraph.ProtocolDimension] is null).ToList();
        if (fineTuning.Count == 0)
        {
            throw new InvalidOperationException($"{context.Address} has no fine-tuning aggregate cells upstream");
        }

        // Per protocol its aggregate cells in upstream (the planner's task) order; the protocols in the report's order.
        var probes = aggregates.Where(u => u.Address[ExperimentGraph.ProtocolDimension] is not null)
            .GroupBy(u => u.Address[ExperimentGraph.ProtocolDimension]!)
            .OrderBy(group => TableWriters.Position(ProtocolResults.KnownProtocols, group.Key)).ThenBy(group => group.Key, StringComparer.Ordinal)
            .ToList();
        var summaries = fineTuning.SelectMany(ReadSummary).ToList();
        var comparisons = fineTuning.SelectMany(ReadComparisons).ToList();
        var newest = fineTuning.MaxBy(a => a.Meta.Finished)!.Meta;
        var pretrains = context.Upstream.Where(u => u.Address.Stage == StageNames.Pretrain).OrderBy(u => u.Address.Text, StringComparer.Ordinal).ToList();
        var input = new RenderInput(
            parameters["experiment"]!.GetValue<string>(),
            parameters["title"]!.GetValue<string>(),
            [.. fineTuning.Select(a => a.Address["task"]!)],
            Strings(parameters["metrics"]),
            Strings(parameters["inits"]),
            parameters["folds"]!.GetValue<int>(),
            summaries,
            comparisons,
            ClaimChecks.Evaluate(summaries),
            Strings(parameters["deviations"]),
            ProvenanceOf(newest.Provenance, newest.Host, newest.Finished),
            [.. pretrains.Select(p => PretrainLossCurve.Read(p.Address["method"]!, Path.Combine(p.Directory, PretrainLossCurve.FileName)))],
            CellsOf(pretrains, fineTuning, [.. probes.SelectMany(group => group)]),
            [.. fineTuning.SelectMany(a => AggregateFiles.ReadImagesPerClass(Path.Combine(a.Directory, AggregateFiles.ImagesPerClassFileName)))],
            [.. probes.Select(group => new ProtocolResults(
                group.Key, [.. group.SelectMany(ReadSummary)], [.. group.SelectMany(ReadComparisons)],
                parameters["knn"]?["neighbours"]?.GetValue<int>(), parameters["knn"]?["temperature"]?.GetValue<double>()))]);
        ReportRenderer.Render(input, context.WorkDirectory);

        var verdicts = new JsonObject();
        foreach (var claim in input.Claims)
        {
            verdicts[claim.Id] = claim.Verdict.ToString();
        }

        return Task.FromResult(new StageResult(new JsonObject { ["claims"] = verdicts }, []));
    }

    private static IReadOnlyList<SummaryRow> ReadSummary(UpstreamOutput aggregate) =>
        AggregateFiles.ReadSummary(Path.Combine(aggregate.Directory, AggregateFiles.SummaryFileName));

    private static IReadOnlyList<ComparisonRow> ReadComparisons(UpstreamOutput aggregate) =>
        AggregateFiles.ReadComparisons(Path.Combine(aggregate.Directory, AggregateFiles.ComparisonsFileName));

    /// <summary>
    /// The pretrain cells, then per fine-tuning aggregate cell (in task order) itself and its finetune cells by address,
    /// then per probe aggregate cell (in protocol, then task order) itself and its probe cells by address.
    /// </summary>
    private static List<RenderedCell> CellsOf(List<UpstreamOutput> pretrains, List<UpstreamOutput> fineTuning, List<UpstreamOutput> probes)
    {
        var cells = pretrains.Select(p => new RenderedCell(p.Address.Text, CacheStore.RelativeCellPath(StageNames.Pretrain, p.Key))).ToList();
        foreach (var (aggregates, upstreamStage) in new[] { (fineTuning, StageNames.Finetune), (probes, StageNames.Probe) })
        {
            foreach (var aggregate in aggregates)
            {
                cells.Add(new RenderedCell(aggregate.Address.Text, CacheStore.RelativeCellPath(StageNames.Aggregate, aggregate.Key)));
                cells.AddRange(aggregate.Meta.Components.Upstream
                    .OrderBy(u => u.Key, StringComparer.Ordinal)
                    .Select(u => new RenderedCell(u.Key, CacheStore.RelativeCellPath(upstreamStage, u.Value))));
            }
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
