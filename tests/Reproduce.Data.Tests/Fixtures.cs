using Reproduce.Core.Execution;

namespace Reproduce.Data.Tests;

/// <summary>
/// The shared test fixtures (real DICOM, image and npz files with known values) at
/// <c>../shared/fixtures/</c> beside the repository root. A missing fixture fails the test with its path.
/// </summary>
public static class Fixtures
{
    public static string Root { get; } =
        Path.GetFullPath(Path.Combine(Roots.FindRepositoryRoot(AppContext.BaseDirectory), "..", "shared", "fixtures"));

    /// <summary>The path of a fixture file, e.g. <c>Fixtures.File("dicom", "CT_small.dcm")</c>; fails when it is missing.</summary>
    public static string File(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        Assert.True(System.IO.File.Exists(path), $"fixture {path} is missing: the tests need shared/fixtures beside the repository");
        return path;
    }
}
