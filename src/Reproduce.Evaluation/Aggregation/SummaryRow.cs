namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// One line of an aggregate cell's <c>summary.csv</c>: a table metric of one task × init × training fraction
/// over its folds. <see cref="Std"/> is the sample standard deviation (n − 1) and the CI the Student-t 95%
/// interval of the mean; with n = 1 both are NaN. <see cref="N"/> counts the folds where the metric is defined;
/// <see cref="TrainImages"/> is the mean training-set size over the folds and <see cref="MinClassImages"/> the
/// smallest per-class training count over every fold (claim (c)'s "images per class"); <see cref="ImagesPerClass"/>
/// is the mean over the folds of each fold's training images per class (its training-set size over the task's class
/// count), the size the images-per-class learning curves are drawn against (<see cref="ImagesPerClassRow"/>).
/// </summary>
public sealed record SummaryRow(
    string Task,
    string Init,
    double Fraction,
    string Metric,
    int N,
    double Mean,
    double Std,
    double CiLow,
    double CiHigh,
    double TrainImages,
    int MinClassImages,
    double ImagesPerClass);
