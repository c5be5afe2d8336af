using Reproduce.Core.IO;

namespace Reproduce.Core.Tests.IO;

/// <summary>
/// What this machine can check of <see cref="DiskFlush"/>: it opens and flushes every file and folder of a real tree
/// (read-only files included) without changing a byte, and a missing folder is an error, not a silent no-op.
/// Whether the data survive a power loss is the kernel's side of fsync.
/// </summary>
public sealed class DiskFlushTests
{
    [Fact]
    public void ATreeIsFlushedFileByFileAndFolderByFolderAndLeftAsItWas()
    {
        using var temp = new TempDirectory();
        var tree = temp.Combine("cell");
        Directory.CreateDirectory(Path.Combine(tree, "store", "shards"));
        File.WriteAllText(Path.Combine(tree, "metrics.json"), "{}");
        File.WriteAllBytes(Path.Combine(tree, "store", "shards", "0.bin"), [1, 2, 3]);
        File.WriteAllText(Path.Combine(tree, "store", "read-only.txt"), "kept");
        File.SetAttributes(Path.Combine(tree, "store", "read-only.txt"), FileAttributes.ReadOnly);

        DiskFlush.Tree(tree);

        Assert.Equal("{}", File.ReadAllText(Path.Combine(tree, "metrics.json")));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(tree, "store", "shards", "0.bin")));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(tree, "store", "read-only.txt")));
    }

    [Fact]
    public void AMissingFolderIsAnError()
    {
        using var temp = new TempDirectory();
        Assert.ThrowsAny<IOException>(() => DiskFlush.Folder(temp.Combine("missing")));
    }
}
