using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Reproduce.Data.Preprocessing;

/// <summary>
/// Resizes a float image separably, axis by axis: area averaging on an axis that shrinks (each
/// output pixel is the mean of the source pixels it covers, partial pixels weighted by coverage,
/// as OpenCV's INTER_AREA and MONAI's 'area' mode do), bilinear interpolation with half-pixel centres
/// on an axis that grows or keeps its size (align_corners = false, edges clamped). An axis whose size
/// does not change is copied exactly. Rows are combined first, whole rows at a time with SIMD, then
/// columns; the weights are computed once per resampler. The loops are compiled fully optimised from
/// the first call (an image is one call, too few for the tiered JIT to reach its optimised tier soon).
/// </summary>
public sealed class Resampler
{
    private readonly Taps[] vertical;
    private readonly int columnTaps;
    private readonly int[] columnFirsts;
    private readonly float[] columnWeights;

    public Resampler(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetHeight);
        (SourceWidth, SourceHeight, TargetWidth, TargetHeight) = (sourceWidth, sourceHeight, targetWidth, targetHeight);
        vertical = AxisTaps(sourceHeight, targetHeight);
        var horizontal = AxisTaps(sourceWidth, targetWidth);
        columnTaps = horizontal.Max(t => t.Weights.Length);
        columnFirsts = new int[targetWidth];
        columnWeights = new float[targetWidth * columnTaps];
        for (var x = 0; x < targetWidth; x++)
        {
            // A run that would pass the right edge starts earlier, its extra leading taps weighing zero.
            var first = Math.Min(horizontal[x].First, sourceWidth - columnTaps);
            columnFirsts[x] = first;
            horizontal[x].Weights.CopyTo(columnWeights, (x * columnTaps) + horizontal[x].First - first);
        }
    }

    public int SourceWidth { get; }

    public int SourceHeight { get; }

    public int TargetWidth { get; }

    public int TargetHeight { get; }

    /// <summary>Resizes <paramref name="source"/> (row-major, SourceHeight × SourceWidth) into <paramref name="target"/> (TargetHeight × TargetWidth).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Resize(ReadOnlySpan<float> source, Span<float> target)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(source.Length, SourceWidth * SourceHeight, nameof(source));
        ArgumentOutOfRangeException.ThrowIfLessThan(target.Length, TargetWidth * TargetHeight, nameof(target));
        var buffer = ArrayPool<float>.Shared.Rent(TargetHeight * SourceWidth);
        try
        {
            var rows = buffer.AsSpan(0, TargetHeight * SourceWidth);
            for (var y = 0; y < TargetHeight; y++)
            {
                var taps = vertical[y];
                var output = rows.Slice(y * SourceWidth, SourceWidth);
                output.Clear();
                for (var k = 0; k < taps.Weights.Length; k++)
                {
                    AddScaled(source.Slice((taps.First + k) * SourceWidth, SourceWidth), taps.Weights[k], output);
                }
            }

            // Columns: every output pixel has the same number of taps (shorter runs padded with zero
            // weights), so the inner loop has a fixed trip count and flat arrays. The constructor keeps
            // every run inside its row, which is what makes the unchecked reads below safe.
            var width = columnTaps;
            ref var firsts = ref MemoryMarshal.GetArrayDataReference(columnFirsts);
            ref var weights = ref MemoryMarshal.GetArrayDataReference(columnWeights);
            for (var y = 0; y < TargetHeight; y++)
            {
                ref var line = ref rows[y * SourceWidth];
                var output = target.Slice(y * TargetWidth, TargetWidth);
                for (var x = 0; x < output.Length; x++)
                {
                    ref var window = ref Unsafe.Add(ref line, Unsafe.Add(ref firsts, x));
                    ref var taps = ref Unsafe.Add(ref weights, x * width);
                    var sum = 0f;
                    for (var k = 0; k < width; k++)
                    {
                        sum += Unsafe.Add(ref taps, k) * Unsafe.Add(ref window, k);
                    }

                    output[x] = sum;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>output += weight × input, a vector at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddScaled(ReadOnlySpan<float> input, float weight, Span<float> output)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && input.Length >= Vector<float>.Count)
        {
            var scale = new Vector<float>(weight);
            var inputs = MemoryMarshal.Cast<float, Vector<float>>(input);
            var outputs = MemoryMarshal.Cast<float, Vector<float>>(output);
            for (var v = 0; v < inputs.Length; v++)
            {
                outputs[v] += inputs[v] * scale;
            }

            i = inputs.Length * Vector<float>.Count;
        }

        for (; i < input.Length; i++)
        {
            output[i] += weight * input[i];
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
    private readonly record struct Taps(int First, float[] Weights);
}
