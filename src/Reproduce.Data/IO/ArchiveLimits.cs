using System.Globalization;
using Reproduce.Core.Errors;

namespace Reproduce.Data.IO;

/// <summary>
/// How much one archive (a downloaded zip, an npz member) may unpack to. The real archives are far below (COVID-CT's
/// two image zips hold 349 and 397 images, about 0.5 GB together; the Kaggle head CT zip 200 PNGs; an NBIA series zip
/// a few hundred slices); a zip bomb is far above: a ratio of 100 already rules out images, which hardly compress.
/// </summary>
/// <param name="MaxEntries">Entries in one archive.</param>
/// <param name="MaxBytes">Bytes unpacked from one archive, whatever its size.</param>
/// <param name="MaxRatio">Bytes unpacked per byte of archive, above <see cref="RatioFloorBytes"/>.</param>
public sealed record ArchiveLimits(int MaxEntries, long MaxBytes, int MaxRatio)
{
    /// <summary>What the ratio never refuses: a small archive of text lists may compress well.</summary>
    public const long RatioFloorBytes = 64L << 20;

    /// <summary>The variable that raises <see cref="MaxBytes"/>, in GiB, for an archive larger than any the study uses.</summary>
    public const string MaxGibVariable = "REPRODUCE_ARCHIVE_MAX_GIB";

    public static readonly ArchiveLimits Default = new(MaxEntries: 100_000, MaxBytes: 16L << 30, MaxRatio: 100);

    /// <summary>The defaults, with <see cref="MaxBytes"/> (and the ratio, which it then replaces) from <see cref="MaxGibVariable"/> when set.</summary>
    public static ArchiveLimits From(Func<string, string?> environment)
    {
        var text = environment(MaxGibVariable);
        if (string.IsNullOrEmpty(text))
        {
            return Default;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var gib) && gib is >= 1 and <= 16_384
            ? Default with { MaxBytes = (long)gib << 30, MaxRatio = int.MaxValue }
            : throw new UsageException($"{MaxGibVariable} is {Quoted.Bounded(text)}: expected a whole number of GiB in [1, 16384]");
    }

    /// <summary>The bytes an archive of <paramref name="archiveBytes"/> may unpack to.</summary>
    public long BytesFor(long archiveBytes) =>
        Math.Min(MaxBytes, Math.Max(RatioFloorBytes, archiveBytes > long.MaxValue / MaxRatio ? long.MaxValue : archiveBytes * MaxRatio));
}
