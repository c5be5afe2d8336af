using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets;
using Reproduce.Data.Dicom;
using Reproduce.Data.Preprocessing;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;
using Reproduce.Data.Tests.Synthetic;

namespace Reproduce.Data.Tests.Datasets;

/// <summary>The LIDC reader on a synthetic tree that carries the real collection's quirks (DATASETS.md §A1).</summary>
public class LidcTreeTests
{
    private const int Series = 4;
    private const int Slices = 10;

    [Fact]
    public void KeepsCtSlicesInZOrderAndRecordsEverythingItLeavesOut()
    {
        using var tree = SyntheticTestSupport.Write(Identifiers.Lidc, new SyntheticSpec { Size = 32, Series = Series, SlicesPerSeries = Slices });
        using var store = Build(tree.Path, "authors", 32);

        // One duplicate z position among the CT slices; the CR series and the annotations are not CT slices.
        Assert.Equal((Series * Slices) - 1, store.Count);
        Assert.All(store.Items, i => Assert.Equal((StoreItem.Unlabelled, OfficialSplit.Train), (i.Label, i.Split)));
        Assert.Single(store.Skipped, s => s.Reason.StartsWith("duplicate z position", StringComparison.Ordinal));
        Assert.Equal(2, store.Skipped.Count(s => s.Reason == "modality CR, not CT"));
        Assert.Equal(Series, store.Skipped.Count(s => s.Reason.Contains("no DICM magic", StringComparison.Ordinal)));

        foreach (var series in store.Items.GroupBy(i => Path.GetDirectoryName(i.Source)))
        {
            var z = series.Select(i => SliceAttributes.From(DicomFile.Read(Path.Combine(tree.Path, i.Source))).ImagePositionPatient[2]).ToList();
            Assert.Equal(z.Order(), z);
            Assert.Equal(z.Count, z.Distinct().Count());
        }
    }

    [Fact]
    public void EveryVendorConventionGivesAFullRangeSliceUnderTheAuthorsRecipe()
    {
        using var tree = SyntheticTestSupport.Write(Identifiers.Lidc, new SyntheticSpec { Size = 32, Series = Series, SlicesPerSeries = 3 });
        using var store = Build(tree.Path, "authors", 32);
        Assert.All(Enumerable.Range(0, store.Count), i =>
        {
            var image = store.Image(i);
            Assert.Equal((0, 255), (image.Min(), image.Max()));
        });
    }

    [Fact]
    public void TheWindowRecipeMapsPaddingToAir()
    {
        using var tree = SyntheticTestSupport.Write(Identifiers.Lidc, new SyntheticSpec { Size = 32, Series = 1, SlicesPerSeries = 3 });
        using var store = Build(tree.Path, "window", 32, level: 40, width: 400);
        // The corners are outside the field of view: padding or air, black in a soft-tissue window.
        Assert.All(Enumerable.Range(0, store.Count), i => Assert.Equal(0, store.Image(i)[0]));
    }

    private static TensorStore Build(string directory, string recipe, int size, double? level = null, double? width = null)
    {
        var spec = new PreprocessSpec { Recipe = recipe, Size = size, WindowLevel = level, WindowWidth = width };
        var output = Path.Combine(directory, "store");
        new StoreBuilder(ImageRecipe.Create(spec), 2, SilentProgress.Instance).Build(new LidcTree(directory), Identifiers.Lidc, [], output, CancellationToken.None);

        return TensorStore.Open(output);
    }
}
