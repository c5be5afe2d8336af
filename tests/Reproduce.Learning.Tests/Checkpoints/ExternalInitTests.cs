using System.IO.Compression;
using Reproduce.Core.Errors;
using Reproduce.Core.Stages;
using Reproduce.Learning.Checkpoints;
using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Checkpoints;

/// <summary>
/// Weights files as inits: files PyTorch itself wrote (tests/fixtures/weights, made by its make_weights.py with
/// torch.save) and whole trunks written in the same zip format by TorchSharp.PyBridge.
/// </summary>
public sealed class ExternalInitTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("reproduce-external-init-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void AStateDictSavedByTorchSaveFillsTheStemAndReportsTheRest()
    {
        using var trunk = Trunk(seed: 1);
        var untouched = trunk.state_dict()["layer1.0.conv1.weight"].clone();

        var report = ExternalInit.Load(trunk, Weights("resnet18-stem.pth"), []);

        Assert.Equal(WeightsFile.PyTorchZip, report.Format);
        Assert.Equal(6, report.Loaded);
        Assert.Equal(["fc.bias", "fc.weight"], report.Unexpected);
        Assert.Contains("layer1.0.conv1.weight", report.Missing);
        Assert.DoesNotContain("conv1.weight", report.Missing);
        var state = trunk.state_dict();
        // The values make_weights.py printed (tests/fixtures/README.md).
        Assert.Equal(4.109383, state["conv1.weight"].to_type(ScalarType.Float64).sum().item<double>(), 4);
        Assert.Equal(0.974405, state["conv1.weight"].flatten()[0].item<float>(), 1e-6);
        Assert.Equal(0.180733, state["conv1.weight"].flatten()[-1].item<float>(), 1e-6);
        Assert.Equal(57.089971, state["bn1.running_var"].to_type(ScalarType.Float64).sum().item<double>(), 4);
        Assert.Equal(1234L, state["bn1.num_batches_tracked"].item<long>());
        Assert.True(untouched.equal(state["layer1.0.conv1.weight"]).all().item<bool>(), "a key the file lacks keeps the trunk's own init");
    }

    [Fact]
    public void ATrainingCheckpointGivesItsWrappedStateDictUnderThePrefixMap()
    {
        using var plain = Trunk(seed: 1);
        ExternalInit.Load(plain, Weights("resnet18-stem.pth"), []);
        using var trunk = Trunk(seed: 2);

        var report = ExternalInit.Load(trunk, Weights("moco-style.ckpt"), [KeyValuePair.Create("module.encoder_q.", "")]);

        Assert.Equal(6, report.Loaded);
        Assert.Equal(["module.encoder_k.conv1.weight"], report.Unexpected);
        Assert.True(plain.state_dict()["conv1.weight"].equal(trunk.state_dict()["conv1.weight"]).all().item<bool>());
        Assert.True(plain.state_dict()["bn1.running_mean"].equal(trunk.state_dict()["bn1.running_mean"]).all().item<bool>());
    }

    [Fact]
    public void AWholeTrunkRoundTripsThroughTorchSavesFormat()
    {
        using var source = Trunk(seed: 3);
        var path = Path.Combine(folder, "trunk.pt");
        PyTorchPickler.PickleStateDict(path, source.state_dict().ToDictionary(p => "backbone." + p.Key, p => p.Value));
        using var trunk = Trunk(seed: 4);

        var report = ExternalInit.Load(trunk, path, [KeyValuePair.Create("backbone.", "")]);

        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.Equal(source.state_dict().Count, report.Loaded);
        foreach (var (name, expected) in source.state_dict())
        {
            Assert.True(expected.equal(trunk.state_dict()[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public void ASafetensorsFileIsReadByItsContentWhateverItsName()
    {
        using var source = Trunk(seed: 5);
        var path = Path.Combine(folder, "weights.pth");
        SafeTensors.Write(path, source.state_dict());
        using var trunk = Trunk(seed: 6);

        var report = ExternalInit.Load(trunk, path, []);

        Assert.Equal(WeightsFile.SafeTensorsFormat, report.Format);
        Assert.Empty(report.Missing);
        Assert.True(source.state_dict()["layer4.1.bn2.weight"].equal(trunk.state_dict()["layer4.1.bn2.weight"]).all().item<bool>());
    }

    [Fact]
    public void AShapeMismatchIsRefusedNamingTheTensorAndBothShapes()
    {
        var path = Path.Combine(folder, "resnet50-stem.pt");
        using (var scope = NewDisposeScope())
        {
            PyTorchPickler.PickleStateDict(path, new Dictionary<string, Tensor> { ["conv1.weight"] = zeros(64, 1, 7, 7), ["bn1.weight"] = ones(64) });
        }

        using var trunk = Trunk(seed: 7);
        var error = Assert.Throws<DataFormatException>(() => ExternalInit.Load(trunk, path, []));

        Assert.Contains(path, error.Message);
        Assert.Contains("conv1.weight is [64, 1, 7, 7] in the file, [64, 3, 7, 7] in the resnet18", error.Message);
    }

    [Fact]
    public void AFileThatFillsNothingAsksForAPrefixMap()
    {
        using var trunk = Trunk(seed: 8);
        var before = trunk.state_dict()["conv1.weight"].clone();

        var error = Assert.Throws<DataFormatException>(() => ExternalInit.Load(trunk, Weights("moco-style.ckpt"), []));

        Assert.Contains("prefix_map", error.Message);
        Assert.Contains("module.encoder_q.bn1.bias", error.Message);
        Assert.True(before.equal(trunk.state_dict()["conv1.weight"]).all().item<bool>());
    }

    [Fact]
    public void TheLegacyFormatIsRefusedWithHowToResaveIt()
    {
        var error = Assert.Throws<DataFormatException>(() => WeightsFile.Read(Weights("legacy.pth")));

        Assert.Contains("legacy format", error.Message);
        Assert.Contains("torch.save(torch.load(f), f2)", error.Message);
    }

    [Theory]
    [InlineData("garbage", "neither a PyTorch state dict")]
    [InlineData("zip-without-pickle", "without the data.pkl")]
    [InlineData("truncated", "not a readable torch.save file")]
    [InlineData("bomb", "bytes unpacked from")]
    public void AFileThatIsNoStateDictNamesItself(string kind, string problem)
    {
        var path = Path.Combine(folder, kind + ".pt");
        switch (kind)
        {
            case "garbage":
                File.WriteAllBytes(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
                break;
            case "zip-without-pickle":
                using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
                {
                    using var writer = new StreamWriter(zip.CreateEntry("archive/notes.txt").Open());
                    writer.Write("no pickle here");
                }

                break;
            case "truncated":
                var bytes = File.ReadAllBytes(Weights("resnet18-stem.pth"));
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case "bomb":
                // 64 MB of zeros deflate to about 64 KB: far more unpacked than a stored torch.save archive holds.
                using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
                {
                    using (var pickle = zip.CreateEntry("archive/data.pkl").Open())
                    {
                        pickle.Write(File.ReadAllBytes(Weights("resnet18-stem.pth")).AsSpan(0, 64));
                    }

                    using var entry = zip.CreateEntry("archive/data/0", CompressionLevel.SmallestSize).Open();
                    var zeros = new byte[1 << 20];
                    for (var i = 0; i < 64; i++)
                    {
                        entry.Write(zeros);
                    }
                }

                break;
        }

        var error = Assert.Throws<DataFormatException>(() => WeightsFile.Read(path));

        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void APrefixMapRenamesByTheFirstPrefixThatMatches()
    {
        KeyValuePair<string, string>[] map = [KeyValuePair.Create("module.encoder_q.", ""), KeyValuePair.Create("module.", "trunk.")];

        Assert.Equal("conv1.weight", ExternalInit.Rename("module.encoder_q.conv1.weight", map));
        Assert.Equal("trunk.encoder_k.conv1.weight", ExternalInit.Rename("module.encoder_k.conv1.weight", map));
        Assert.Equal("fc.bias", ExternalInit.Rename("fc.bias", map));
    }

    private static ResNet Trunk(long seed)
    {
        using var random = new CellRandom(seed);
        return new ResNet(new ResNetOptions(ResNetOptions.ResNet18), random);
    }

    private static string Weights(string name)
    {
        var path = Path.Combine(Roots.FindRepositoryRoot(AppContext.BaseDirectory), "tests", "fixtures", "weights", name);
        Assert.True(File.Exists(path), $"fixture {path} is missing: the tests need the files under tests/fixtures in the repository");
        return path;
    }
}
