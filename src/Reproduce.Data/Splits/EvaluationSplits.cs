using Reproduce.Core.Randomness;

namespace Reproduce.Data.Splits;

/// <summary>
/// The two evaluation protocols of DESIGN.md §7 and the training-set reductions. Every random choice
/// comes from the experiment seed (not a cell key), so all inits of one fold and fraction see the
/// same images, and the official test set never enters training or model selection.
/// </summary>
public static class EvaluationSplits
{
    /// <summary>
    /// <c>official-split</c>: the publisher's train / validation / test. A dataset without an
    /// official validation set (Brain) gets a seeded stratified <paramref name="validationFraction"/>
    /// of its training images as validation.
    /// </summary>
    public static FoldSets Official(IReadOnlyList<SplitItem> items, double validationFraction, long seed)
    {
        var train = items.Where(i => i.Official == OfficialSplit.Train).ToList();
        var validation = items.Where(i => i.Official == OfficialSplit.Validation).ToList();
        if (validation.Count == 0)
        {
            var generator = SplitMix64.For(seed, "official-validation");
            var held = new HashSet<int>();
            foreach (var group in train.GroupBy(i => i.Label).OrderBy(g => g.Key))
            {
                var members = group.ToList();
                generator.Shuffle(members);
                held.UnionWith(members.Take((int)Math.Round(members.Count * validationFraction, MidpointRounding.AwayFromZero)).Select(m => m.Index));
            }

            validation = train.Where(i => held.Contains(i.Index)).ToList();
            train = train.Where(i => !held.Contains(i.Index)).ToList();
        }

        return new FoldSets(Indices(train), Indices(validation), Indices(items.Where(i => i.Official == OfficialSplit.Test)));
    }

    /// <summary>
    /// <c>kfold</c>: the official training and validation images pooled and dealt into
    /// <paramref name="folds"/> stratified folds (each class shuffled with the seed, then dealt round
    /// robin, continuing where the previous class stopped so fold sizes differ by at most one);
    /// fold <paramref name="fold"/> validates, the others train, the official test set tests.
    /// </summary>
    public static FoldSets KFold(IReadOnlyList<SplitItem> items, int folds, int fold, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(fold);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fold, folds);
        var generator = SplitMix64.For(seed, "kfold");
        var foldOf = new Dictionary<int, int>();
        var next = 0;
        foreach (var group in items.Where(i => i.Official != OfficialSplit.Test).GroupBy(i => i.Label).OrderBy(g => g.Key))
        {
            var members = group.OrderBy(m => m.Index).ToList();
            generator.Shuffle(members);
            foreach (var member in members)
            {
                foldOf[member.Index] = next;
                next = (next + 1) % folds;
            }
        }

        var pooled = items.Where(i => i.Official != OfficialSplit.Test).ToList();
        return new FoldSets(
            Indices(pooled.Where(i => foldOf[i.Index] != fold)),
            Indices(pooled.Where(i => foldOf[i.Index] == fold)),
            Indices(items.Where(i => i.Official == OfficialSplit.Test)));
    }

    /// <summary>
    /// The first max(1, ⌊p·N⌋) images of one fixed order of the training set, so a smaller fraction is
    /// always a subset of a larger one (for one fold and seed). The order is the store order
    /// (first-n), a seeded permutation (random), or a seeded interleaving of the classes in
    /// proportion to their sizes (stratified).
    /// </summary>
    public static IReadOnlyList<int> Reduce(IReadOnlyList<SplitItem> train, double fraction, ReductionMode mode, long seed, int fold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        var count = Math.Max(1, (int)Math.Floor((train.Count * fraction) + 1e-9));
        var generator = SplitMix64.For(seed, $"reduce/fold={fold}");
        List<SplitItem> order;
        switch (mode)
        {
            case ReductionMode.FirstN:
                order = train.ToList();
                break;
            case ReductionMode.Random:
                order = train.ToList();
                generator.Shuffle(order);
                break;
            case ReductionMode.Stratified:
                // Item r of a class of n sits at (r + 0.5) / n: every prefix holds each class in proportion.
                order = train.GroupBy(i => i.Label).OrderBy(g => g.Key)
                    .SelectMany(g =>
                    {
                        var members = g.ToList();
                        generator.Shuffle(members);
                        return members.Select((m, rank) => (Item: m, Position: (rank + 0.5) / members.Count));
                    })
                    .OrderBy(p => p.Position).ThenBy(p => p.Item.Label)
                    .Select(p => p.Item)
                    .ToList();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        }

        return order.Take(count).Select(i => i.Index).ToList();
    }

    public static ReductionMode ParseMode(string name) => name switch
    {
        "random" => ReductionMode.Random,
        "first-n" => ReductionMode.FirstN,
        "stratified" => ReductionMode.Stratified,
        _ => throw new ArgumentException($"unknown reduction mode '{name}'", nameof(name)),
    };

    private static List<int> Indices(IEnumerable<SplitItem> items) => items.Select(i => i.Index).ToList();
}
