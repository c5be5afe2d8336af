using Reproduce.Core.Errors;

namespace Reproduce.Data.Datasets;

/// <summary>The number of samples in each official split of a MedMNIST file.</summary>
public sealed record SplitCounts(int Train, int Validation, int Test);

/// <summary>One published OrganSMNIST file: where Zenodo serves it, its MD5, and the split sizes its arrays must have.</summary>
public sealed record MedMnistFile(string Version, int ImageSize, Uri Url, string Md5, SplitCounts Counts);

/// <summary>
/// The published OrganSMNIST files (DATASETS.md §A3, from <c>medmnist/info.py</c>): v2 is what the
/// authors' pinned <c>medmnist~=2.1.0</c> downloads (28 px only); v3 (MedMNIST+) dropped blank
/// samples and adds 64, 128 and 224 px. The counts are what the reader asserts, as
/// <c>medmnist</c>'s own <c>DataClass</c> does.
/// </summary>
public static class MedMnistCatalog
{
    private static readonly SplitCounts V2Counts = new(13940, 2452, 8829);
    private static readonly SplitCounts V3Counts = new(13932, 2452, 8827);
    private const string V3Record = "https://zenodo.org/records/10519652/files/";

    public static IReadOnlyList<MedMnistFile> OrganSMnistFiles { get; } =
    [
        new("v2", 28, new Uri("https://zenodo.org/record/6496656/files/organsmnist.npz?download=1"), "e5c39f1af030238290b9557d9503af9d", V2Counts),
        new("v3", 28, new Uri($"{V3Record}organsmnist.npz?download=1"), "9ab87b696fb54e2a387ebe992d6ed5f1", V3Counts),
        new("v3", 64, new Uri($"{V3Record}organsmnist_64.npz?download=1"), "53a6d115339d874c25e309a994ff46d3", V3Counts),
        new("v3", 128, new Uri($"{V3Record}organsmnist_128.npz?download=1"), "ded0c5fa01a95dc4978b956f613e9b8e", V3Counts),
        new("v3", 224, new Uri($"{V3Record}organsmnist_224.npz?download=1"), "b354719e553fbbb2513d5533f52a4cb1", V3Counts),
    ];

    /// <summary>The OrganSMNIST file of a MedMNIST version (v2, v3) and image size; a clear error for a combination that was never published.</summary>
    public static MedMnistFile OrganSMnist(string version, int imageSize) =>
        OrganSMnistFiles.SingleOrDefault(f => f.Version == version && f.ImageSize == imageSize) ?? throw new UsageException(
            $"OrganSMNIST {version} at {imageSize} px was never published: v2 exists only at 28 px, v3 at 28, 64, 128 and 224 px "
            + $"(set the dataset's version to v3 for sizes above 28; the authors used v2 at 28 px)");
}
