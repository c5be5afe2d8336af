using Reproduce.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reproduce.Core.Manifests;

/// <summary>Parses one YAML file into <see cref="ManifestNode"/>s with positions.</summary>
internal static class YamlTreeReader
{
    public static MapNode ReadFile(string path, string displayPath)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        var scanner = new Scanner(reader);
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            var at = new SourceSpan(displayPath, (int)e.Start.Line, (int)e.Start.Column);
            throw new ManifestException(new ManifestError(at, $"invalid YAML: {Innermost(e).Message}"));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way (not with a YamlException) on some malformed input,
            // e.g. a flow list or map left open before the next key: still an invalid manifest.
            var at = new SourceSpan(displayPath, (int)scanner.CurrentPosition.Line, (int)scanner.CurrentPosition.Column);
            throw new ManifestException(new ManifestError(at, "invalid YAML: unexpected content here (is a '[' or '{' above left open?)"));
        }

        if (stream.Documents.Count != 1)
        {
            throw new ManifestException(new ManifestError(
                new SourceSpan(displayPath, 1, 1),
                stream.Documents.Count == 0 ? "the manifest is empty" : "a manifest holds exactly one YAML document"));
        }

        var root = Convert(stream.Documents[0].RootNode, displayPath);
        return root as MapNode ?? throw new ManifestException(new ManifestError(
            root.At, $"the top level of a manifest must be a map, found {root.KindName}"));
    }

    private static Exception Innermost(YamlException e) =>
        e.InnerException is YamlException inner ? Innermost(inner) : e;

    private static ManifestNode Convert(YamlNode node, string file)
    {
        var at = new SourceSpan(file, (int)node.Start.Line, (int)node.Start.Column);
        if (!node.Tag.IsEmpty)
        {
            // A tag would silently change how a value reads (!!str 5 is still bound as a number).
            throw new ManifestException(new ManifestError(at, $"YAML tags ({node.Tag}) are not supported in manifests"));
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                return new ScalarNode(at, scalar.Value ?? "", scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted);
            case YamlSequenceNode sequence:
                return new ListNode(at, sequence.Children.Select(c => Convert(c, file)).ToList());
            case YamlMappingNode mapping:
                var entries = new List<MapEntry>();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    var keyAt = new SourceSpan(file, (int)keyNode.Start.Line, (int)keyNode.Start.Column);
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        throw new ManifestException(new ManifestError(keyAt, "map keys must be plain strings"));
                    }

                    entries.Add(new MapEntry(key, keyAt, Convert(valueNode, file)));
                }

                return new MapNode(at, entries);
            default:
                // YamlDotNet resolves aliases while loading, so only an unknown node type lands here.
                throw new ManifestException(new ManifestError(at, $"unsupported YAML node ({node.NodeType})"));
        }
    }
}
