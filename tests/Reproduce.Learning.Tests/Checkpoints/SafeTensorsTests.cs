using System.Buffers.Binary;
using System.Text;
using Reproduce.Core.Errors;
using Reproduce.Learning.Checkpoints;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Checkpoints;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("reproduce-safetensors-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void TensorsAndMetadataRoundTripBitForBit()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(folder, "weights.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["conv1.weight"] = randn(4, 3, 7, 7),
            ["bn1.num_batches_tracked"] = tensor(17L),
            ["queue"] = randn(2, 5, dtype: ScalarType.Float64),
            ["mask"] = tensor(new[] { true, false, true }),
            ["empty"] = zeros(0, 3),
        };

        SafeTensors.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["arch"] = "resnet18" });
        var (read, metadata) = SafeTensors.Read(path);

        Assert.Equal(tensors.Keys.Order(), read.Keys.Order());
        foreach (var (name, original) in tensors)
        {
            Assert.Equal(original.dtype, read[name].dtype);
            Assert.Equal(original.shape, read[name].shape);
            Assert.True(original.eq(read[name]).all().item<bool>(), name);
        }

        Assert.Equal("resnet18", metadata["arch"]);
        // The header is padded to 8 bytes and the data is exactly the tensors' bytes: 4·588 + 8 + 8·10 + 3 + 0.
        Assert.Equal(0, HeaderLength(path) % 8);
        Assert.Equal(2443, new FileInfo(path).Length - 8 - HeaderLength(path));
    }

    [Fact]
    public void AFileWrittenByHandToTheSpecificationReads()
    {
        // Two F32 values and one I64, as the format's documentation lays a file out.
        var json = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[],"data_offsets":[8,16]}}""";
        var data = new byte[16];
        BinaryPrimitives.WriteSingleLittleEndian(data, 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), -2f);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(8), 42);
        var path = Write("hand.safetensors", json, data);

        var (read, _) = SafeTensors.Read(path);

        Assert.Equal([1.5f, -2f], read["a"].data<float>().ToArray());
        Assert.Equal(42, read["b"].item<long>());
        Assert.Empty(read["b"].shape);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", "do not hold 3 F32 values")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", "within the 8 data bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", "bytes [8, 0)")]
    [InlineData("""{"a":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}""", "unsupported dtype 'C64'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}}""", "negative dimension")]
    [InlineData("""{"a":{"dtype":"F32"}}""", "malformed header entry")]
    [InlineData("""{"a":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}}""", "malformed header entry")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,16]}}""", "malformed header entry")]
    [InlineData("""{"a":""", "not valid JSON")]
    public void ALyingHeaderFailsNamingTheFileAndTheProblem(string json, string problem)
    {
        var path = Write("bad.safetensors", json, new byte[8]);

        var error = Assert.Throws<DataFormatException>(() => SafeTensors.Read(path));

        Assert.Equal(path, error.Path);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeaderLengthBeyondTheFileFailsBeforeAllocating()
    {
        var path = Path.Combine(folder, "huge.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue / 2);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<DataFormatException>(() => SafeTensors.Read(path));
        Assert.Contains("exceeds the file", error.Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, bytes[..5]);
        Assert.Contains("shorter than", Assert.Throws<DataFormatException>(() => SafeTensors.Read(path)).Message, StringComparison.Ordinal);
    }

    private string Write(string name, string json, byte[] data)
    {
        var path = Path.Combine(folder, name);
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static long HeaderLength(string path) => (long)BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path).AsSpan(0, 8));
}
