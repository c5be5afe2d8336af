using System.Globalization;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;

namespace Reproduce.Core.Planning;

/// <summary>
/// Selects cells by coordinates (<c>--dataset --method --task --init --fold --fraction</c>) and
/// stage (<c>--only</c>). A filter on a dimension selects only cells that have that coordinate with
/// one of the given values; <c>--method</c> also matches a finetune cell's init. Fractions compare
/// as numbers, so 1, 1.0 and 1.00 are one fraction.
/// </summary>
public sealed record CellFilter
{
    public static readonly IReadOnlyList<string> Dimensions = ["dataset", "method", "task", "init", "protocol", "fold", "fraction"];

    public static readonly CellFilter All = new();

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<string> Stages { get; init; } = [];

    public bool IsEmpty => Values.Count == 0 && Stages.Count == 0;

    public static CellFilter Create(IReadOnlyDictionary<string, IReadOnlyList<string>> values, IReadOnlyList<string> stages)
    {
        foreach (var dimension in values.Keys.Where(d => !Dimensions.Contains(d)))
        {
            throw new UsageException($"unknown filter '--{dimension}' (filters: {string.Join(", ", Dimensions.Select(d => "--" + d))}, --only)");
        }

        foreach (var fraction in values.GetValueOrDefault("fraction") ?? [])
        {
            if (!double.TryParse(fraction, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                throw new UsageException($"--fraction '{fraction}' is not a number");
            }
        }

        return new CellFilter { Values = values.Where(v => v.Value.Count > 0).ToDictionary(), Stages = stages };
    }

    public bool Matches(CellAddress address)
    {
        if (Stages.Count > 0 && !Stages.Contains(address.Stage))
        {
            return false;
        }

        foreach (var (dimension, wanted) in Values)
        {
            var value = dimension == "method" ? address["method"] ?? address["init"] : address[dimension];
            if (value is null || !wanted.Any(w => Same(dimension, w, value)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Same(string dimension, string wanted, string value) => dimension == "fraction"
        ? double.Parse(wanted, CultureInfo.InvariantCulture) == double.Parse(value, CultureInfo.InvariantCulture)
        : wanted == value;
}
