using Reproduce.Learning.Runtime;

namespace Reproduce.Learning.Tests.Runtime;

/// <summary>The tests' event-file reader against reference values, and a log read back with it.</summary>
public sealed class TensorBoardEventFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("reproduce-tensorboard-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void TheCRC32COfTheCheckStringIsThePublishedCheckValue() =>
        Assert.Equal(0xE3069283u, TensorBoardEventFile.Crc32C("123456789"u8));

    [Fact]
    public void ALogReadsBackAsOneFileVersionEventThenItsScalarsInOrder()
    {
        var log = new TensorBoardLog(folder, TimeProvider.System);
        log.Scalar("loss", 0.5, step: 0);
        log.Scalar("loss", 0.25, step: 1);
        log.Scalar("lr", 1e-3, step: 1);

        var events = TensorBoardEventFile.Read(Assert.Single(Directory.GetFiles(Path.Combine(folder, TensorBoardLog.Folder))));

        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal([("loss", 0.5f, 0L), ("loss", 0.25f, 1L), ("lr", 1e-3f, 1L)], events.Skip(1).Select(e => (Assert.Single(e.Scalars).Tag, e.Scalars[0].Value, e.Step)));
        Assert.All(events.Skip(1), e => Assert.InRange(e.WallTime, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));
    }

    [Fact]
    public void ADamagedByteFailsItsRecordsCRC()
    {
        var log = new TensorBoardLog(folder, TimeProvider.System);
        log.Scalar("loss", 0.5, step: 0);
        var path = Assert.Single(Directory.GetFiles(Path.Combine(folder, TensorBoardLog.Folder)));
        var bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        Assert.Contains("data CRC", Assert.Throws<InvalidDataException>(() => TensorBoardEventFile.Read(path)).Message, StringComparison.Ordinal);
    }
}
