using System.Globalization;
using System.Text;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Regression;

/// <summary>
/// Derives a <see cref="Baseline"/> from runs of one experiment that differ only in the manifest's seed (REPRODUCIBILITY.md
/// §5): the expected value is the reference seed's mean over folds, which the deterministic CI run
/// reproduces on this machine kind; the tolerance is max(<c>floor</c>, k·σ), σ the sample standard deviation of that
/// mean over all the seeds. σ stands for what another CPU, BLAS or a numerically different but correct change of the
/// code does to a run: each perturbs training as a new seed does. The CLI's k = 4, one more than the control-chart
/// limit, because five seeds underestimate σ: a second host of the machine kind put one metric at 3.04σ
/// (results/baselines/ci.md). On one host the run is deterministic and a metric moves only when the code changes what
/// it computes, and then a real fault (a wrong label mapping turns an AUC of 0.8 into 0.2) falls far outside.
/// </summary>
public static class BaselineDerivation
{
    public sealed record SeedRun(long Seed, IReadOnlyList<SummaryRow> Summary);

    public sealed record Derived(Baseline Baseline, string Explanation);

    public static Derived Derive(string experiment, string manifestPath, SeedRun reference, IReadOnlyList<SeedRun> others, double k, double floor, string command)
    {
        if (others.Count < 2)
        {
            throw new ArgumentException($"{others.Count + 1} seed(s): σ needs at least 3 runs (REPRODUCIBILITY.md §5 recommends 5)", nameof(others));
        }

        var runs = others.Prepend(reference).ToList();
        var byRun = runs.Select(r => r.Summary.ToDictionary(RegressionCheck.Name)).ToList();
        var metrics = new List<BaselineMetric>();
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"| task | init | fraction | metric | {string.Join(" | ", runs.Select(r => $"seed {r.Seed}"))} | σ | expected | tolerance |");
        table.AppendLine(CultureInfo.InvariantCulture, $"|---|---|---|---|{string.Concat(runs.Select(_ => "---:|"))}---:|---:|---:|");
        foreach (var row in reference.Summary.Where(r => double.IsFinite(r.Mean)))
        {
            var name = RegressionCheck.Name(row);
            var values = byRun.Select(run => run.TryGetValue(name, out var other) ? other.Mean : double.NaN).ToList();
            var defined = values.Where(double.IsFinite).ToList();
            if (defined.Count < 3)
            {
                // Too few seeds define it (e.g. an AUC with one class absent from a small test set): no band can be measured.
                continue;
            }

            var mean = defined.Average();
            var sigma = Math.Sqrt(defined.Sum(v => (v - mean) * (v - mean)) / (defined.Count - 1));
            var tolerance = Math.Ceiling(Math.Max(floor, k * sigma) * 1000) / 1000;
            metrics.Add(new BaselineMetric(row.Task, row.Init, row.Fraction, row.Metric, row.Mean, tolerance, BaselineMetric.Higher));
            table.AppendLine(CultureInfo.InvariantCulture, $"| {row.Task} | {row.Init} | {Core.Planning.ExperimentGraph.FormatFraction(row.Fraction)} | {row.Metric} | {string.Join(" | ", values.Select(Number))} | {Number(sigma)} | {Number(row.Mean)} | ±{Number(tolerance)} |");
        }

        var explanation = new StringBuilder();
        explanation.AppendLine(CultureInfo.InvariantCulture, $"# Baseline of `{experiment}`: how the tolerances were derived");
        explanation.AppendLine();
        explanation.AppendLine(CultureInfo.InvariantCulture, $"Written by `{command}` from {runs.Count} runs of `{manifestPath}` that differ only in the manifest's `seed` ({string.Join(", ", runs.Select(r => r.Seed))}; the first is the manifest's own).");
        explanation.AppendLine();
        explanation.AppendLine(CultureInfo.InvariantCulture, $"- **expected**: the mean over folds of the run with seed {reference.Seed}, which `./build.sh --target=Regress` reproduces exactly on a machine of the same kind (a CPU run is deterministic: two fresh runs agree bit for bit).");
        explanation.AppendLine(CultureInfo.InvariantCulture, $"- **tolerance** = max({Number(floor)}, {k.ToString(CultureInfo.InvariantCulture)}·σ), rounded up to 0.001, where σ is the sample standard deviation of that mean over the {runs.Count} seeds. Another CPU or BLAS, or a numerically different but correct change of the code, perturbs training the way a new seed does, and {k.ToString(CultureInfo.InvariantCulture)}σ covers that (another thread count per cell can move a metric further, which is why the runs here and `./build.sh --target=Regress` use the same, given in the command above); a real fault (a wrong label mapping turns an AUC of 0.8 into 0.2) falls far outside.");
        explanation.AppendLine("- **better**: `higher` for every table metric. `Regress` fails when a value leaves its band on either side: worse is a regression, and better than the band means the computation changed (or test images reach training); a deliberate change re-derives the baseline with the command above.");
        explanation.AppendLine("- Metrics that fewer than three seeds define (an AUC with one class absent from the test set) are left out.");
        explanation.AppendLine();
        explanation.Append(table);
        var baseline = new Baseline
        {
            Experiment = experiment,
            Derivation = $"expected: the seed-{reference.Seed} run's mean over folds; tolerance: max({Number(floor)}, {k.ToString(CultureInfo.InvariantCulture)}·σ) with σ over seeds {string.Join(", ", runs.Select(r => r.Seed))} (see {experiment}.md)",
            Metrics = metrics,
        };
        return new Derived(baseline, explanation.ToString());
    }

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
}
