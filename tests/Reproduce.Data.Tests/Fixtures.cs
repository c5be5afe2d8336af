using Reproduce.Core.Stages;

namespace Reproduce.Data.Tests;

/// <summary>
/// The test fixtures (real DICOM, image and npz files with known values) kept in the repository at
/// <c>tests/fixtures/</c>; tests/fixtures/README.md lists each file's origin, licence and expected values.
/// A missing fixture fails the test with its path.
/// </summary>
public static class Fixtures
{
    public static string Root { get; } =
        Path.Combine(Roots.FindRepositoryRoot(AppContext.BaseDirectory), "tests", "fixtures");

    /// <summary>The path of a fixture file, e.g. <c>Fixtures.File("dicom", "CT_small.dcm")</c>; fails when it is missing.</summary>
    public static string File(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        Assert.True(System.IO.File.Exists(path), $"fixture {path} is missing: the tests need the files under tests/fixtures in the repository");
        return path;
    }
}
