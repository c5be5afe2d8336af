using Reproduce.Core.Manifests;

namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// The inits the comparisons and the claim checks single out (DESIGN.md §7 "Identifiers"). The methods themselves live
/// in Learning's registry, which Evaluation does not reference; these are their ids.
/// </summary>
public static class StudyInits
{
    public const string Scratch = Identifiers.Scratch;

    public const string Spark = "spark";

    public const string Byol = "byol";

    public const string MoCoV2 = "mocov2";

    public const string SwAV = "swav";

    /// <summary>The contrastive methods SparK is set against, in the study's order.</summary>
    public static readonly IReadOnlyList<string> Contrastive = [Byol, MoCoV2, SwAV];

    /// <summary>
    /// Whether an init is one the study compares (scratch or a method pre-trained on LIDC-IDRI), not one read from a
    /// weights file such as ImageNet's: the claims speak of the study's inits only, while tables and comparisons show all.
    /// </summary>
    public static bool IsStudyInit(string init) => init == Scratch || init == Spark || Contrastive.Contains(init);
}
