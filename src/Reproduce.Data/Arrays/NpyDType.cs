namespace Reproduce.Data.Arrays;

public enum NpyKind
{
    Unsigned,
    Signed,
    Float,
}

/// <summary>A supported NumPy dtype: little-endian (or single-byte) integers and floats.</summary>
public sealed record NpyDType(NpyKind Kind, int ItemSize, string Descriptor)
{
    /// <summary>Unsigned bytes, MedMNIST's image and label type.</summary>
    public static NpyDType UInt8 { get; } = new(NpyKind.Unsigned, 1, "|u1");

    /// <summary>Little-endian float32, the type of `reproduce inspect --npy` output.</summary>
    public static NpyDType Float32 { get; } = new(NpyKind.Float, 4, "<f4");

    /// <summary>The dtype of a descr string such as <c>'&lt;f4'</c> or <c>'|u1'</c>; null when it is not supported.</summary>
    public static NpyDType? Parse(string descr)
    {
        if (descr.Length < 3 || descr[0] is not ('<' or '|' or '='))
        {
            return null;
        }

        var kind = descr[1] switch
        {
            'u' => NpyKind.Unsigned,
            'i' => NpyKind.Signed,
            'f' => NpyKind.Float,
            _ => (NpyKind?)null,
        };
        if (kind is null || !int.TryParse(descr.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size))
        {
            return null;
        }

        var valid = kind == NpyKind.Float ? size is 2 or 4 or 8 : size is 1 or 2 or 4 or 8;
        // '|' (not applicable) only makes sense for one-byte types; '=' is native, little-endian here.
        return valid && (descr[0] != '|' || size == 1) ? new NpyDType(kind.Value, size, descr) : null;
    }

    public override string ToString() => Descriptor;
}
