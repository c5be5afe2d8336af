using Reproduce.Core.Errors;
using Reproduce.Core.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Reproduce.Core.Manifests;

/// <summary>
/// Parses one YAML file into <see cref="ManifestNode"/>s with positions. What a manifest may be is bounded before it is
/// built: a regular file of at most <see cref="MaxBytes"/>, maps and lists nested at most <see cref="MaxDepth"/> deep
/// (checked on each parser event as it is read, so a deeper file is refused rather than overflowing the stack), and no
/// aliases, whose expansion grows exponentially with their nesting ("billion laughs").
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>The largest manifest: the study's are a few kilobytes.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The deepest nesting of maps and lists: the study's manifests need five.</summary>
    public const int MaxDepth = 32;

    public static MapNode ReadFile(string path, string displayPath)
    {
        var text = BoundedFile.ReadText(path, MaxBytes, problem => new ManifestException(new ManifestError(new SourceSpan(displayPath, 1, 1), $"the manifest {problem}")));
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            stream.Load(new ShapeCheckingParser(new Parser(scanner), displayPath));
        }
        catch (YamlException e)
        {
            var at = new SourceSpan(displayPath, (int)e.Start.Line, (int)e.Start.Column);
            throw new ManifestException(new ManifestError(at, $"invalid YAML: {Quoted.Cut(Innermost(e).Message)}"));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet fails this way (not with a YamlException) on some malformed input: its scanner on a flow list
            // or map left open before the next key (InvalidOperationException), its node builder on an event it does
            // not expect where a value should be (ArgumentException, found by fuzzing). Still an invalid manifest.
            var at = new SourceSpan(displayPath, (int)scanner.CurrentPosition.Line, (int)scanner.CurrentPosition.Column);
            throw new ManifestException(new ManifestError(at, "invalid YAML: unexpected content here (is a '[' or '{' above left open, or a line indented wrongly?)"));
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

    /// <summary>
    /// The parser's events as YamlStream reads them, each checked first: nesting deeper than <see cref="MaxDepth"/> and
    /// any alias are refused before anything is built from them (YamlStream builds its nodes recursively, so the
    /// 33rd level is refused long before the stack could overflow).
    /// </summary>
    private sealed class ShapeCheckingParser(IParser parser, string displayPath) : IParser
    {
        private int depth;

        public ParsingEvent? Current => parser.Current;

        public bool MoveNext()
        {
            if (!parser.MoveNext())
            {
                return false;
            }

            var current = parser.Current!;
            var at = new SourceSpan(displayPath, (int)current.Start.Line, (int)current.Start.Column);
            switch (current)
            {
                case MappingStart or SequenceStart when ++depth > MaxDepth:
                    throw new ManifestException(new ManifestError(at, $"maps and lists are nested deeper than {MaxDepth} levels here; a manifest needs far fewer"));
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
                case AnchorAlias alias:
                    throw new ManifestException(new ManifestError(at, $"YAML aliases (*{Quoted.Cut(alias.Value.Value)}) are not supported in manifests: share settings with 'extends:'"));
            }

            return true;
        }
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
