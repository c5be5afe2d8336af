namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// One line of an aggregate cell's <c>images_per_class.csv</c>: for one table metric and init, the inverse-power-law
/// learning curve score(n) = A − B·n^(−C) through the init's mean score against its mean training images per class at
/// each fraction, and the images per class at which it reaches <see cref="Target"/>, scratch's mean score at fraction
/// 1.0 (<see cref="Statistics.ImagesToTarget"/>). <see cref="Images"/> is the fitted curve's; <see cref="Median"/>,
/// <see cref="CiLow"/> and <see cref="CiHigh"/> are the median and 95% percentile interval over
/// <see cref="Resamples"/> bootstrap resamples of the folds, <see cref="Reached"/> of which reach their target. An
/// images value is <see cref="double.PositiveInfinity"/> where the target is not reached, NaN where it is not defined;
/// A, B and C are NaN without a curve (fewer than three sizes, <see cref="Sizes"/>).
/// </summary>
public sealed record ImagesPerClassRow(
    string Task,
    string Metric,
    string Init,
    int Sizes,
    double Target,
    double A,
    double B,
    double C,
    double Images,
    int Resamples,
    int Reached,
    double Median,
    double CiLow,
    double CiHigh);
