using Reproduce.Core.Errors;

namespace Reproduce.Core.Tests.Errors;

/// <summary>Every error names what is wrong and where, and maps to its exit code (DESIGN.md §7).</summary>
public class ErrorMessageTests
{
    [Fact]
    public void ADataFormatErrorNamesThePathAndTheOffset()
    {
        var error = new DataFormatException("data/x.dcm", "element length 4294967295 exceeds the file", offset: 132);

        Assert.Equal("data/x.dcm: at byte 132: element length 4294967295 exceeds the file", error.Message);
        Assert.Equal(ExitCodes.InvalidInput, error.ExitCode);
        Assert.Equal("data/x.dcm: not a PNG", new DataFormatException("data/x.dcm", "not a PNG").Message);
    }

    [Fact]
    public void AManifestErrorPutsEachProblemOnItsOwnLine()
    {
        var error = new ManifestException([new ManifestError(new SourceSpan("a.yaml", 3, 5), "first"), new ManifestError(new SourceSpan("b.yaml", 1, 1), "second")]);

        Assert.Equal(["a.yaml:3:5: first", "b.yaml:1:1: second"], error.Message.Split(Environment.NewLine));
        Assert.Equal(ExitCodes.InvalidInput, error.ExitCode);
    }

    [Fact]
    public void ExitCodesFollowTheKindOfError()
    {
        Assert.Equal(3, new EnvironmentException("set BRAIN_DATA").ExitCode);
        Assert.Equal(2, new UsageException("--workers 0").ExitCode);
        Assert.Equal(1, new CacheException("cache/x", "unreadable").ExitCode);
    }
}
