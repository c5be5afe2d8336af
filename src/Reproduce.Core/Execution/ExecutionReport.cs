using System.Text;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;

namespace Reproduce.Core.Execution;

/// <summary>Every cell's outcome, the per-stage summary table and the process exit code.</summary>
public sealed record ExecutionReport(IReadOnlyList<CellOutcome> Outcomes)
{
    /// <summary>
    /// 130 when interrupted; else 3 when every failure is environmental (missing data, tool, lock);
    /// else 1 when any cell failed or was skipped; else 0 (DESIGN.md §7).
    /// </summary>
    public int ExitCode
    {
        get
        {
            if (Outcomes.Any(o => o.Kind == OutcomeKind.Cancelled))
            {
                return ExitCodes.Interrupted;
            }

            var failures = Outcomes.Where(o => o.Kind == OutcomeKind.Failed).ToList();
            if (failures.Count > 0 && failures.All(f => f.Error is ReproduceException { ExitCode: ExitCodes.Environment }))
            {
                return ExitCodes.Environment;
            }

            return failures.Count > 0 || Outcomes.Any(o => o.Kind == OutcomeKind.Skipped) ? ExitCodes.CellFailed : ExitCodes.Success;
        }
    }

    /// <summary>The provenance field of a cell's meta.json that holds the peak resident set of the process that computed it.</summary>
    public const string PeakResidentField = "peak_rss_bytes";

    public int Count(OutcomeKind kind) => Outcomes.Count(o => o.Kind == kind);

    /// <summary>The computed cell whose process peaked highest, as its meta.json in <paramref name="cache"/> records; null when none recorded one.</summary>
    public (CellAddress Address, long PeakBytes)? LargestCellPeak(CacheStore cache)
    {
        var peaks = Outcomes
            .Where(o => o.Kind == OutcomeKind.Computed)
            .Select(o => (o.Entry.Cell.Address, PeakBytes: cache.TryReadComplete(o.Entry.Cell.Stage, o.Entry.Key)?.Provenance[PeakResidentField]?.GetValue<long>() ?? 0))
            .Where(c => c.PeakBytes > 0)
            .ToList();
        return peaks.Count == 0 ? null : peaks.MaxBy(c => c.PeakBytes);
    }

    public string SummaryTable()
    {
        var kinds = Enum.GetValues<OutcomeKind>();
        var text = new StringBuilder();
        text.Append($"{"stage",-12}");
        foreach (var kind in kinds)
        {
            text.Append($" {kind.ToString().ToLowerInvariant(),9}");
        }

        text.AppendLine($" {"time",9}");
        foreach (var stage in Outcomes.GroupBy(o => o.Entry.Cell.Stage))
        {
            text.Append($"{stage.Key,-12}");
            foreach (var kind in kinds)
            {
                text.Append($" {stage.Count(o => o.Kind == kind),9}");
            }

            var seconds = stage.Where(o => o.Kind == OutcomeKind.Computed).Sum(o => o.Duration.TotalSeconds);
            text.AppendLine($" {seconds,8:0.0}s");
        }

        return text.ToString().TrimEnd();
    }
}
