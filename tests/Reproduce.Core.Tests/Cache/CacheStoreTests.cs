using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Errors;
using Reproduce.Core.Json;
using Reproduce.Core.Keys;

namespace Reproduce.Core.Tests.Cache;

public class CacheStoreTests
{
    private const string Key = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

    private static CellMeta Meta(string key = Key) => new()
    {
        Key = key,
        Address = "source[index=0]",
        Components = new KeyComponents(1, "source", 1, """{"value":1}""", "{}", "{}", new Dictionary<string, string>()),
        Started = DateTimeOffset.UnixEpoch,
        Finished = DateTimeOffset.UnixEpoch.AddSeconds(2),
        Host = "host",
        Metrics = new JsonObject { ["auc"] = 0.75 },
    };

    [Fact]
    public void PublishMovesTheWorkDirectoryIntoPlaceWithItsMeta()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var work = cache.WorkDirectory("source", Key);
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "out.txt"), "42");

        var published = cache.Publish(Meta(), work);

        Assert.Equal(temp.Combine("source", "ab", Key), published);
        Assert.False(Directory.Exists(work));
        Assert.Equal("42", File.ReadAllText(Path.Combine(published, "out.txt")));
        var meta = cache.TryReadComplete("source", Key);
        Assert.NotNull(meta);
        Assert.Equal(0.75, meta.Metrics["auc"]!.GetValue<double>());
        Assert.Equal(2, meta.Seconds);
        Assert.Equal(CanonicalJson.Serialize(Meta().Components.ToJson()), CanonicalJson.Serialize(meta.Components.ToJson()));
        Assert.Single(cache.ReadAll("source"));
    }

    [Fact]
    public void ATemporaryFileAKilledWriterLeftInTheWorkDirectoryIsNotPublished()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var work = cache.WorkDirectory("source", Key);
        Directory.CreateDirectory(Path.Combine(work, "nested"));
        File.WriteAllText(Path.Combine(work, "checkpoint.safetensors"), "whole");
        File.WriteAllText(Path.Combine(work, ".checkpoint.safetensors.0123abcd.tmp"), "half");
        File.WriteAllText(Path.Combine(work, "nested", ".loss.csv.4567.tmp"), "half");

        var published = cache.Publish(Meta(), work);

        Assert.Equal(["checkpoint.safetensors", "meta.json"], Directory.GetFiles(published, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void APathIsBuiltOnlyFromAWholeKey()
    {
        var cache = new CacheStore("/nonexistent-cache");

        foreach (var bad in new[] { "", "a", "../../../../etc/passwd", "/etc/passwd", Key.ToUpperInvariant(), Key[..63], Key + "0", "..", new string('a', 1 << 20) })
        {
            var error = Assert.Throws<UsageException>(() => cache.LockPath(bad));
            Assert.Contains("is not a cell key: 64 lower-case hex digits", error.Message, StringComparison.Ordinal);
            Assert.True(error.Message.Length < 400, $"{error.Message.Length} characters");
            Assert.Throws<UsageException>(() => cache.CellDirectory("source", bad));
            Assert.Throws<UsageException>(() => cache.Unlock(bad));
        }
    }

    [Fact]
    public void TheCellsALiveRunUsesAreKnownUntilItEndsAndADeadRunsRecordIsRemoved()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var other = "ff" + Key[2..];
        var owner = LockOwner.Current(TimeProvider.System);

        using (cache.UseCells([Key, other], owner))
        {
            Assert.Equal([Key, other], cache.CellsInUse().Order(StringComparer.Ordinal));
        }

        Assert.Empty(cache.CellsInUse());
        Assert.Empty(Directory.GetFiles(temp.Combine(".runs")));

        // A record whose lock nobody holds: its run died.
        File.WriteAllLines(temp.Combine(".runs", "999999-dead.keys"), [Key]);
        Assert.Empty(cache.CellsInUse());
        Assert.Empty(Directory.GetFiles(temp.Combine(".runs")));
    }

    [Fact]
    public void AMissingCellIsNotComplete()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);

        Assert.Null(cache.TryReadComplete("source", Key));
        Assert.False(cache.HasWork("source", Key));
        Assert.Empty(cache.ReadAll("source"));
    }

    [Fact]
    public void PublishingAgainReplacesTheOldCell()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        foreach (var content in new[] { "old", "new" })
        {
            var work = cache.WorkDirectory("source", Key);
            Directory.CreateDirectory(work);
            File.WriteAllText(Path.Combine(work, content + ".txt"), content);
            cache.Publish(Meta(), work);
        }

        var files = Directory.GetFiles(cache.CellDirectory("source", Key)).Select(Path.GetFileName).Order();
        Assert.Equal(["meta.json", "new.txt"], files);
    }

    [Fact]
    public void RemoveDeletesTheCellAndItsWork()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var work = cache.WorkDirectory("source", Key);
        Directory.CreateDirectory(work);
        cache.Publish(Meta(), work);
        Directory.CreateDirectory(work);

        cache.Remove("source", Key);

        Assert.Null(cache.TryReadComplete("source", Key));
        Assert.False(cache.HasWork("source", Key));
    }

    [Fact]
    public void AnUnreadableMetaNamesItsPath()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var directory = cache.CellDirectory("source", Key);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "meta.json"), "{ not json");

        var error = Assert.Throws<CacheException>(() => cache.TryReadComplete("source", Key));

        Assert.Contains(Path.Combine(directory, "meta.json"), error.Message);
    }

    [Fact]
    public void UnlockStaleRemovesFreeLocksAndKeepsHeldOnes()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var owner = LockOwner.Current(TimeProvider.System);
        var freeKey = "ff" + Key[2..];
        cache.TryLock(freeKey, owner)!.Dispose();
        using var held = cache.TryLock(Key, owner);

        var removed = cache.UnlockStale();

        Assert.Equal([freeKey], removed.Select(r => r.Key));
        var remaining = Assert.Single(cache.Locks());
        Assert.True(remaining.Held);
        Assert.Equal(owner, remaining.Owner);
        Assert.False(remaining.HolderIsDead);
    }

    [Fact]
    public void UnlockByKeyDeletesEvenAHeldLock()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        using var held = cache.TryLock(Key, LockOwner.Current(TimeProvider.System));

        Assert.True(cache.Unlock(Key));
        Assert.False(File.Exists(cache.LockPath(Key)));
        Assert.False(cache.Unlock(Key));
    }
}
