using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;

namespace Reproduce.Core.Execution;

/// <summary>Everything a stage may use while computing one cell.</summary>
public sealed class CellContext
{
    public required Cell Cell { get; init; }

    public required string Key { get; init; }

    /// <summary>Where the stage writes its outputs; published atomically as the cell directory on success.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>True when <see cref="WorkDirectory"/> holds what an interrupted run of this cell left (resumable stages only).</summary>
    public required bool Resuming { get; init; }

    /// <summary>The published outputs of the upstream cells.</summary>
    public required IReadOnlyList<UpstreamOutput> Upstream { get; init; }

    public required Roots Roots { get; init; }

    public required RunSettings Settings { get; init; }

    public required ICellProgress Progress { get; init; }

    public required TimeProvider Clock { get; init; }

    public JsonObject Parameters => Cell.Parameters;

    /// <summary>The single upstream output of <paramref name="stage"/>; throws when there is none or several.</summary>
    public UpstreamOutput UpstreamOf(string stage) => Upstream.Single(u => u.Address.Stage == stage);

    /// <summary>
    /// A seed for one named random stream of this cell, derived from the cell key (which already
    /// holds the experiment seed among its parameters): same key, same streams.
    /// </summary>
    public long Seed(string stream)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{Key}/{stream}"));
        return BinaryPrimitives.ReadInt64LittleEndian(digest) & long.MaxValue;
    }
}

/// <summary>A finished upstream cell: its address, key and published directory.</summary>
public sealed record UpstreamOutput(CellAddress Address, string Key, string Directory, CellMeta Meta);
