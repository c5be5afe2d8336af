using System.Buffers.Binary;

namespace Reproduce.Cli.Tests;

public class InspectCommandTests : IDisposable
{
    private readonly string temp = Path.Combine(Path.GetTempPath(), "reproduce-tests", Guid.NewGuid().ToString("N"));

    public InspectCommandTests()
    {
        Directory.CreateDirectory(temp);
    }

    private static string Fixture(string name) => Data.Tests.Fixtures.File("dicom", name);

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void PrintsTheKeyAttributesAndWritesTheHuImage()
    {
        var npy = Path.Combine(temp, "ct1.npy");

        var result = CliProcess.Run(temp, new Dictionary<string, string?>(), "inspect", Fixture("CT1_UNC.explicit_little_endian.dcm"), "--npy", npy);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("size               512 x 512, 1 frame(s)", result.StandardOutput);
        Assert.Contains("rescale            slope 1, intercept -1024", result.StandardOutput);
        var bytes = File.ReadAllBytes(npy);
        var header = System.Text.Encoding.Latin1.GetString(bytes, 10, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)));
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'shape': (512, 512)", header);
        var data = bytes.AsSpan(10 + header.Length);
        Assert.Equal(512 * 512 * 4, data.Length);
        // Pixel [0,0] is the padding value -2000 (kept), [256,256] stores 965.
        Assert.Equal(-2000f - 1024f, BinaryPrimitives.ReadSingleLittleEndian(data));
        Assert.Equal(965f - 1024f, BinaryPrimitives.ReadSingleLittleEndian(data[(((256 * 512) + 256) * 4)..]));
    }

    [Fact]
    public void ACompressedFileIsRejectedNamingItsTransferSyntax()
    {
        var result = CliProcess.Run(temp, new Dictionary<string, string?>(), "inspect", Fixture("MR_small_jp2klossless.dcm"));

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("1.2.840.10008.1.2.4.90", line);
    }

    [Fact]
    public void ATruncatedFileIsInvalidInputNamingThePath()
    {
        var result = CliProcess.Run(temp, new Dictionary<string, string?>(), "inspect", Fixture("MR_truncated.dcm"), "--npy", Path.Combine(temp, "x.npy"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("MR_truncated.dcm", Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(Path.Combine(temp, "x.npy")));
    }

    [Fact]
    public void AFrameOutOfRangeIsAUsageError()
    {
        var result = CliProcess.Run(temp, new Dictionary<string, string?>(), "inspect", Fixture("CT_small.dcm"), "--npy", Path.Combine(temp, "x.npy"), "--frame", "3");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--frame 3: the file has frames 0 to 0", result.StandardError);
    }
}
