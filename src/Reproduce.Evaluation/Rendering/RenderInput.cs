using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// Everything the render stage turns into <c>results/&lt;experiment&gt;/</c>: the experiment's identity, what to show
/// and in which order (<see cref="Tasks"/>, <see cref="Metrics"/>, <see cref="Inits"/>), every task's aggregate rows,
/// the claim checks, the manifest's deviations, the provenance of the run, each pre-training method's loss curve, the
/// cells the numbers come from and every task's images-per-class estimates. <see cref="Folds"/> is the manifest's fold count: a cell computed over fewer folds
/// says so.
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
    IReadOnlyList<ImagesPerClassRow> ImagesPerClass);

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
