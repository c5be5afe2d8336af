using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Learning.Models;
using static TorchSharp.torch;

namespace Reproduce.Learning.Checkpoints;

/// <summary>
/// A weights file as a trunk's init (<c>finetune.inits: [{imagenet: {file: PATH}}]</c>): keys renamed by the prefix map,
/// then loaded like PyTorch's <c>load_state_dict(strict=False)</c> (a missing key keeps the trunk's fresh value, an
/// unexpected one such as torchvision's <c>fc.*</c> is skipped, both reported), except that a shape mismatch is refused
/// and a file that fills none of the trunk is refused: both mean the wrong file or the wrong prefix map.
/// </summary>
public static class ExternalInit
{
    /// <summary>What <see cref="Load"/> did, as the cell's <c>init.json</c> records it.</summary>
    public sealed record Report(string Format, int Loaded, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected)
    {
        public JsonObject ToJson(string sha256) => new()
        {
            ["format"] = Format,
            ["sha256"] = sha256,
            ["loaded"] = Loaded,
            ["missing"] = new JsonArray([.. Missing.Select(k => (JsonNode?)k)]),
            ["unexpected"] = new JsonArray([.. Unexpected.Select(k => (JsonNode?)k)]),
        };

        /// <summary>One line for the cell's progress.</summary>
        public string Summary() =>
            $"init file ({Format}): {Loaded} tensors loaded, {Missing.Count} missing{Listed(Missing)}, {Unexpected.Count} unexpected{Listed(Unexpected)}";

        private static string Listed(IReadOnlyList<string> keys) => keys.Count == 0 ? "" : $" ({string.Join(", ", keys.Take(5))}{(keys.Count > 5 ? ", …" : "")})";
    }

    /// <summary>Loads <paramref name="path"/> into <paramref name="trunk"/> (on the CPU, before it moves to its device).</summary>
    public static Report Load(ResNet trunk, string path, IReadOnlyList<KeyValuePair<string, string>> prefixMap)
    {
        var (file, format) = WeightsFile.Read(path);
        try
        {
            var renamed = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (key, tensor) in file)
            {
                var name = Rename(key, prefixMap);
                if (!renamed.TryAdd(name, tensor))
                {
                    throw new DataFormatException(path, $"two keys become '{name}' under the prefix map");
                }
            }

            var expected = trunk.state_dict();
            var missing = expected.Keys.Where(k => !renamed.ContainsKey(k)).ToList();
            var unexpected = renamed.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
            var matched = expected.Keys.Where(renamed.ContainsKey).ToList();
            var misshapen = matched.Where(k => !expected[k].shape.SequenceEqual(renamed[k].shape)).ToList();
            if (misshapen.Count > 0)
            {
                var shapes = misshapen.Take(5).Select(k => $"{k} is [{string.Join(", ", renamed[k].shape)}] in the file, [{string.Join(", ", expected[k].shape)}] in the {trunk.Options.Arch}");
                throw new DataFormatException(path, $"{misshapen.Count} tensor(s) do not fit the {trunk.Options.Arch} trunk: {string.Join("; ", shapes)}");
            }

            if (matched.Count == 0)
            {
                var sample = string.Join(", ", renamed.Keys.Order(StringComparer.Ordinal).Take(5).Select(k => Quoted.Bounded(k)));
                throw new DataFormatException(path, $"no tensor of the file has a name of the {trunk.Options.Arch} trunk (conv1.weight, layer1.0.conv1.weight, …); its names begin {sample}: set the init's prefix_map");
            }

            using (no_grad())
            {
                foreach (var key in matched)
                {
                    expected[key].copy_(renamed[key].to_type(expected[key].dtype));
                }
            }

            return new Report(format, matched.Count, missing, unexpected);
        }
        finally
        {
            foreach (var tensor in file.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>The first prefix of <paramref name="prefixMap"/> that <paramref name="key"/> starts with, replaced.</summary>
    public static string Rename(string key, IReadOnlyList<KeyValuePair<string, string>> prefixMap)
    {
        foreach (var (from, to) in prefixMap)
        {
            if (key.StartsWith(from, StringComparison.Ordinal))
            {
                return to + key[from.Length..];
            }
        }

        return key;
    }
}
