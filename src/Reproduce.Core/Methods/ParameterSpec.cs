using System.Text.Json.Nodes;

namespace Reproduce.Core.Methods;

/// <summary>
/// One hyper-parameter of a pre-training method: its manifest name, type, reference default and
/// allowed range. Methods declare these as data, so the manifest validates them without knowing
/// the method.
/// </summary>
public sealed record ParameterSpec(string Name, ParameterKind Kind, JsonNode Default, string Description)
{
    public double Min { get; init; } = double.NegativeInfinity;

    public double Max { get; init; } = double.PositiveInfinity;

    /// <summary>The allowed values of a <see cref="ParameterKind.Choice"/>.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    public static ParameterSpec Int(string name, long @default, string description, long min = 0, long max = long.MaxValue) =>
        new(name, ParameterKind.Integer, JsonValue.Create(@default), description) { Min = min, Max = max };

    public static ParameterSpec Real(string name, double @default, string description, double min = 0, double max = double.PositiveInfinity) =>
        new(name, ParameterKind.Real, JsonValue.Create(@default), description) { Min = min, Max = max };

    public static ParameterSpec Flag(string name, bool @default, string description) =>
        new(name, ParameterKind.Boolean, JsonValue.Create(@default), description);

    public static ParameterSpec Choice(string name, string @default, string description, params string[] choices) =>
        new(name, ParameterKind.Choice, JsonValue.Create(@default), description) { Choices = choices };

    public static ParameterSpec Reals(string name, double[] @default, string description, double min = 0, double max = double.PositiveInfinity) =>
        new(name, ParameterKind.RealList, new JsonArray(@default.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()), description) { Min = min, Max = max };

    public static ParameterSpec Ints(string name, long[] @default, string description, long min = 0, long max = long.MaxValue) =>
        new(name, ParameterKind.IntegerList, new JsonArray(@default.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()), description) { Min = min, Max = max };
}
