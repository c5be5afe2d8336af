using System.Text;

namespace Reproduce.Core.Planning;

/// <summary>The one place where plan statuses and reasons become text (used by <c>plan</c>, <c>run</c> and logs).</summary>
public static class PlanFormatter
{
    public static string Status(CellStatus status) => status switch
    {
        CellStatus.Cached => "cached",
        CellStatus.Missing => "missing",
        CellStatus.Incomplete => "incomplete",
        CellStatus.Forced => "forced",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Reason(PlanEntry entry) => entry.Reason switch
    {
        RerunReason.None => "up to date",
        RerunReason.NeverComputed => "never computed",
        RerunReason.KeyChanged => "changed: " + Changes(entry.Changes),
        RerunReason.Interrupted => "an interrupted run left work behind; it resumes or restarts",
        RerunReason.Forced => "--force",
        _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.Reason, null),
    };

    public static string Changes(IReadOnlyList<KeyChange> changes, int limit = 4)
    {
        var shown = changes.Take(limit).Select(c => c.Component switch
        {
            "upstream" => $"upstream {c.Path}",
            _ => $"{c.Component} {c.Path} {c.Before ?? "(none)"} -> {c.After ?? "(none)"}",
        });
        var more = changes.Count > limit ? $"; and {changes.Count - limit} more" : "";
        return string.Join("; ", shown) + more;
    }

    /// <summary>The per-stage counts: total, cached, and to run, with the run reasons summarised.</summary>
    public static string Summary(Plan plan)
    {
        var text = new StringBuilder();
        text.AppendLine($"{"stage",-12} {"cells",6} {"cached",7} {"to run",7}");
        foreach (var stage in plan.Stages)
        {
            var total = plan.Count(stage);
            var cached = plan.Count(stage, CellStatus.Cached);
            text.AppendLine($"{stage,-12} {total,6} {cached,7} {total - cached,7}");
        }

        text.Append($"{"total",-12} {plan.Entries.Count,6} {plan.Entries.Count - plan.ToRun,7} {plan.ToRun,7}");
        return text.ToString();
    }
}
