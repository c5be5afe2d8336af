using Reproduce.Core.Manifests;
using Reproduce.Data.Arrays;
using Reproduce.Data.Datasets;
using Reproduce.Data.Images;
using Reproduce.Evaluation.Metrics;
using Reproduce.Learning.Methods;

namespace Reproduce.Fuzz;

/// <summary>
/// One reader of files users bring, called as a run calls it on a file named <paramref name="FileName"/>. Reading
/// may accept the file or refuse it with a <see cref="Core.Errors.ReproduceException"/>; anything else escaping
/// <paramref name="Read"/> is a bug the fuzzer reports as a crash.
/// </summary>
/// <param name="SeedFolders">Folders, relative to the repository root, whose files start the fuzzer's corpus.</param>
/// <param name="Beside">A folder, relative to the repository root, whose files are put beside the input once.</param>
public sealed record FuzzTarget(string Name, string FileName, IReadOnlyList<string> SeedFolders, Action<string> Read, string? Beside = null);

/// <summary>The fuzzing targets (README "Fuzzing"), one per file format a user brings.</summary>
public static class FuzzTargets
{
    /// <summary>
    /// Where each target's committed inputs live: crashes the fuzzer found, kept as regression inputs. The fuzzer
    /// starts from them too.
    /// </summary>
    public const string RegressionFolder = "tests/fixtures/fuzz";

    /// <summary>
    /// The largest seed taken: AFL++ mutates small inputs far faster, and the readers' limits are exercised by
    /// the header values the fuzzer writes, not by big files.
    /// </summary>
    public const long MaxSeedBytes = 64 << 10;

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        // A CT slice as preprocessing reads it: the Part 10 file, its dataset and its decoded pixels.
        new("dicom", "slice.dcm", ["tests/fixtures/dicom"], path =>
        {
            using var slice = CtSlice.Read(path);
        }),

        // A COVID-CT or Brain image: header dimensions checked, then Skia's native decoder.
        new("image", "image.png", ["tests/fixtures/images"], path => ImageDecoder.DecodeGray(path)),

        // MedMNIST's npz: every array of the archive.
        new("npz", "organsmnist.npz", ["tests/fixtures/npz"], path =>
        {
            using var archive = NpzArchive.Open(path);
            foreach (var name in archive.Names)
            {
                archive.Read(name);
            }
        }),

        // A manifest with the study's manifests beside it, so that an `extends:` of theirs resolves.
        new("manifest", "manifest.yaml", ["experiments"], path => ManifestLoader.Load(path, MethodRegistry.Catalog), Beside: "experiments"),

        // What `reproduce metrics` reads and computes.
        new("predictions", "predictions.csv", [], path => ClassificationMetrics.Compute(PredictionsCsv.Read(path))),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>The files a target's corpus starts from: its seed folders' files up to <see cref="MaxSeedBytes"/>, and its regression inputs.</summary>
    public static IReadOnlyList<string> Corpus(FuzzTarget target, string repositoryRoot) =>
        [.. target.SeedFolders.Append($"{RegressionFolder}/{target.Name}")
            .Select(folder => Path.Combine(repositoryRoot, folder))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Where(file => Path.GetFileName(file) != "README.md" && new FileInfo(file).Length <= MaxSeedBytes)
            .Order(StringComparer.Ordinal)];
}
