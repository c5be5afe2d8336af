using System.Text;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Keys;
using Reproduce.Learning.Checkpoints;
using Reproduce.Learning.Pretraining;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Checkpoints;

/// <summary>The cell's specification in the header of the safetensors files a cell writes (<see cref="CellCheckpointMetadata"/>).</summary>
public sealed class CellCheckpointMetadataTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("reproduce-cell-metadata-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ACheckpointOfATinyModelCarriesItsCellsSpecification()
    {
        using var scope = NewDisposeScope();
        var spec = Spec();
        var path = Path.Combine(folder, "checkpoint.safetensors");
        using var model = nn.Linear(2, 3);
        using var steps = new Generator(1);

        PretrainingCheckpoint.Save(path, completedSteps: 4, model, new Dictionary<string, Tensor>(), steps, CellCheckpointMetadata.Of(spec).ToEntries());
        var read = CellCheckpointMetadata.Read(path);

        Assert.Equal(spec.Key, read.Key);
        Assert.Equal(spec.Address, read.Address);
        Assert.Equal(spec.Components.ToJson().ToJsonString(), read.Components.ToJson().ToJsonString());
        Assert.Equal("""{"hyper":{"batch_size":8,"temperature":0.2},"method":"mocov2"}""", read.Components.ParametersJson);
        Assert.Equal(3, read.Components.StageVersion);
        Assert.Equal(TorchRuntime.FullVersion, read.TorchSharpVersion);
        Assert.StartsWith(TorchRuntime.ManagedVersion + ".", read.TorchSharpVersion, StringComparison.Ordinal);
        Assert.Equal("1", SafeTensors.ReadMetadata(path)["reproduce.checkpoint_format"]);
        Assert.Equal("4", SafeTensors.ReadMetadata(path)["completed_steps"]);
    }

    [Fact]
    public void TheSameTensorsAndSpecificationGiveTheSameBytesWhateverTheEntriesOrder()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor> { ["w"] = arange(6, dtype: ScalarType.Float32) };
        var entries = CellCheckpointMetadata.Of(Spec()).ToEntries();
        var first = Path.Combine(folder, "first.safetensors");
        var second = Path.Combine(folder, "second.safetensors");

        SafeTensors.Write(first, tensors, entries);
        SafeTensors.Write(second, tensors, entries.Reverse().ToDictionary());

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        var header = Encoding.UTF8.GetString(File.ReadAllBytes(first));
        Assert.True(header.IndexOf("reproduce.cell_address", StringComparison.Ordinal) < header.IndexOf("reproduce.cell_key", StringComparison.Ordinal), "metadata keys are not sorted");
    }

    [Fact]
    public void ACorruptHeaderIsRefusedNamingTheFile()
    {
        var path = Path.Combine(folder, "encoder.safetensors");
        SafeTensors.Write(path, [], CellCheckpointMetadata.Of(Spec()).ToEntries());
        var bytes = File.ReadAllBytes(path);
        bytes[9] = (byte)'#';
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<DataFormatException>(() => CellCheckpointMetadata.Read(path));

        Assert.Equal(path, error.Path);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reproduce.params", """{"method":"byol"}""", "hashes to")]
    [InlineData("reproduce.stage_version", "x", "malformed cell metadata")]
    [InlineData("reproduce.cell_address", "finetune[task=covid]", "not an address of a pretrain cell")]
    [InlineData("reproduce.checkpoint_format", "2", "this build reads format 1")]
    public void AChangedEntryIsRefusedNamingTheFile(string entry, string value, string problem)
    {
        var path = Path.Combine(folder, "changed.safetensors");
        var entries = new Dictionary<string, string>(CellCheckpointMetadata.Of(Spec()).ToEntries()) { [entry] = value };
        SafeTensors.Write(path, [], entries);

        var error = Assert.Throws<DataFormatException>(() => CellCheckpointMetadata.Read(path));

        Assert.Equal(path, error.Path);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWithoutCellMetadataIsRefused()
    {
        var path = Path.Combine(folder, "plain.safetensors");
        SafeTensors.Write(path, [], new Dictionary<string, string> { ["format"] = "pt" });

        Assert.Contains("not a file written by a cell", Assert.Throws<DataFormatException>(() => CellCheckpointMetadata.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMetadataValueThatIsNotAStringIsRefused()
    {
        var path = Path.Combine(folder, "number.safetensors");
        var header = Encoding.UTF8.GetBytes("""{"__metadata__":{"steps":4}}""");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header]);

        Assert.Contains("entry 'steps' is not a string", Assert.Throws<DataFormatException>(() => SafeTensors.ReadMetadata(path)).Message, StringComparison.Ordinal);
    }

    private static CellSpec Spec()
    {
        var components = new KeyComponents(
            1,
            "pretrain",
            3,
            """{"hyper":{"batch_size":8,"temperature":0.2},"method":"mocov2"}""",
            "{}",
            """{"device":"cpu","torchsharp":"0.107"}""",
            new Dictionary<string, string> { ["preprocess[dataset=synthetic]"] = new('a', 64) });
        return new CellSpec(CellKeys.Hash(components), new CellAddress("pretrain", ("method", "mocov2")), components, []);
    }
}
