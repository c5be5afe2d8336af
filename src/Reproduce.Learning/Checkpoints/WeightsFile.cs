using System.Collections;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Razorvine.Pickle;
using Reproduce.Core.Errors;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Reproduce.Learning.Checkpoints;

/// <summary>
/// Weights published by others, read by content rather than by name: PyTorch's <c>torch.save</c> zip format (.pt, .pth
/// and Lightning's .ckpt alike; unpickled by TorchSharp.PyBridge, which builds only dicts and tensors and runs no
/// code) or safetensors. A checkpoint that wraps its state dict (<c>{"state_dict": …, "epoch": …}</c>, as Lightning
/// and many SSL libraries save) gives the wrapped dict.
/// </summary>
public static class WeightsFile
{
    /// <summary>The formats <see cref="Read"/> recognises, as named in <c>init.json</c>.</summary>
    public const string PyTorchZip = "pytorch-zip";

    /// <summary>See <see cref="PyTorchZip"/>.</summary>
    public const string SafeTensorsFormat = "safetensors";

    /// <summary>Keys that wrap a state dict inside a training checkpoint, tried in order.</summary>
    private static readonly string[] WrapperKeys = ["state_dict", "model", "model_state_dict"];

    /// <summary>
    /// Beyond this many bytes unpacked for each byte on disk, an archive is refused before anything is read: torch.save
    /// stores its entries uncompressed, so only a zip bomb comes near it.
    /// </summary>
    private const long MaxExpansion = 16;

    private const int MaxEntries = 1_000_000;

    /// <summary>The file's tensors by name (the caller disposes them) and the format it was in.</summary>
    public static (Dictionary<string, Tensor> Tensors, string Format) Read(string path)
    {
        Span<byte> head = stackalloc byte[9];
        int length;
        using (var probe = File.OpenRead(path))
        {
            length = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (length >= 4 && head[..4].SequenceEqual("PK\u0003\u0004"u8))
        {
            return (ReadPyTorchZip(path), PyTorchZip);
        }

        if (length >= 3 && head[0] == 0x80 && head[1] == 0x02 && head[2] == 0x8a)
        {
            throw new DataFormatException(path, "this is torch.save's legacy format (PyTorch before 1.6), which is not read here; re-save it in PyTorch with torch.save(torch.load(f), f2)");
        }

        if (length == 9 && head[8] == (byte)'{')
        {
            return (SafeTensors.Read(path).Tensors, SafeTensorsFormat);
        }

        throw new DataFormatException(path, "neither a PyTorch state dict in torch.save's zip format (.pt, .pth, .ckpt) nor a safetensors file");
    }

    private static Dictionary<string, Tensor> ReadPyTorchZip(string path)
    {
        var fileLength = new FileInfo(path).Length;
        Hashtable root;
        try
        {
            using var stream = File.OpenRead(path);
            CheckArchive(path, stream, fileLength);
            stream.Position = 0;
            root = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or NotImplementedException or PickleException
                                       or InvalidCastException or EndOfStreamException or IndexOutOfRangeException or ArgumentException
                                       or ExternalException or KeyNotFoundException)
        {
            throw new DataFormatException(path, $"not a readable torch.save file: {e.Message}", inner: e);
        }

        var stateDict = root;
        foreach (var key in WrapperKeys)
        {
            if (!IsStateDict(stateDict) && root[key] is Hashtable wrapped)
            {
                stateDict = wrapped;
            }
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in stateDict)
        {
            if (entry.Key is string name && entry.Value is Tensor tensor)
            {
                tensors[name] = tensor;
            }
        }

        DisposeUnused(root, tensors.Values.ToHashSet());
        if (tensors.Count == 0)
        {
            var keys = string.Join(", ", root.Keys.OfType<string>().Order(StringComparer.Ordinal).Take(10).Select(k => Quoted.Bounded(k)));
            throw new DataFormatException(path, $"holds no tensors by name, neither at its top level nor under {string.Join(", ", WrapperKeys)} (its keys: {keys})");
        }

        return tensors;
    }

    private static bool IsStateDict(Hashtable table) => table.Values.OfType<Tensor>().Any();

    /// <summary>Refuses what would unpack to far more than the file holds, before the unpickler allocates for it.</summary>
    private static void CheckArchive(string path, Stream stream, long fileLength)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        if (archive.Entries.Count > MaxEntries)
        {
            throw new DataFormatException(path, $"the archive has {archive.Entries.Count} entries, more than a state dict's {MaxEntries}");
        }

        long unpacked = 0;
        foreach (var entry in archive.Entries)
        {
            unpacked += entry.Length;
        }

        if (unpacked > MaxExpansion * fileLength + (1 << 20))
        {
            throw new DataFormatException(path, $"the archive claims {unpacked} bytes unpacked from {fileLength} on disk; torch.save stores its tensors uncompressed");
        }

        if (!archive.Entries.Any(e => e.Name == "data.pkl"))
        {
            throw new DataFormatException(path, "a zip archive without the data.pkl of torch.save's format");
        }
    }

    /// <summary>The tensors of a checkpoint that are not the state dict's (an optimizer's state): read, and freed here.</summary>
    private static void DisposeUnused(object? node, HashSet<Tensor> kept)
    {
        var pending = new Stack<object?>([node]);
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        while (pending.TryPop(out var item))
        {
            if (item is null || !visited.Add(item))
            {
                continue;
            }

            switch (item)
            {
                case Tensor tensor when !kept.Contains(tensor):
                    tensor.Dispose();
                    break;
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        pending.Push(entry.Value);
                    }

                    break;
                case IEnumerable sequence and not string:
                    foreach (var element in sequence)
                    {
                        pending.Push(element);
                    }

                    break;
            }
        }
    }
}
