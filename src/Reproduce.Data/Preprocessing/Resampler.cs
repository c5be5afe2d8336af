namespace Reproduce.Data.Preprocessing;

/// <summary>
/// Resizes a float image separably, axis by axis: area averaging on an axis that shrinks (each
/// output pixel is the mean of the source pixels it covers, partial pixels weighted by coverage,
/// as OpenCV's INTER_AREA and MONAI's 'area' mode do), bilinear interpolation with half-pixel centres
/// on an axis that grows or keeps its size (align_corners = false, edges clamped). An axis whose size
/// does not change is copied exactly.
/// </summary>
public sealed class Resampler
{
    private readonly Taps[] horizontal;
    private readonly Taps[] vertical;

    public Resampler(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetHeight);
        (SourceWidth, SourceHeight, TargetWidth, TargetHeight) = (sourceWidth, sourceHeight, targetWidth, targetHeight);
        horizontal = AxisTaps(sourceWidth, targetWidth);
        vertical = AxisTaps(sourceHeight, targetHeight);
    }

    public int SourceWidth { get; }

    public int SourceHeight { get; }

    public int TargetWidth { get; }

    public int TargetHeight { get; }

    /// <summary>Resizes <paramref name="source"/> (row-major, SourceHeight × SourceWidth) into <paramref name="target"/> (TargetHeight × TargetWidth).</summary>
    public void Resize(ReadOnlySpan<float> source, Span<float> target)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(source.Length, SourceWidth * SourceHeight, nameof(source));
        ArgumentOutOfRangeException.ThrowIfLessThan(target.Length, TargetWidth * TargetHeight, nameof(target));
        var rows = new float[SourceHeight * TargetWidth];
        for (var y = 0; y < SourceHeight; y++)
        {
            var line = source.Slice(y * SourceWidth, SourceWidth);
            for (var x = 0; x < TargetWidth; x++)
            {
                rows[(y * TargetWidth) + x] = horizontal[x].Apply(line, 1);
            }
        }

        for (var y = 0; y < TargetHeight; y++)
        {
            var taps = vertical[y];
            for (var x = 0; x < TargetWidth; x++)
            {
                target[(y * TargetWidth) + x] = taps.Apply(rows.AsSpan(x), TargetWidth);
            }
        }
    }

    private static Taps[] AxisTaps(int from, int to)
    {
        var taps = new Taps[to];
        for (var i = 0; i < to; i++)
        {
            taps[i] = from == to ? new Taps(i, [1f]) : to < from ? Area(from, to, i) : Bilinear(from, to, i);
        }

        return taps;
    }

    /// <summary>Output pixel i covers source interval [i·s, (i+1)·s) with s = from / to; each source pixel weighs its overlap.</summary>
    private static Taps Area(int from, int to, int i)
    {
        var scale = (double)from / to;
        var start = i * scale;
        var end = (i + 1) * scale;
        var first = (int)Math.Floor(start);
        var last = Math.Min(from - 1, (int)Math.Ceiling(end) - 1);
        var weights = new float[last - first + 1];
        for (var j = first; j <= last; j++)
        {
            var overlap = Math.Min(end, j + 1) - Math.Max(start, j);
            weights[j - first] = (float)(overlap / scale);
        }

        return new Taps(first, weights);
    }

    /// <summary>Output pixel i samples the source at (i + 0.5)·from/to − 0.5, between its two neighbours, clamped at the edges.</summary>
    private static Taps Bilinear(int from, int to, int i)
    {
        var position = Math.Max(0, ((i + 0.5) * from / to) - 0.5);
        var left = Math.Min((int)Math.Floor(position), from - 1);
        var fraction = (float)(position - left);
        return left + 1 < from ? new Taps(left, [1 - fraction, fraction]) : new Taps(left, [1f]);
    }

    /// <summary>A run of consecutive source pixels starting at <see cref="First"/> and their weights.</summary>
    private readonly record struct Taps(int First, float[] Weights)
    {
        /// <summary>Σ weight·source[(First + k)·stride].</summary>
        public float Apply(ReadOnlySpan<float> line, int stride)
        {
            var sum = 0f;
            for (var k = 0; k < Weights.Length; k++)
            {
                sum += Weights[k] * line[(First + k) * stride];
            }

            return sum;
        }
    }
}
