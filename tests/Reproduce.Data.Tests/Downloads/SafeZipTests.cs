using System.IO.Compression;
using Reproduce.Core.Errors;
using Reproduce.Data.Downloads;
using Reproduce.Data.IO;

namespace Reproduce.Data.Tests.Downloads;

/// <summary>Archives a hostile server could send: each is refused whole, by its path and the entry, and leaves nothing behind.</summary>
public sealed class SafeZipTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void ASymbolicLinkEntryIsRefusedBeforeAnEntryCouldBeWrittenThroughIt()
    {
        var archive = Zip("link.zip", zip =>
        {
            var link = zip.CreateEntry("images");
            link.ExternalAttributes = unchecked((int)(0xA1FFu << 16));
            Write(link, "/etc");
            Write(zip.CreateEntry("images/passwd"), "x");
        });

        var error = Assert.Throws<DataFormatException>(() => SafeZip.ExtractTo(archive, temp.Combine("out"), ArchiveLimits.Default));

        Assert.Equal(archive, error.Path);
        Assert.Contains("entry 'images' is a symbolic link, not a file or folder; the archive is rejected", error.Message, StringComparison.Ordinal);
        AssertNothingLeft();
    }

    [Fact]
    public void ADeviceFileEntryIsRefused()
    {
        var archive = Zip("device.zip", zip => zip.CreateEntry("null").ExternalAttributes = 0x21B6 << 16);

        var error = Assert.Throws<DataFormatException>(() => SafeZip.ExtractTo(archive, temp.Combine("out"), ArchiveLimits.Default));

        Assert.Contains("entry 'null' is a device file, FIFO or socket", error.Message, StringComparison.Ordinal);
        AssertNothingLeft();
    }

    [Fact]
    public void AnEntryThatAppearsTwiceIsRefusedByName()
    {
        var archive = Zip("twice.zip", zip =>
        {
            Write(zip.CreateEntry("a/b.png"), "first");
            Write(zip.CreateEntry("a/b.png"), "second");
        });

        var error = Assert.Throws<DataFormatException>(() => SafeZip.ExtractTo(archive, temp.Combine("out"), ArchiveLimits.Default));

        Assert.Contains("entry 'a/b.png' appears twice", error.Message, StringComparison.Ordinal);
        AssertNothingLeft();
    }

    [Fact]
    public void AnArchiveUnpackingPastItsLimitIsRefusedWhileUnpacking()
    {
        // 8 MB of zeros deflate to a few kilobytes.
        var archive = Zip("bomb.zip", zip =>
        {
            using var stream = zip.CreateEntry("zeros.bin").Open();
            stream.Write(new byte[8 << 20]);
        });

        var error = Assert.Throws<DataFormatException>(() => SafeZip.ExtractTo(archive, temp.Combine("out"), new ArchiveLimits(MaxEntries: 10, MaxBytes: 1 << 20, MaxRatio: 100)));

        Assert.Contains("unpacking entry 'zeros.bin' went past the 1,048,576 bytes this archive may unpack to", error.Message, StringComparison.Ordinal);
        Assert.Contains(ArchiveLimits.MaxGibVariable, error.Message, StringComparison.Ordinal);
        AssertNothingLeft();
    }

    [Fact]
    public void AnArchiveWithMoreEntriesThanAllowedIsRefusedBeforeUnpacking()
    {
        var archive = Zip("many.zip", zip =>
        {
            for (var i = 0; i < 11; i++)
            {
                zip.CreateEntry($"{i}.txt");
            }
        });

        var error = Assert.Throws<DataFormatException>(() => SafeZip.ExtractTo(archive, temp.Combine("out"), new ArchiveLimits(MaxEntries: 10, MaxBytes: 1 << 20, MaxRatio: 100)));

        Assert.Contains("the archive has 11 entries, more than the 10 allowed", error.Message, StringComparison.Ordinal);
        AssertNothingLeft();
    }

    [Fact]
    public void TheDefaultLimitsRefuseATwoMegabyteZipUnpackingToTwoGigabytesButNotTheRealArchives()
    {
        Assert.Equal(210_000_000, ArchiveLimits.Default.BytesFor(2_100_000));
        Assert.Equal(ArchiveLimits.RatioFloorBytes, ArchiveLimits.Default.BytesFor(1_000));
        // COVID-CT's larger image zip is about 0.3 GB and unpacks to about its own size.
        Assert.True(ArchiveLimits.Default.BytesFor(300_000_000) > 300_000_000);
        Assert.Equal(16L << 30, ArchiveLimits.Default.BytesFor(long.MaxValue / 2));
    }

    [Fact]
    public void TheLimitIsRaisedByItsVariableAndABadValueIsRefused()
    {
        Assert.Same(ArchiveLimits.Default, ArchiveLimits.From(_ => null));
        Assert.Equal(64L << 30, ArchiveLimits.From(_ => "64").BytesFor(1_000_000));

        var error = Assert.Throws<UsageException>(() => ArchiveLimits.From(_ => "lots"));
        Assert.Equal($"{ArchiveLimits.MaxGibVariable} is 'lots': expected a whole number of GiB in [1, 16384]", error.Message);
    }

    private string Zip(string name, Action<ZipArchive> fill)
    {
        var path = temp.Combine(name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        fill(zip);
        return path;
    }

    private static void Write(ZipArchiveEntry entry, string text)
    {
        using var writer = new StreamWriter(entry.Open());
        writer.Write(text);
    }

    /// <summary>Neither the target nor a staging folder beside it, nor anything written through a link.</summary>
    private void AssertNothingLeft() =>
        Assert.Equal([], Directory.GetDirectories(temp.Path));
}
