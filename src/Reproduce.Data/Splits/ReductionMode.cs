namespace Reproduce.Data.Splits;

/// <summary>How a training fraction picks its images (PROTOCOL.md §3).</summary>
public enum ReductionMode
{
    /// <summary>A seeded random subset (the authors' COVID and Brain behaviour, seeded per fold).</summary>
    Random,

    /// <summary>The first p·N images in dataset order (the authors' OrganSMNIST behaviour).</summary>
    FirstN,

    /// <summary>A seeded subset with each class's share of the full training set kept.</summary>
    Stratified,
}
