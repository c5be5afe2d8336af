using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Core.IO;
using static TorchSharp.torch;

namespace Reproduce.Learning.Checkpoints;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header naming
/// each tensor's dtype, shape and byte range, then the raw little-endian data. Chosen for published
/// weights and checkpoints because PyTorch users read it with one call (<c>safetensors.torch.load_file</c>)
/// and it carries no code, unlike a pickle; TorchSharp has no reader or writer for it, so this is a
/// small one. Reading checks every length and range against the file before allocating anything.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>The header may not exceed this (the reference implementation's limit), whatever the file claims.</summary>
    private const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<ScalarType, (string Name, int Size)> Types = new()
    {
        [ScalarType.Float32] = ("F32", 4),
        [ScalarType.Float64] = ("F64", 8),
        [ScalarType.Float16] = ("F16", 2),
        [ScalarType.BFloat16] = ("BF16", 2),
        [ScalarType.Int64] = ("I64", 8),
        [ScalarType.Int32] = ("I32", 4),
        [ScalarType.Int16] = ("I16", 2),
        [ScalarType.Int8] = ("I8", 1),
        [ScalarType.Byte] = ("U8", 1),
        [ScalarType.Bool] = ("BOOL", 1),
    };

    private static readonly Dictionary<string, ScalarType> TypesByName = Types.ToDictionary(t => t.Value.Name, t => t.Key);

    /// <summary>
    /// Writes <paramref name="tensors"/> (copied to the CPU) under their names, atomically, with
    /// <paramref name="metadata"/> as the header's <c>__metadata__</c> in ordinal key order, so equal inputs give equal bytes.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        // The scope takes every copy and view made here (detach, cpu and contiguous each make a tensor), not the callers'.
        using var scope = NewDisposeScope();
        var entries = tensors.Select(t => (t.Key, Tensor: t.Value.detach().cpu().contiguous())).ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            header[MetadataKey] = new JsonObject(metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value)));
        }

        long offset = 0;
        foreach (var (name, tensor) in entries)
        {
            if (!Types.TryGetValue(tensor.dtype, out var type))
            {
                throw new ArgumentException($"tensor '{name}' has dtype {tensor.dtype}, which safetensors does not store", nameof(tensors));
            }

            var length = tensor.numel() * type.Size;
            header[name] = new JsonObject
            {
                ["dtype"] = type.Name,
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode?)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + length),
            };
            offset += length;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // The format pads the header with spaces to a multiple of 8 so the data is aligned.
        var padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            Span<byte> size = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(size, (ulong)padded);
            stream.Write(size);
            stream.Write(json);
            for (var i = json.Length; i < padded; i++)
            {
                stream.WriteByte((byte)' ');
            }

            foreach (var (_, tensor) in entries)
            {
                stream.Write(tensor.bytes);
            }
        });
    }

    /// <summary>Reads every tensor of a safetensors file (on the CPU) and its metadata.</summary>
    public static (Dictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        using var stream = File.OpenRead(path);
        var (header, dataStart) = ReadHeader(stream, path);
        var metadata = Metadata(path, header);
        var dataLength = stream.Length - dataStart;
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == MetadataKey)
                {
                    continue;
                }

                var (type, shape, begin, end) = Describe(path, name, node);
                var count = shape.Aggregate(1L, (product, d) => product * d);
                if (begin < 0 || end < begin || end > dataLength || end - begin != count * Types[type].Size)
                {
                    throw new DataFormatException(path, $"tensor '{name}': bytes [{begin}, {end}) do not hold {string.Join("×", shape)} {Types[type].Name} values within the {dataLength} data bytes", 8);
                }

                var bytes = new byte[end - begin];
                stream.Position = dataStart + begin;
                stream.ReadExactly(bytes);
                var tensor = empty(shape, type);
                tensor.bytes = bytes;
                tensors[name] = tensor;
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }

            throw;
        }

        return (tensors, metadata);
    }

    /// <summary>The header's <c>__metadata__</c> of a safetensors file (empty when it has none), without reading any tensor.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        return Metadata(path, ReadHeader(stream, path).Header);
    }

    /// <summary>The JSON header and where the data starts, every length checked against the file first.</summary>
    private static (JsonObject Header, long DataStart) ReadHeader(FileStream stream, string path)
    {
        var length = stream.Length;
        Span<byte> sizeBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(sizeBytes, 8, throwOnEndOfStream: false) < 8)
        {
            throw new DataFormatException(path, "shorter than the 8-byte header length of a safetensors file", 0);
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(sizeBytes);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, length - 8))
        {
            throw new DataFormatException(path, $"header length {headerLength} exceeds the file ({length} bytes)", 0);
        }

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        try
        {
            var header = JsonNode.Parse(headerBytes)?.AsObject() ?? throw new DataFormatException(path, "the header is not a JSON object", 8);
            return (header, 8 + (long)headerLength);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new DataFormatException(path, $"the header is not valid JSON: {e.Message}", 8, e);
        }
    }

    /// <summary>The format's <c>__metadata__</c>: a map of strings to strings, anything else refused.</summary>
    private static Dictionary<string, string> Metadata(string path, JsonObject header)
    {
        var metadata = new Dictionary<string, string>();
        if (header[MetadataKey] is null)
        {
            return metadata;
        }

        if (header[MetadataKey] is not JsonObject entries)
        {
            throw new DataFormatException(path, $"'{MetadataKey}' is not a JSON object", 8);
        }

        foreach (var (key, value) in entries)
        {
            metadata[key] = value is JsonValue json && json.TryGetValue<string>(out var text)
                ? text
                : throw new DataFormatException(path, $"'{MetadataKey}' entry '{key}' is not a string", 8);
        }

        return metadata;
    }

    private static (ScalarType Type, long[] Shape, long Begin, long End) Describe(string path, string name, JsonNode? node)
    {
        var malformed = new DataFormatException(path, $"tensor '{name}': malformed header entry (needs dtype, shape and two data_offsets)", 8);
        if (node is not JsonObject entry
            || entry["dtype"] is not JsonValue dtype || !dtype.TryGetValue<string>(out var typeName)
            || entry["shape"] is not JsonArray shapeNode
            || entry["data_offsets"] is not JsonArray { Count: 2 } offsets
            || Integer(offsets[0]) is not { } begin || Integer(offsets[1]) is not { } end)
        {
            throw malformed;
        }

        if (!TypesByName.TryGetValue(typeName, out var type))
        {
            throw new DataFormatException(path, $"tensor '{name}': unsupported dtype '{typeName}'", 8);
        }

        var shape = shapeNode.Select(Integer).ToArray();
        if (shape.Any(d => d is null))
        {
            throw malformed;
        }

        if (shape.Any(d => d < 0))
        {
            throw new DataFormatException(path, $"tensor '{name}': negative dimension in [{string.Join(", ", shape)}]", 8);
        }

        return (type, [.. shape.Select(d => d!.Value)], begin, end);
    }

    private static long? Integer(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var integer) ? integer : null;
}
