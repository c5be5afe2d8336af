using System.Globalization;
using System.Text.RegularExpressions;
using Reproduce.Core.Errors;

namespace Reproduce.Core.Manifests;

/// <summary>
/// Reads typed values out of a <see cref="MapNode"/>, collecting every problem as a
/// <see cref="ManifestError"/> instead of stopping at the first, and reporting keys nobody read.
/// </summary>
internal sealed partial class NodeReader
{
    private readonly MapNode map;
    private readonly List<ManifestError> errors;
    private readonly HashSet<string> read = [];

    public NodeReader(MapNode map, string path, List<ManifestError> errors)
    {
        this.map = map;
        Path = path;
        this.errors = errors;
    }

    /// <summary>The dotted path of this map in the manifest, for messages ("datasets.covid").</summary>
    public string Path { get; }

    public SourceSpan At => map.At;

    public IEnumerable<string> Keys => map.Entries.Select(e => e.Key);

    public void Error(SourceSpan at, string message) => errors.Add(new ManifestError(at, message));

    public bool Has(string key) => map.Find(key) is { Value: not ScalarNode { IsNull: true } };

    public MapEntry? Take(string key)
    {
        read.Add(key);
        return map.Find(key);
    }

    /// <summary>Reports every key that was never read, with the keys this map accepts.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var entry in map.Entries.Where(e => !read.Contains(e.Key)))
        {
            var known = read.Count == 0 ? "" : $" (known keys: {string.Join(", ", read.Order(StringComparer.Ordinal))})";
            Error(entry.KeyAt, $"unknown key {Quoted.Bounded(entry.Key)} in {Describe()}{known}");
        }
    }

    public string Describe() => Path.Length == 0 ? "the manifest" : $"'{Path}'";

    private string Qualified(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public string? String(string key, bool required = false, IReadOnlyCollection<string>? choices = null)
    {
        var entry = Take(key);
        if (Missing(entry, key, required))
        {
            return null;
        }

        return StringValue(entry!.Value, Qualified(key), choices);
    }

    /// <summary>
    /// A machine-specific path, where <c>${VAR}</c> refers to an environment variable. An unset
    /// variable is not a manifest error: planning must work without the data; the stage that needs
    /// the path reports it.
    /// </summary>
    public ConfiguredPath? PathSetting(string key)
    {
        var raw = String(key);
        if (raw is null)
        {
            return null;
        }

        var unset = new List<string>();
        var resolved = EnvironmentReference().Replace(raw, m =>
        {
            var value = Environment.GetEnvironmentVariable(m.Groups[1].Value);
            if (string.IsNullOrEmpty(value))
            {
                unset.Add(m.Groups[1].Value);
            }

            return value ?? "";
        });
        return new ConfiguredPath(raw, unset.Count == 0 ? resolved : null, unset);
    }

    public string? StringValue(ManifestNode node, string what, IReadOnlyCollection<string>? choices = null)
    {
        if (node is not ScalarNode { IsNull: false } scalar)
        {
            Error(node.At, $"'{what}' must be a string, found {node.KindName}");
            return null;
        }

        var value = scalar.Value;
        if (choices is not null && !choices.Contains(value))
        {
            Error(node.At, $"'{what}' is {Quoted.Bounded(value)}, expected one of: {string.Join(", ", choices)}");
            return null;
        }

        return value;
    }

    public long? Integer(string key, long min = long.MinValue, long max = long.MaxValue, bool required = false)
    {
        var entry = Take(key);
        return Missing(entry, key, required) ? null : IntegerValue(entry!.Value, Qualified(key), min, max);
    }

    public long? IntegerValue(ManifestNode node, string what, long min = long.MinValue, long max = long.MaxValue)
    {
        if (node is not ScalarNode { IsNull: false, IsQuoted: false } scalar
            || !long.TryParse(scalar.Value.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Error(node.At, $"'{what}' must be an integer, found {Found(node)}");
            return null;
        }

        if (value < min || value > max)
        {
            Error(node.At, $"'{what}' is {value}, out of range [{Bound(min)}, {Bound(max)}]");
            return null;
        }

        return value;
    }

    public double? Real(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool required = false, bool minExclusive = false)
    {
        var entry = Take(key);
        return Missing(entry, key, required) ? null : RealValue(entry!.Value, Qualified(key), min, max, minExclusive);
    }

    public double? RealValue(ManifestNode node, string what, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool minExclusive = false)
    {
        if (node is not ScalarNode { IsNull: false, IsQuoted: false } scalar
            || !double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value))
        {
            Error(node.At, $"'{what}' must be a number, found {Found(node)}");
            return null;
        }

        if (value < min || value > max || (minExclusive && value == min))
        {
            var open = minExclusive ? "(" : "[";
            Error(node.At, $"'{what}' is {Quoted.Cut(scalar.Value)}, out of range {open}{Bound(min)}, {Bound(max)}]");
            return null;
        }

        return value;
    }

    public bool? Bool(string key, bool required = false)
    {
        var entry = Take(key);
        if (Missing(entry, key, required))
        {
            return null;
        }

        if (entry!.Value is ScalarNode { IsQuoted: false, Value: "true" or "false" } scalar)
        {
            return scalar.Value == "true";
        }

        Error(entry.Value.At, $"'{Qualified(key)}' must be true or false, found {Found(entry.Value)}");
        return null;
    }

    public NodeReader? Map(string key, bool required = false)
    {
        var entry = Take(key);
        if (Missing(entry, key, required))
        {
            return null;
        }

        if (entry!.Value is MapNode child)
        {
            return new NodeReader(child, Qualified(key), errors);
        }

        Error(entry.Value.At, $"'{Qualified(key)}' must be a map, found {entry.Value.KindName}");
        return null;
    }

    /// <summary>A map value where an empty value means "all defaults" (an empty map).</summary>
    public NodeReader MapOrEmpty(MapEntry entry, string what)
    {
        return entry.Value switch
        {
            MapNode child => new NodeReader(child, what, errors),
            ScalarNode { IsNull: true } => new NodeReader(new MapNode(entry.Value.At, []), what, errors),
            var other => Fail(other),
        };

        NodeReader Fail(ManifestNode other)
        {
            Error(other.At, $"'{what}' must be a map, found {other.KindName}");
            return new NodeReader(new MapNode(other.At, []), what, errors);
        }
    }

    public IReadOnlyList<ManifestNode>? List(string key, bool required = false, int minCount = 0)
    {
        var entry = Take(key);
        if (Missing(entry, key, required))
        {
            return null;
        }

        if (entry!.Value is not ListNode list)
        {
            Error(entry.Value.At, $"'{Qualified(key)}' must be a list, found {entry.Value.KindName}");
            return null;
        }

        if (list.Items.Count < minCount)
        {
            Error(list.At, $"'{Qualified(key)}' needs at least {minCount} item(s)");
            return null;
        }

        return list.Items;
    }

    public IReadOnlyList<double>? RealList(string key, double min, double max, int minCount = 0, bool minExclusive = false, bool required = false)
    {
        var items = List(key, required, minCount);
        if (items is null)
        {
            return null;
        }

        var values = items.Select(i => RealValue(i, Qualified(key), min, max, minExclusive)).ToList();
        return values.All(v => v.HasValue) ? values.Select(v => v!.Value).ToList() : null;
    }

    public IReadOnlyList<string>? StringList(string key, IReadOnlyCollection<string>? choices = null, int minCount = 0, bool required = false)
    {
        var items = List(key, required, minCount);
        if (items is null)
        {
            return null;
        }

        var values = items.Select(i => StringValue(i, Qualified(key), choices)).ToList();
        var duplicate = values.OfType<string>().GroupBy(v => v).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            Error(items[values.LastIndexOf(duplicate.Key)].At, $"'{Qualified(key)}' lists {Quoted.Bounded(duplicate.Key)} twice");
            return null;
        }

        return values.All(v => v is not null) ? values.Select(v => v!).ToList() : null;
    }

    private bool Missing(MapEntry? entry, string key, bool required)
    {
        if (entry is not null && entry.Value is not ScalarNode { IsNull: true })
        {
            return false;
        }

        if (required)
        {
            Error(entry?.KeyAt ?? At, $"{Describe()} needs '{key}'");
        }

        return true;
    }

    private static string Found(ManifestNode node) => node is ScalarNode { IsNull: false } s ? Quoted.Bounded(s.Value) : node.KindName;

    private static string Bound(double value) => double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf") : value.ToString(CultureInfo.InvariantCulture);

    private static string Bound(long value) => value switch
    {
        long.MaxValue => "inf",
        long.MinValue => "-inf",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex EnvironmentReference();
}
