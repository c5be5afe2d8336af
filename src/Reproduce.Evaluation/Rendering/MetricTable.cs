using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// One task's table for one metric: a row per init in the input's order, a column per training fraction of the task
/// (largest first), each cell the aggregate row of that init and fraction or null where none was computed.
/// </summary>
public sealed record MetricTable(
    string Task,
    string Metric,
    int Folds,
    IReadOnlyList<double> Fractions,
    IReadOnlyList<MetricTableRow> Rows)
{
    /// <summary>
    /// The table of <paramref name="task"/> × <paramref name="metric"/>. Its columns are the fractions of every row of
    /// the task, so a task's tables for different metrics line up.
    /// </summary>
    public static MetricTable From(RenderInput input, string task, string metric)
    {
        var taskRows = input.Summaries.Where(row => row.Task == task).ToList();
        var fractions = taskRows.Select(row => row.Fraction).Distinct().OrderDescending().ToList();
        var cells = new Dictionary<(string Init, double Fraction), SummaryRow>();
        foreach (var row in taskRows.Where(row => row.Metric == metric))
        {
            if (!cells.TryAdd((row.Init, row.Fraction), row))
            {
                throw new ArgumentException(
                    $"Two summary rows for task {task}, init {row.Init}, fraction {RenderText.Decimal(row.Fraction)}, metric {metric}.",
                    nameof(input));
            }
        }

        var rows = input.Inits
            .Select(init => new MetricTableRow(
                init,
                [.. fractions.Select(fraction => cells.GetValueOrDefault((init, fraction)))]))
            .ToList();
        return new MetricTable(task, metric, input.Folds, fractions, rows);
    }

    /// <summary>
    /// Whether a cell holds the best mean of its column. Every table metric is better when higher; cells compare as
    /// displayed (3 decimals), so means that read the same are all marked.
    /// </summary>
    public bool IsBest(int row, int column)
    {
        var cell = Rows[row].Cells[column];
        if (!IsDefined(cell))
        {
            return false;
        }

        var best = Rows.Select(other => other.Cells[column]).Where(IsDefined).Max(other => Math.Round(other!.Mean, 3));
        return Math.Round(cell!.Mean, 3) == best;
    }

    /// <summary>
    /// A cell as text: "mean ± std" with 3 decimals, just the mean when the std is undefined (n = 1), "(n=k)" after it
    /// when fewer than <see cref="Folds"/> folds define the metric, and "n/a" when none does.
    /// <paramref name="emphasise"/> wraps the numbers (not the n) for the best cell; <paramref name="plusMinus"/> is
    /// the output format's ± sign.
    /// </summary>
    public string CellText(int row, int column, string plusMinus, Func<string, string> emphasise)
    {
        var cell = Rows[row].Cells[column];
        if (!IsDefined(cell))
        {
            return "n/a";
        }

        var value = double.IsNaN(cell!.Std)
            ? RenderText.ThreeDecimals(cell.Mean)
            : $"{RenderText.ThreeDecimals(cell.Mean)} {plusMinus} {RenderText.ThreeDecimals(cell.Std)}";
        if (IsBest(row, column))
        {
            value = emphasise(value);
        }

        return cell.N < Folds ? $"{value} (n={cell.N})" : value;
    }

    private static bool IsDefined(SummaryRow? cell) => cell is { N: > 0 } && !double.IsNaN(cell.Mean);
}

/// <summary>One init's cells, in the order of <see cref="MetricTable.Fractions"/>.</summary>
public sealed record MetricTableRow(string Init, IReadOnlyList<SummaryRow?> Cells);
