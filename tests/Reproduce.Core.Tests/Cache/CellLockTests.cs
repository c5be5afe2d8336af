using Reproduce.Core.Cache;

namespace Reproduce.Core.Tests.Cache;

public class CellLockTests
{
    private static readonly LockOwner Owner = new(Environment.ProcessId, Environment.MachineName, DateTimeOffset.UnixEpoch);

    [Fact]
    public void IsExclusiveUntilDisposed()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("ab", "key.lock");

        using (var first = CellLock.TryAcquire(path, Owner))
        {
            Assert.NotNull(first);
            Assert.Null(CellLock.TryAcquire(path, Owner));
            Assert.True(CellLock.IsHeld(path));
            Assert.Equal(Owner, CellLock.ReadOwner(path));
        }

        Assert.False(CellLock.IsHeld(path));
        Assert.Null(CellLock.ReadOwner(path));
        using var second = CellLock.TryAcquire(path, Owner);
        Assert.NotNull(second);
    }

    [Fact]
    public void AFreeLockFileWithAStaleOwnerRecordCanBeTaken()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("key.lock");
        File.WriteAllText(path, "");
        File.WriteAllText(CellLock.OwnerPathFor(path), new LockOwner(999_999, "gone-host", DateTimeOffset.UnixEpoch).ToJson().ToJsonString());

        using var taken = CellLock.TryAcquire(path, Owner);

        Assert.NotNull(taken);
        Assert.Equal(Owner, CellLock.ReadOwner(path));
    }
}
