using System.Text.Json.Nodes;
using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;
using TorchSharp.PyBridge;

namespace Reproduce.Cli.Tests;

/// <summary>An init read from a weights file (<c>finetune.inits: [{imagenet: {file: PATH}}]</c>), through the real CLI.</summary>
public sealed class FileInitTests : IDisposable
{
    private readonly string temp = Path.Combine(Path.GetTempPath(), "reproduce-tests", Guid.NewGuid().ToString("N"));

    public FileInitTests()
    {
        Directory.CreateDirectory(temp);
    }

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private static string Ci => Path.Combine(CliProcess.RepositoryRoot, "experiments", "ci.yaml");

    [Fact]
    public void ATorchSaveFileFineTunesAsAnInitAndEditingItRerunsItsCells()
    {
        var weights = Path.Combine(temp, "weights", "resnet18.pt");
        var trunkTensors = WriteTrunk(weights, seed: 11);
        var manifest = Manifest($"{{imagenet: {{file: '{weights}', prefix_map: {{'backbone.': ''}}}}}}");

        var result = Reproduce("run", "--manifest", manifest, "--only", "finetune", "--task", "brain", "--init", "imagenet", "--fold", "0", "--fraction", "1.0");

        Assert.True(result.ExitCode == 0, result.ToString());
        var report = JsonNode.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(temp, "cache", "finetune"), "init.json", SearchOption.AllDirectories))))!;
        Assert.Equal("pytorch-zip", (string?)report["format"]);
        Assert.Equal(trunkTensors, (int?)report["loaded"]);
        Assert.Empty(report["missing"]!.AsArray());
        Assert.Equal(["fc.bias", "fc.weight"], report["unexpected"]!.AsArray().Select(k => (string?)k));
        Assert.Matches("^[0-9a-f]{64}$", (string?)report["sha256"]);

        Assert.DoesNotContain(PlannedFinetunes(manifest), l => l.Contains("init=imagenet"));
        WriteTrunk(weights, seed: 12);
        Assert.Contains(PlannedFinetunes(manifest), l => l.Contains("finetune[task=brain, init=imagenet, fold=0, fraction=1.0]"));
    }

    [Fact]
    public void AMissingWeightsFileIsNamedWhenItsCellRuns()
    {
        var weights = Path.Combine(temp, "absent.pth");
        var manifest = Manifest($"{{imagenet: {{file: '{weights}'}}}}");

        var result = Reproduce("run", "--manifest", manifest, "--only", "finetune", "--task", "brain", "--init", "imagenet", "--fold", "0", "--fraction", "1.0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(weights, result.StandardError);
        Assert.Contains("does not exist", result.StandardError);
    }

    [Fact]
    public void AnOptionalInitWithoutItsVariableIsLeftOutWithANote()
    {
        var manifest = Manifest("{imagenet: {file: '${REPRODUCE_TEST_IMAGENET}', optional: true}}");

        var result = Reproduce("plan", "--manifest", manifest);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("note: init 'imagenet' (optional) is left out", result.StandardOutput);
        Assert.Contains("REPRODUCE_TEST_IMAGENET", result.StandardOutput);
    }

    private string Manifest(string fileInit)
    {
        var path = Path.Combine(temp, "file-init.yaml");
        File.WriteAllText(path, $"extends: {Ci}\nexperiment: file-init\nfinetune:\n  inits: [scratch, {fileInit}]\n");
        return path;
    }

    /// <summary>A ResNet-18 trunk under <c>backbone.</c> with a 10-class head, as torch.save writes a state dict; returns the trunk's tensor count.</summary>
    private static int WriteTrunk(string path, long seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var random = new CellRandom(seed);
        using var trunk = new ResNet(new ResNetOptions(ResNetOptions.ResNet18), random);
        var state = trunk.state_dict().ToDictionary(p => "backbone." + p.Key, p => p.Value);
        state["fc.weight"] = TorchSharp.torch.zeros(10, 512);
        state["fc.bias"] = TorchSharp.torch.zeros(10);
        PyTorchPickler.PickleStateDict(path, state);
        return trunk.state_dict().Count;
    }

    private IReadOnlyList<string> PlannedFinetunes(string manifest)
    {
        var plan = Reproduce("plan", "--manifest", manifest, "--only", "finetune", "--task", "brain", "--init", "imagenet", "--fold", "0", "--fraction", "1.0");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        return plan.OutputLines;
    }

    /// <summary>A fine-tuning cell of ci.yaml takes about 15 s alone; the limit leaves room for a busy CI machine.</summary>
    private CliProcess.Result Reproduce(params string[] arguments) =>
        CliProcess.RunWithin(TimeSpan.FromMinutes(3), temp, new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = Path.Combine(temp, "cache") }, arguments);
}
