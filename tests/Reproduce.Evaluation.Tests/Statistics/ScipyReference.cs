using System.Globalization;
using System.Text.Json;

namespace Reproduce.Evaluation.Tests.Statistics;

/// <summary>
/// The values scipy 1.10.1 computes for the statistics the suite reports, from scipy_reference.json (written by
/// scipy_reference.py next to it), and the agreement they must reach.
/// </summary>
internal static class ScipyReference
{
    /// <summary>Relative agreement, with an absolute floor for values that are (or should be) zero.</summary>
    public const double RelativeTolerance = 1e-10;

    public const double AbsoluteTolerance = 1e-14;

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Statistics", "scipy_reference.json"))));

    public static IEnumerable<JsonElement> Cases(string section) => Document.Value.RootElement.GetProperty(section).EnumerateArray();

    /// <summary>A number, or one of the strings "inf", "-inf", "nan" the generator writes for non-finite values.</summary>
    public static double Number(this JsonElement element, string name)
    {
        var value = element.GetProperty(name);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString() switch
            {
                "inf" => double.PositiveInfinity,
                "-inf" => double.NegativeInfinity,
                "nan" => double.NaN,
                var other => throw new FormatException($"'{other}' is not a number"),
            }
            : value.GetDouble();
    }

    public static double[] Numbers(this JsonElement element, string name) => [.. element.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];

    public static bool Agrees(double actual, double expected) =>
        double.IsNaN(expected) ? double.IsNaN(actual)
        : double.IsInfinity(expected) ? actual == expected
        : Math.Abs(actual - expected) <= RelativeTolerance * Math.Abs(expected) + AbsoluteTolerance;

    /// <summary>Collects every disagreement of a section, so one failing test shows them all.</summary>
    public sealed class Mismatches
    {
        private readonly List<string> lines = [];

        public void Check(string what, double actual, double expected)
        {
            if (!Agrees(actual, expected))
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: {actual:R}, scipy {expected:R}"));
            }
        }

        public void AssertNone() => Assert.True(lines.Count == 0, string.Join('\n', lines));
    }
}
