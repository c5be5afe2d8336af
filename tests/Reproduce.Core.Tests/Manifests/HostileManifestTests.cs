using System.Diagnostics;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;

namespace Reproduce.Core.Tests.Manifests;

/// <summary>
/// Manifests built to exhaust the reader: each is refused with a positioned error, in bounded time and memory, before
/// anything is built from it.
/// </summary>
public sealed class HostileManifestTests : IDisposable
{
    private readonly ManifestFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    public void NestingTenThousandDeepIsRefusedWhereItPassesTheLimit(string open, string close)
    {
        var deep = string.Concat(Enumerable.Repeat(open, 10_000)) + "1" + string.Concat(Enumerable.Repeat(close, 10_000));
        var path = folder.Write("deep.yaml", $"experiment: x\nvalues: {deep}\n");

        var error = Assert.Single(folder.LoadFails(path).Errors);

        Assert.Equal(path, error.At.File);
        Assert.Contains($"nested deeper than {YamlTreeReader.MaxDepth} levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAliasIsRefusedSoABillionLaughsNeverExpands()
    {
        var laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            + string.Concat(Enumerable.Range(0, 9).Select(i => $"{(char)('b' + i)}: &{(char)('b' + i)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i)}", 9))}]\n"));
        var path = folder.Write("laughs.yaml", laughs);

        var error = Assert.Single(folder.LoadFails(path).Errors);

        Assert.Equal((2, 8), (error.At.Line, error.At.Column));
        Assert.Equal("YAML aliases (*a) are not supported in manifests: share settings with 'extends:'", error.Message);
    }

    [Fact]
    public void AManifestOverTheSizeLimitIsRefusedUnread()
    {
        var path = folder.Write("big.yaml", "experiment: x\n" + new string('#', YamlTreeReader.MaxBytes));

        var error = Assert.Single(folder.LoadFails(path).Errors);

        Assert.StartsWith("the manifest has 1,048,590 bytes, more than the 1,048,576", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeviceThatNeverEndsIsRefusedAsAManifestAndAsAParent()
    {
        Assert.Contains("is a character device, not a regular file", Assert.Single(folder.LoadFails("/dev/zero").Errors).Message, StringComparison.Ordinal);

        var child = folder.Write("child.yaml", "extends: /dev/zero\n");
        var error = Assert.Single(folder.LoadFails(child).Errors);
        Assert.Contains("is a character device, not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFifoNobodyWritesToIsRefusedWithoutOpeningIt()
    {
        var fifo = Path.Combine(folder.Root, "pipe.yaml");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var child = folder.Write("child.yaml", "extends: pipe.yaml\n");
        var error = Assert.Single(folder.LoadFails(child).Errors);

        Assert.Contains("is a FIFO (named pipe), not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHugeValueAndThousandsOfUnknownKeysMakeAShortMessage()
    {
        folder.WriteBase();
        var path = folder.Write("noisy.yaml", "extends: base.yaml\nfinetune:\n  epochs: " + new string('9', 300_000) + "x\n"
            + string.Concat(Enumerable.Range(0, 2_000).Select(i => $"unknown_{i}: {new string('k', 100)}\n")));

        var exception = folder.LoadFails(path);

        Assert.True(exception.Errors.Count > 2_000);
        Assert.True(exception.Message.Length < 10_000, $"{exception.Message.Length} characters");
        Assert.Contains("(300,001 characters)", exception.Message, StringComparison.Ordinal);
        Assert.EndsWith($"… and {exception.Errors.Count - ManifestException.MaxListed} more problem(s)", exception.Message, StringComparison.Ordinal);
    }
}
