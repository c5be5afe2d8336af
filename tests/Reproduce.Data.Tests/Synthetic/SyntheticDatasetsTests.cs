using Reproduce.Core.Manifests;
using Reproduce.Data.Datasets.Synthetic;

namespace Reproduce.Data.Tests.Synthetic;

/// <summary>Every stand-in is a pure function of (spec, seed): same seed, same bytes; another seed, other data. And the target directory contract.</summary>
public class SyntheticDatasetsTests
{
    public static TheoryData<string, SyntheticSpec> Datasets => new()
    {
        { Identifiers.Lidc, new SyntheticSpec { Size = 24, Series = 3, SlicesPerSeries = 3 } },
        { Identifiers.Covid, new SyntheticSpec { Size = 24, Train = 8, Validation = 2, Test = 4 } },
        { Identifiers.OrganSMnist, new SyntheticSpec { Size = 28, Train = 12, Validation = 2, Test = 3 } },
        { Identifiers.Brain, new SyntheticSpec { Size = 24, Train = 4, Validation = 0, Test = 2 } },
    };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void TheSameSeedGivesByteIdenticalFilesAndAnotherSeedOtherFiles(string dataset, SyntheticSpec spec)
    {
        using var first = SyntheticTestSupport.Write(dataset, spec, seed: 3);
        using var second = SyntheticTestSupport.Write(dataset, spec, seed: 3);
        using var other = SyntheticTestSupport.Write(dataset, spec, seed: 4);

        var a = SyntheticTestSupport.Snapshot(first.Path);
        var b = SyntheticTestSupport.Snapshot(second.Path);
        var c = SyntheticTestSupport.Snapshot(other.Path);
        Assert.Equal(a.Keys, b.Keys);
        Assert.All(a, file => Assert.True(file.Value.AsSpan().SequenceEqual(b[file.Key]), $"{file.Key} differs between two runs with the same seed"));
        Assert.Equal(a.Count, c.Count);
        Assert.Contains(a, file => !c.TryGetValue(file.Key, out var bytes) || !file.Value.AsSpan().SequenceEqual(bytes));
    }

    [Fact]
    public void ProgressCountsEveryItemUpToTheTotal()
    {
        using var folder = new TempFolder();
        var progress = new RecordingProgress();

        SyntheticDatasets.Write(Identifiers.Covid, new SyntheticSpec { Size = 24, Train = 4, Validation = 1, Test = 2 }, 1, folder.Path, progress);

        Assert.Equal(Enumerable.Range(1, 7).Select(i => ((double)i, 7.0, "images")), progress.Reports);
    }

    [Fact]
    public void ANonEmptyDirectoryIsRefusedAndLeftAlone()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Combine("keep.txt"), "mine");

        var error = Assert.Throws<IOException>(() => SyntheticDatasets.Write(Identifiers.Brain, new SyntheticSpec { Size = 24, Train = 2, Validation = 0, Test = 2 }, 1, folder.Path, new RecordingProgress()));

        Assert.Contains("not empty", error.Message);
        Assert.Equal(["keep.txt"], SyntheticTestSupport.Files(folder.Path));
    }

    [Fact]
    public void AnAbsentDirectoryIsCreated()
    {
        using var folder = new TempFolder();

        SyntheticDatasets.Write(Identifiers.Brain, new SyntheticSpec { Size = 24, Train = 2, Validation = 0, Test = 2 }, 1, folder.Combine("raw/brain"), new RecordingProgress());

        Assert.Equal(4, SyntheticTestSupport.Files(folder.Combine("raw/brain")).Count);
    }

    [Fact]
    public void AFailureHalfwayLeavesTheDirectoryEmpty()
    {
        using var folder = new TempFolder();

        Assert.Throws<InvalidOperationException>(() => SyntheticDatasets.Write(Identifiers.Lidc, new SyntheticSpec { Size = 24, Series = 2, SlicesPerSeries = 4 }, 1, folder.Path, new RecordingProgress(failAfter: 5)));

        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public void UnknownDatasetsMissingCountsAndTinyImagesAreRefused()
    {
        using var folder = new TempFolder();

        Assert.Contains("known: lidc", Refused("mnist", new SyntheticSpec { Size = 32, Train = 2, Test = 2 }));
        Assert.Contains("'series'", Refused(Identifiers.Lidc, new SyntheticSpec { Size = 32, SlicesPerSeries = 2 }));
        Assert.Contains("'validation'", Refused(Identifiers.Covid, new SyntheticSpec { Size = 32, Train = 2, Test = 2 }));
        Assert.Contains("too small", Refused(Identifiers.OrganSMnist, new SyntheticSpec { Size = 8, Train = 2, Validation = 0, Test = 2 }));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));

        string Refused(string dataset, SyntheticSpec spec) =>
            Assert.Throws<ArgumentException>(() => SyntheticDatasets.Write(dataset, spec, 1, folder.Path, new RecordingProgress())).Message;
    }
}
