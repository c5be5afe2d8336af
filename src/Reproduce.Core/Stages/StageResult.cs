using System.Text.Json.Nodes;

namespace Reproduce.Core.Stages;

/// <summary>
/// What a stage reports besides its files: headline metrics and free-form details (counts, digests
/// of downloaded files, throughput, skipped items), both recorded in the cell's <c>meta.json</c>.
/// </summary>
public sealed record StageResult(JsonObject? Metrics = null, JsonObject? Details = null)
{
    public static readonly StageResult Empty = new();
}
