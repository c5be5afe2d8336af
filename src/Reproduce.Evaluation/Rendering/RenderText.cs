using System.Globalization;

namespace Reproduce.Evaluation.Rendering;

/// <summary>How numbers and identifiers read in every rendered table, figure and report.</summary>
internal static class RenderText
{
    /// <summary>The table metrics' display names (DESIGN.md §7 "Metrics in tables"); any other metric keeps its id.</summary>
    public static string MetricName(string metric) => metric switch
    {
        "auc" => "AUC",
        "f1" => "F1",
        "accuracy" => "Accuracy",
        _ => metric,
    };

    /// <summary>The frozen-encoder protocols' display names; any other protocol keeps its id.</summary>
    public static string ProtocolName(string protocol) => protocol switch
    {
        "linear_probe" => "Linear probe",
        "knn" => "kNN",
        _ => protocol,
    };

    /// <summary>A training fraction as a percentage: 1 → "100%", 0.25 → "25%", 0.005 → "0.5%".</summary>
    public static string Percent(double fraction) =>
        (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>A fraction as the decimal the manifests use (DESIGN.md §7 "Identifiers"): 0.25 → "0.25".</summary>
    public static string Decimal(double fraction) => fraction.ToString(CultureInfo.InvariantCulture);

    /// <summary>A loss, whose scale depends on the method: four significant digits.</summary>
    public static string FourSignificant(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    public static string ThreeDecimals(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>A difference with its sign always shown, so a table of differences reads at a glance.</summary>
    public static string SignedThreeDecimals(double value) =>
        value.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);
}
