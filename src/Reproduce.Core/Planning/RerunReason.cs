namespace Reproduce.Core.Planning;

/// <summary>Why a cell will be computed; turned into text only by <see cref="PlanFormatter"/>.</summary>
public enum RerunReason
{
    /// <summary>Cached: nothing to do.</summary>
    None,

    /// <summary>No cell was ever published at this address.</summary>
    NeverComputed,

    /// <summary>A cell exists at this address under another key; <see cref="PlanEntry.Changes"/> says what differs.</summary>
    KeyChanged,

    /// <summary>A run of this very key was interrupted.</summary>
    Interrupted,

    /// <summary>The user asked for it with <c>--force</c>.</summary>
    Forced,
}
