namespace Reproduce.Data.Datasets;

/// <summary>
/// Class names by label, as every store records them (DESIGN.md §7 "Labels"): the positive class of a
/// binary task is the disease; OrganSMNIST keeps MedMNIST's order. A task's <c>label_order:
/// authors</c> is applied by fine-tuning, not here, so one store serves both orders.
/// </summary>
public static class DatasetClasses
{
    public static readonly IReadOnlyList<string> Covid = ["NonCOVID", "COVID"];

    public static readonly IReadOnlyList<string> OrganSMnist =
        ["bladder", "femur-left", "femur-right", "heart", "kidney-left", "kidney-right", "liver", "lung-left", "lung-right", "pancreas", "spleen"];

    public static readonly IReadOnlyList<string> Brain = ["without", "with"];
}
