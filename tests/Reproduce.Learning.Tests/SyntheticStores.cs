using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets;
using Reproduce.Data.Datasets.Synthetic;
using Reproduce.Data.Preprocessing;
using Reproduce.Data.Store;
using Reproduce.Learning.Methods;

namespace Reproduce.Learning.Tests;

/// <summary>Synthetic data sets as the download and preprocess stages make them, for tests that train on them.</summary>
internal static class SyntheticStores
{
    public static Manifest Quickstart() =>
        ManifestLoader.Load(Path.Combine(Roots.FindRepositoryRoot(AppContext.BaseDirectory), "experiments", "synthetic.yaml"), MethodRegistry.Catalog);

    /// <summary>
    /// The tensor store of <paramref name="dataset"/> under <paramref name="folder"/>: its synthetic stand-in written
    /// with <paramref name="synthetic"/> (the manifest's when null) and preprocessed with the manifest's recipe at
    /// <paramref name="size"/> px (the manifest's when null).
    /// </summary>
    public static string Build(Manifest manifest, string dataset, string folder, SyntheticSpec? synthetic = null, int? size = null)
    {
        var declared = manifest.Datasets[dataset];
        var spec = declared with
        {
            Synthetic = synthetic ?? declared.Synthetic,
            Preprocess = declared.Preprocess with { Size = size ?? declared.Preprocess.Size },
        };
        var raw = Path.Combine(folder, dataset, "raw");
        SyntheticDatasets.Write(dataset, spec.Synthetic!, 1, raw, SilentProgress.Instance);
        var store = Path.Combine(folder, dataset, "store");
        new StoreBuilder(ImageRecipe.Create(spec.Preprocess), 2, SilentProgress.Instance).Build(RawDataset.Open(spec, raw), dataset, [], store, CancellationToken.None);
        return store;
    }
}
