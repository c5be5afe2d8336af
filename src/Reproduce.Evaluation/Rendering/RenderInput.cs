using Reproduce.Core.Manifests;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// Everything the render stage turns into <c>results/&lt;experiment&gt;/</c>: the experiment's identity, what to show
/// and in which order (<see cref="Tasks"/>, <see cref="Metrics"/>, <see cref="Inits"/>), every task's aggregate rows,
/// the claim checks, the manifest's deviations, the provenance of the run, each pre-training method's loss curve, the
/// cells the numbers come from and every task's images-per-class estimates. <see cref="Folds"/> is the manifest's fold count: a cell computed over fewer folds
/// says so. <see cref="Summaries"/>, <see cref="Comparisons"/>, the claims and the images per class are fine-tuning's;
/// <see cref="Probes"/> holds each frozen-encoder protocol's own rows, rendered in a section of their own (none when the
/// experiment evaluates by fine-tuning only).
/// </summary>
public sealed record RenderInput(
    string ExperimentId,
    string Title,
    IReadOnlyList<string> Tasks,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<string> Inits,
    int Folds,
    IReadOnlyList<SummaryRow> Summaries,
    IReadOnlyList<ComparisonRow> Comparisons,
    IReadOnlyList<ClaimCheck> Claims,
    IReadOnlyList<string> Deviations,
    RenderProvenance Provenance,
    IReadOnlyList<PretrainLossCurve> PretrainLosses,
    IReadOnlyList<RenderedCell> Cells,
    IReadOnlyList<ImagesPerClassRow> ImagesPerClass,
    IReadOnlyList<ProtocolResults> Probes);

/// <summary>
/// One frozen-encoder evaluation protocol's aggregate rows over every task it ran on: the same summary and comparison
/// rows as fine-tuning's (init = the init whose encoder was probed), read from that protocol's aggregate cells.
/// <see cref="KnnNeighbours"/> and <see cref="KnnTemperature"/> are the manifest's kNN settings, for the kNN's description.
/// </summary>
public sealed record ProtocolResults(
    string Protocol, IReadOnlyList<SummaryRow> Summaries, IReadOnlyList<ComparisonRow> Comparisons, int? KnnNeighbours = null, double? KnnTemperature = null)
{
    /// <summary>The protocols the report knows, in the order it shows them; any other protocol follows, by name.</summary>
    public static readonly IReadOnlyList<string> KnownProtocols = [Identifiers.LinearProbe, Identifiers.Knn];

    /// <summary>The tasks this protocol has rows for, in the input's task order.</summary>
    public IReadOnlyList<string> TasksIn(RenderInput input) =>
        [.. input.Tasks.Where(task => Summaries.Any(row => row.Task == task))];
}

/// <summary>
/// The code and machine behind the rendered numbers (DESIGN.md §6): the git commit, package versions by package
/// name, the device, the thread count, the host and the time of the run. The only time the report prints is
/// <see cref="Time"/>, so the same input renders the same bytes.
/// </summary>
public sealed record RenderProvenance(
    string Commit,
    IReadOnlyDictionary<string, string> Versions,
    string Device,
    int Threads,
    string Host,
    DateTimeOffset Time);
