using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Keys;

namespace Reproduce.Core.Stages;

/// <summary>
/// Everything a stage may use while computing one cell: its spec (the values its key hashes, and where external
/// inputs live), its upstream cells' outputs, and how to run (roots, device, threads), which never changes a result.
/// </summary>
public sealed class CellContext
{
    public required CellSpec Spec { get; init; }

    public string Key => Spec.Key;

    public CellAddress Address => Spec.Address;

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

    /// <summary>A fresh copy of the cell's parameters.</summary>
    public JsonObject Parameters => Spec.Parameters;

    /// <summary>A fresh copy of the identity of the cell's external inputs (source, URL, version, fingerprint).</summary>
    public JsonObject Inputs => Spec.Inputs;

    /// <summary>Where the cell's external inputs are on this machine (a copy).</summary>
    public JsonObject Locations => Spec.Locations.DeepClone().AsObject();

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
