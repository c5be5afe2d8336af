using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Data.Arrays;
using Reproduce.Data.Datasets;

namespace Reproduce.Data.Datasets.Synthetic;

/// <summary>
/// The OrganSMNIST stand-in: one MedMNIST-format npz (<see cref="RawLayouts.OrganSMnistFile"/>) with
/// <c>{train,val,test}_images</c> (N, S, S) uint8 and <c>{train,val,test}_labels</c> (N, 1) uint8, deflated as
/// numpy.savez_compressed writes them. Images are organ phantoms; the classes follow the v2 training
/// distribution (DATASETS.md §A3) in every split, with at least one image per class where the split has room.
/// </summary>
internal static class SyntheticOrganSMnist
{
    /// <summary>The v2 train class shares, in MedMNIST's label order (bladder … spleen).</summary>
    private static readonly IReadOnlyList<double> ClassShares = [8.24, 4.57, 4.41, 5.17, 8.12, 8.03, 24.85, 5.32, 5.76, 14.38, 11.16];

    /// <summary>The MedMNIST split names, which prefix the npz members.</summary>
    private static readonly IReadOnlyList<string> Splits = ["train", "val", "test"];

    public static void Write(SyntheticSpec spec, long seed, string root, ICellProgress progress)
    {
        int[] counts =
        [
            SyntheticDatasets.Required(spec.Train, "train", Identifiers.OrganSMnist, 1),
            SyntheticDatasets.Required(spec.Validation, "validation", Identifiers.OrganSMnist, 0),
            SyntheticDatasets.Required(spec.Test, "test", Identifiers.OrganSMnist, 1),
        ];
        var size = spec.Size;
        var total = counts.Sum();
        var done = 0;
        var images = new List<(string, NpyArray)>();
        var labels = new List<(string, NpyArray)>();
        for (var s = 0; s < Splits.Count; s++)
        {
            var classes = Labels(counts[s]);
            SyntheticDatasets.Random(seed, Identifiers.OrganSMnist, $"{Splits[s]}/order").Shuffle(classes);
            var pixels = new byte[classes.Count * size * size];
            for (var i = 0; i < classes.Count; i++)
            {
                var organ = Phantoms.Organ(size, SyntheticDatasets.Random(seed, Identifiers.OrganSMnist, $"{Splits[s]}/{i}"), classes[i]);
                for (var p = 0; p < organ.Length; p++)
                {
                    pixels[(i * size * size) + p] = HuWindow.GrayLevel(organ[p]);
                }

                progress.Report(++done, total, "images");
            }

            images.Add(($"{Splits[s]}_images", NpyArray.UInt8([classes.Count, size, size], pixels)));
            labels.Add(($"{Splits[s]}_labels", NpyArray.UInt8([classes.Count, 1], classes.Select(c => (byte)c).ToArray())));
        }

        NpzWriter.Write(Path.Combine(root, RawLayouts.OrganSMnistFile(size)), [.. images, .. labels]);
    }

    /// <summary>
    /// <paramref name="count"/> labels with the v2 class shares: one per class first when there is room for all
    /// eleven, then the rest by largest remainder, so small splits still hold every organ.
    /// </summary>
    internal static List<int> Labels(int count)
    {
        var classes = ClassShares.Count;
        var floor = count >= classes ? 1 : 0;
        var rest = count - (floor * classes);
        var sum = ClassShares.Sum();
        var ideal = ClassShares.Select(share => rest * share / sum).ToArray();
        var perClass = ideal.Select(x => floor + (int)Math.Floor(x)).ToArray();
        var missing = count - perClass.Sum();
        foreach (var c in Enumerable.Range(0, classes).OrderByDescending(c => ideal[c] - Math.Floor(ideal[c])).ThenBy(c => c).Take(missing))
        {
            perClass[c]++;
        }

        return Enumerable.Range(0, classes).SelectMany(c => Enumerable.Repeat(c, perClass[c])).ToList();
    }
}
