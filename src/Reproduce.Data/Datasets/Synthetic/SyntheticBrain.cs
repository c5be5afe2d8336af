using System.Globalization;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets;
using Reproduce.Data.Images;

namespace Reproduce.Data.Datasets.Synthetic;

/// <summary>
/// The Brain stand-in in the authors' layout: <c>{train,test}/{a_without,b_with}/NNNN.png</c>, head phantoms
/// (with a small hyperdense bleed for <c>b_with</c>) through a brain window (WL 40 / WW 80), written as RGB PNG
/// like the authors' files. About half of each split is positive (the smaller half when the count is odd, as
/// the authors' test set is 15 / 14). There is no official validation split (it is a seeded share of train),
/// so the spec's validation count must be 0.
/// </summary>
internal static class SyntheticBrain
{
    public static void Write(SyntheticSpec spec, long seed, string root, ICellProgress progress)
    {
        if (spec.Validation is > 0)
        {
            throw new ArgumentException($"synthetic brain has no validation split (it is drawn from train); set validation to 0, not {spec.Validation}", nameof(spec));
        }

        int[] counts =
        [
            SyntheticDatasets.Required(spec.Train, "train", Identifiers.Brain, 2),
            SyntheticDatasets.Required(spec.Test, "test", Identifiers.Brain, 2),
        ];
        var total = counts.Sum();
        var done = 0;
        for (var s = 0; s < counts.Length; s++)
        {
            var split = RawLayouts.BrainSplitFolders[s];
            var positives = counts[s] / 2;
            foreach (var bleed in new[] { false, true })
            {
                var folder = SyntheticDatasets.CreateFolder(root, Path.Combine(split, bleed ? RawLayouts.BrainPositiveFolder : RawLayouts.BrainNegativeFolder));
                var count = bleed ? positives : counts[s] - positives;
                for (var i = 0; i < count; i++)
                {
                    var random = SyntheticDatasets.Random(seed, Identifiers.Brain, $"{split}/{(bleed ? "with" : "without")}/{i}");
                    var image = HuWindow.Brain.Apply(Phantoms.Head(spec.Size, random, bleed), spec.Size);
                    File.WriteAllBytes(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{i + 1:D4}.png")), ImageEncoder.Encode(image, ImageEncoding.PngRgb));
                    progress.Report(++done, total, "images");
                }
            }
        }
    }
}
