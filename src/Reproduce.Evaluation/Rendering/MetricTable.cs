using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// One task's table for one metric: a row per init in the input's order, a column per training fraction of the task
/// (largest first), each cell the aggregate row of that init and fraction or null where none was computed.
/// <see cref="Protocol"/> is null for fine-tuning's table and names the frozen-encoder protocol of a probe's.
/// </summary>
public sealed record MetricTable(
    string Task,
    string Metric,
    int Folds,
    IReadOnlyList<double> Fractions,
    IReadOnlyList<MetricTableRow> Rows,
    string? Protocol = null)
{
    /// <summary>
    /// Fine-tuning's table of <paramref name="task"/> × <paramref name="metric"/>. Its columns are the fractions of
    /// every row of the task, so a task's tables for different metrics line up.
    /// </summary>
    public static MetricTable From(RenderInput input, string task, string metric) =>
        From(input.Summaries, input.Inits, input.Folds, task, metric, protocol: null);

    /// <summary>The same table for a frozen-encoder protocol's rows: the same inits, folds and columns rule.</summary>
    public static MetricTable From(RenderInput input, ProtocolResults probe, string task, string metric) =>
        From(probe.Summaries, input.Inits, input.Folds, task, metric, probe.Protocol);

    /// <summary>The table's file in <see cref="RenderedFiles"/> with that extension: a probe's carries its protocol.</summary>
    public string File(string extension) => Protocol is null
        ? RenderedFiles.Table(Task, Metric, extension)
        : RenderedFiles.ProbeTable(Task, Metric, Protocol, extension);

    private static MetricTable From(
        IReadOnlyList<SummaryRow> summaries, IReadOnlyList<string> inits, int folds, string task, string metric, string? protocol)
    {
        var taskRows = summaries.Where(row => row.Task == task).ToList();
        var fractions = taskRows.Select(row => row.Fraction).Distinct().OrderDescending().ToList();
        var cells = new Dictionary<(string Init, double Fraction), SummaryRow>();
        foreach (var row in taskRows.Where(row => row.Metric == metric))
        {
            if (!cells.TryAdd((row.Init, row.Fraction), row))
            {
                throw new ArgumentException(
                    $"Two summary rows for task {task}, init {row.Init}, fraction {RenderText.Decimal(row.Fraction)}, metric {metric}"
                    + (protocol is null ? "." : $", protocol {protocol}."),
                    nameof(summaries));
            }
        }

        var rows = inits
            .Select(init => new MetricTableRow(
                init,
                [.. fractions.Select(fraction => cells.GetValueOrDefault((init, fraction)))]))
            .ToList();
        return new MetricTable(task, metric, folds, fractions, rows, protocol);
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
