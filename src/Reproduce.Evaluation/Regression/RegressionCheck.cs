using System.Globalization;
using System.Text;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Regression;

/// <summary>Where a run's value lies against its expectation.</summary>
public enum RegressionStatus
{
    /// <summary>Within expected ± tolerance.</summary>
    Within,

    /// <summary>Worse than the band: a regression.</summary>
    Worse,

    /// <summary>
    /// Better than the band. Also a failure: the CI experiment is deterministic, so a jump either way means the
    /// computation changed, and a sudden gain is how test data leaking into training shows. A deliberate
    /// improvement re-derives the baseline.
    /// </summary>
    Better,

    /// <summary>The run has no defined value for an expected metric.</summary>
    Missing,
}

/// <summary>One expected metric against the run.</summary>
public sealed record RegressionLine(BaselineMetric Expected, double? Actual, RegressionStatus Status)
{
    public double? Delta => Actual - Expected.Expected;
}

/// <summary>The comparison of a run's aggregate summaries with a <see cref="Baseline"/>.</summary>
public sealed record RegressionReport(string Experiment, IReadOnlyList<RegressionLine> Lines, IReadOnlyList<string> Unchecked)
{
    public bool Passed => Lines.All(l => l.Status == RegressionStatus.Within);

    public IEnumerable<RegressionLine> Failures => Lines.Where(l => l.Status != RegressionStatus.Within);

    /// <summary>Every expected metric as an aligned table, failures marked, then a one-line verdict.</summary>
    public string Table()
    {
        string[] header = ["task", "init", "fraction", "metric", "expected", "tolerance", "actual", "delta", "status"];
        var rows = Lines.Select(l => new[]
        {
            l.Expected.Task,
            l.Expected.Init,
            Core.Planning.ExperimentGraph.FormatFraction(l.Expected.Fraction),
            l.Expected.Metric,
            Number(l.Expected.Expected),
            "±" + Number(l.Expected.Tolerance),
            l.Actual is { } actual ? Number(actual) : "-",
            l.Delta is { } delta ? (delta >= 0 ? "+" : "") + Number(delta) : "-",
            l.Status switch
            {
                RegressionStatus.Within => "ok",
                RegressionStatus.Worse => "WORSE",
                RegressionStatus.Better => "BETTER",
                _ => "MISSING",
            },
        }).ToList();
        var widths = header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            // Identifiers left-aligned, the four numbers (expected … delta) right-aligned.
            text.AppendLine(string.Join("  ", row.Select((field, c) => c is >= 4 and <= 7 ? field.PadLeft(widths[c]) : field.PadRight(widths[c]))).TrimEnd());
        }

        text.AppendLine();
        var failures = Failures.ToList();
        if (failures.Count == 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"regress {Experiment}: all {Lines.Count} metrics within their bands");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"regress {Experiment}: {failures.Count} of {Lines.Count} metrics outside their bands: {string.Join(", ", failures.Select(f => f.Expected.Name))}");
            if (failures.Any(f => f.Status == RegressionStatus.Better))
            {
                text.AppendLine("  BETTER: the computation changed; check that no test image reaches training, and if the gain is intended, re-derive the baseline (`reproduce baseline`).");
            }
        }

        foreach (var name in Unchecked)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  not in the baseline (unchecked): {name}");
        }

        return text.ToString();
    }

    private static string Number(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}

/// <summary>Compares a run's headline metrics (its aggregate cells' summary rows) with a baseline.</summary>
public static class RegressionCheck
{
    public static RegressionReport Compare(Baseline baseline, IEnumerable<SummaryRow> summary)
    {
        var rows = summary.ToDictionary(Name);
        var lines = baseline.Metrics.Select(expected =>
        {
            if (!rows.TryGetValue(expected.Name, out var row) || !double.IsFinite(row.Mean))
            {
                return new RegressionLine(expected, null, RegressionStatus.Missing);
            }

            var gain = expected.Better == BaselineMetric.Lower ? expected.Expected - row.Mean : row.Mean - expected.Expected;
            // The band is closed; 1e-12 keeps a value on its edge inside it despite binary rounding (0.75 − 0.8 ≠ −0.05).
            var status = Math.Abs(gain) <= expected.Tolerance + 1e-12 ? RegressionStatus.Within : gain < 0 ? RegressionStatus.Worse : RegressionStatus.Better;
            return new RegressionLine(expected, row.Mean, status);
        }).ToList();
        var expectedNames = baseline.Metrics.Select(m => m.Name).ToHashSet();
        return new RegressionReport(baseline.Experiment, lines, [.. rows.Keys.Where(n => !expectedNames.Contains(n))]);
    }

    /// <summary>A summary row's identity, as <see cref="BaselineMetric.Name"/> spells it.</summary>
    public static string Name(SummaryRow row) => BaselineMetric.NameOf(row.Task, row.Init, row.Fraction, row.Metric);
}
