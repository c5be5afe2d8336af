using System.Security.Cryptography;
using Reproduce.Cli.Tests;

namespace Reproduce.EndToEnd.Tests;

/// <summary>
/// SparK's pre-training of experiments/ci.yaml, run ten times from scratch at one thread count, publishes the same
/// encoder bytes every time, whatever the allocator leaves in fresh memory: glibc's MALLOC_PERTURB_ fills every
/// allocation with a different byte per run, so a read of memory never written (ours or a kernel's) shows.
/// </summary>
public sealed class SparKRepeatabilityTests : IDisposable
{
    private const int Runs = 10;
    private static readonly TimeSpan OneRun = TimeSpan.FromMinutes(3);

    private readonly string root = Path.Combine(Path.GetTempPath(), "reproduce-spark-repeat", Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TenFreshRunsPublishTheSameEncoderBytes(int threads)
    {
        var digests = new List<string>();
        for (var run = 0; run < Runs; run++)
        {
            var environment = new Dictionary<string, string?>
            {
                ["REPRODUCE_CACHE"] = Path.Combine(root, $"{threads}-{run}", "cache"),
                ["REPRODUCE_DATA"] = Path.Combine(root, $"{threads}-{run}", "data"),
                ["REPRODUCE_RESULTS"] = Path.Combine(root, $"{threads}-{run}", "results"),
                // 0 leaves glibc's allocator as it is; the others fill each allocation with a different byte.
                ["MALLOC_PERTURB_"] = (run * 37 % 256).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var result = CliProcess.RunWithin(OneRun, CliProcess.RepositoryRoot, environment,
                "run", "--manifest", "experiments/ci.yaml", "--only", "pretrain", "--method", "spark", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(result.ExitCode == 0, $"run {run} (MALLOC_PERTURB_={environment["MALLOC_PERTURB_"]}):\n{result}");

            var encoder = Assert.Single(Directory.GetFiles(Path.Combine(environment["REPRODUCE_CACHE"]!, "pretrain"), "encoder.safetensors", SearchOption.AllDirectories));
            digests.Add(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(encoder))));
        }

        Assert.True(digests.Distinct().Count() == 1, $"encoder digests at {threads} thread(s):\n{string.Join('\n', digests.Select((d, i) => $"run {i}: {d}"))}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS temp cleaner gets what is left.
        }
    }
}
