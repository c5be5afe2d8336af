namespace Reproduce.Evaluation.Statistics;

/// <summary>
/// The mean of n values with their sample standard deviation (n − 1) and the Student-t confidence interval of the
/// mean at <see cref="Descriptive.ConfidenceLevel"/>. With n = 1 the standard deviation and the interval are NaN; with
/// n = 0 everything is NaN.
/// </summary>
public sealed record MeanEstimate(int N, double Mean, double Std, double CiLow, double CiHigh);
